from django import forms
from dsfr.forms import DsfrBaseForm

from facturation.services.televersement import FORMAT_AUTOMATIQUE, FORMATS_CHOISIS, structures_deposantes


class FichiersMultiples(forms.ClearableFileInput):
    allow_multiple_selected = True


class PiecesJointesField(forms.FileField):
    widget = FichiersMultiples

    def clean(self, data, initial=None):
        fichiers = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        return [super(PiecesJointesField, self).clean(f, initial) for f in fichiers]


class DepotFichierForm(DsfrBaseForm):
    fournisseur = forms.ModelChoiceField(
        label="Structure qui émet la facture",
        queryset=None,
        empty_label="Choisir une structure",
        error_messages={
            "required": "Choisissez la structure pour laquelle vous déposez la facture.",
            "invalid_choice": "Vous ne pouvez pas déposer de facture pour cette structure.",
        },
    )
    fichier = forms.FileField(
        label="Fichier de la facture",
        # le service nomme le fichier vide dans son message
        allow_empty_file=True,
        help_text="PDF Factur-X, XML CII ou UBL 2.1, ou PDF simple ; 10 Mo au plus. Le format est détecté d'après le "
        "contenu du fichier.",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.xml,application/pdf,application/xml,text/xml"}),
        error_messages={
            "required": "Choisissez le fichier de la facture.",
            "missing": "Choisissez le fichier de la facture.",
            "invalid": "Le fichier envoyé n'a pas pu être lu : choisissez-le à nouveau.",
        },
    )
    format_depot = forms.ChoiceField(
        label="Format de dépôt",
        choices=FORMATS_CHOISIS,
        initial=FORMAT_AUTOMATIQUE,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choisissez un format de dépôt.",
            "invalid_choice": "Choisissez un format de dépôt.",
        },
    )
    signature = forms.FileField(
        label="Signature XAdES (fichier .xml)",
        required=False,
        help_text="Seulement pour le format « PDF signé XAdES » : la signature détachée du PDF.",
        widget=forms.ClearableFileInput(attrs={"accept": ".xml,application/xml,text/xml"}),
    )
    siret_destinataire = forms.CharField(
        label="SIRET du destinataire",
        required=False,
        max_length=20,
        help_text="Facultatif. Pour un PDF sans données structurées, s'il n'est pas lisible dans le PDF "
        "(mot-clé « SIRET client »).",
    )
    pieces_jointes = PiecesJointesField(
        label="Pièces jointes complémentaires",
        required=False,
        allow_empty_file=True,
        help_text="Facultatif, plusieurs fichiers possibles. Nom de 50 caractères au plus, moins de 10 Mo chacun, "
        "120 Mo au plus avec la facture.",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fournisseur"].queryset = structures_deposantes(user)
        self.fields["fournisseur"].label_from_instance = lambda s: f"{s.raison_sociale} ({s.identifiant})"

    def exiger_siret_destinataire(self):
        """Shown as required (never « (Optionnel) ») once the PDF proved to need it."""
        champ = self.fields["siret_destinataire"]
        champ.required = True
        champ.help_text = "Obligatoire pour ce PDF : le SIRET du destinataire n'a pas pu y être lu."
        # a bound field copies its field's help text when created
        self._bound_fields_cache.pop("siret_destinataire", None)
