"""Forms of « Suivi des flux »: the list's criteria (GET) and the deposit of a flux file."""

from django import forms
from dsfr.forms import DsfrBaseForm

from chorus.recherche import RechercheListe
from facturation.forms.champs import champ_date
from organisation.models import Structure
from raccordement.enums import EtatFlux
from raccordement.selectors.flux import TRI_DEFAUT

TRIS = [
    ("-recu", "Date de dépôt (la plus récente d'abord)"),
    ("recu", "Date de dépôt (la plus ancienne d'abord)"),
    ("numero", "Numéro de flux (croissant)"),
    ("-numero", "Numéro de flux (décroissant)"),
    ("etat", "État"),
    ("canal", "Canal"),
]


class _StructureChoix(forms.ModelChoiceField):
    def label_from_instance(self, structure):
        return f"{structure.raison_sociale} ({structure.identifiant})"


class SuiviFluxForm(RechercheListe, DsfrBaseForm):
    structure = _StructureChoix(
        label="Structure", required=False, queryset=Structure.objects.none(), empty_label="Toutes"
    )
    etat = forms.ChoiceField(label="État", required=False, choices=[("", "Tous les états"), *EtatFlux.choices])
    du = champ_date("Déposé du")
    au = champ_date("Déposé au")
    tri = forms.ChoiceField(label="Trier par", required=False, choices=TRIS)

    def __init__(self, *args, structures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["structure"].queryset = structures

    def clean(self):
        donnees = super().clean()
        du, au = donnees.get("du"), donnees.get("au")
        if du and au and du > au:
            self.add_error("au", "La date de fin doit suivre la date de début.")
        return donnees

    def criteres(self):
        if not self.is_bound or not self.is_valid():
            return {"tri": TRI_DEFAUT}
        c = dict(self.cleaned_data)
        c["tri"] = c.get("tri") or TRI_DEFAUT
        return c


class DeposerFluxForm(DsfrBaseForm):
    structure = _StructureChoix(
        label="Structure déposante",
        queryset=Structure.objects.none(),
        empty_label=None,
        error_messages={"required": "Choisissez la structure pour laquelle vous déposez le flux."},
    )
    fichier = forms.FileField(
        label="Fichier du flux",
        help_text="Un PDF Factur-X, un XML CII (D16B ou D22B) ou UBL (Invoice, CreditNote), 10 Mo au plus ; ou une "
        "archive .tar.gz de plusieurs factures, 30 Mo au plus.",
        allow_empty_file=True,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.xml,.tar.gz,.tgz,.gz"}),
        error_messages={"required": "Choisissez le fichier du flux à déposer."},
    )

    def __init__(self, *args, structures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["structure"].queryset = structures
