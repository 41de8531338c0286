from django import forms
from dsfr.forms import DsfrBaseForm

from chorus.recherche import RechercheListe
from facturation.enums import CadreFacturation, StatutFacture
from facturation.forms.champs import champ_date, champ_numero_recherche
from facturation.selectors.validation import TRI_DEFAUT
from facturation.services.validation import MOTIF_LONGUEUR_MAX


class RechercheForm(RechercheListe, DsfrBaseForm):
    numero = champ_numero_recherche()
    fournisseur = forms.CharField(
        label="Fournisseur", required=False, max_length=255, help_text="Raison sociale (une partie suffit) ou SIRET."
    )
    statut = forms.ChoiceField(
        label="Statut", required=False, choices=[("", "Tous les statuts"), *StatutFacture.choices]
    )
    cadre = forms.ChoiceField(
        label="Cadre de facturation",
        required=False,
        choices=[("", "Tous les cadres")]
        + [(code, f"{code} – {libelle}") for code, libelle in CadreFacturation.choices],
    )
    du = champ_date("Déposée du")
    au = champ_date("Déposée au")
    tri = forms.ChoiceField(
        label="Trier par",
        required=False,
        choices=[
            ("-depot", "Date de dépôt (la plus récente d'abord)"),
            ("depot", "Date de dépôt (la plus ancienne d'abord)"),
            ("numero", "Numéro (A → Z)"),
            ("-numero", "Numéro (Z → A)"),
            ("fournisseur", "Fournisseur (A → Z)"),
            ("-fournisseur", "Fournisseur (Z → A)"),
            ("-montant", "Montant TTC (le plus élevé d'abord)"),
            ("montant", "Montant TTC (le plus faible d'abord)"),
            ("statut_depuis", "En attente depuis le plus longtemps"),
        ],
    )

    def clean(self):
        donnees = super().clean()
        du, au = donnees.get("du"), donnees.get("au")
        if du and au and du > au:
            self.add_error("au", "La date de fin doit être postérieure ou égale à la date de début.")
        return donnees

    def criteres(self):
        """The filters to apply; an invalid form gives none, and its page lists nothing (filtrer())."""
        donnees = self.cleaned_data if self.is_bound and self.is_valid() else {}
        criteres = {champ: donnees.get(champ) or "" for champ in ("numero", "fournisseur", "statut", "cadre")}
        criteres.update(du=donnees.get("du"), au=donnees.get("au"), tri=donnees.get("tri") or TRI_DEFAUT)
        return criteres


class TraiterForm(DsfrBaseForm):
    """The delegate with the « droit de traitement » processes the invoice in the recipient's place."""

    prefix = "traiter"

    statut_cible = forms.ChoiceField(
        label="Nouveau statut",
        error_messages={
            "required": "Choisissez le nouveau statut de la facture.",
            "invalid_choice": "Ce statut n'est pas possible pour cette facture.",
        },
    )
    motif = forms.CharField(
        label="Motif",
        required=False,
        max_length=MOTIF_LONGUEUR_MAX,
        help_text="Obligatoire pour suspendre ou rejeter la facture.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": f"Le motif ne peut pas dépasser {MOTIF_LONGUEUR_MAX} caractères."},
    )

    def __init__(self, *args, statuts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["statut_cible"].choices = [("", "Choisir un statut")] + [
            (s, StatutFacture(s).label) for s in statuts
        ]
