from django import forms
from dsfr.forms import DsfrBaseForm

from chorus.recherche import RechercheListe
from facturation.enums import CadreFacturation, ModeDepot, StatutFacture, TypeFacture
from facturation.forms.champs import champ_date, champ_montant, champ_numero_recherche
from facturation.selectors.emises import TRI_DEFAUT
from facturation.services.suivi import COMMENTAIRE_LONGUEUR_MAX


def _choix(vide, choix):
    return [("", vide), *choix]


TRIS = [
    ("-depot", "Date de dépôt (la plus récente d'abord)"),
    ("depot", "Date de dépôt (la plus ancienne d'abord)"),
    ("numero", "Numéro (A → Z)"),
    ("-numero", "Numéro (Z → A)"),
    ("destinataire", "Destinataire (A → Z)"),
    ("-destinataire", "Destinataire (Z → A)"),
    ("-date_facture", "Date de facture (la plus récente d'abord)"),
    ("date_facture", "Date de facture (la plus ancienne d'abord)"),
    ("-montant", "Montant TTC (le plus élevé d'abord)"),
    ("montant", "Montant TTC (le plus faible d'abord)"),
    ("-statut_depuis", "Changement de statut (le plus récent d'abord)"),
]


class RechercheForm(RechercheListe, DsfrBaseForm):
    """rechercherFactureParFournisseur's criteria (chorus-pro-api.md §2.1, features row 45)."""

    numero = champ_numero_recherche()
    destinataire = forms.CharField(
        label="Destinataire",
        required=False,
        max_length=255,
        help_text="SIRET, SIREN avec l'option ci-dessous, ou raison sociale (une partie suffit).",
    )
    recherche_siren = forms.BooleanField(
        label="Rechercher sur le SIREN du destinataire (tous ses établissements)", required=False
    )
    code_service = forms.CharField(label="Code service du destinataire", required=False, max_length=100)
    statut = forms.ChoiceField(
        label="Statut", required=False, choices=_choix("Tous les statuts", StatutFacture.choices)
    )
    cadre = forms.ChoiceField(
        label="Cadre de facturation",
        required=False,
        choices=_choix("Tous les cadres", [(c, f"{c} – {libelle}") for c, libelle in CadreFacturation.choices]),
    )
    type_facture = forms.ChoiceField(
        label="Type de facture", required=False, choices=_choix("Tous les types", TypeFacture.choices)
    )
    mode_depot = forms.ChoiceField(
        label="Mode de dépôt", required=False, choices=_choix("Tous les modes", ModeDepot.choices)
    )
    depot_du = champ_date("Déposée du")
    depot_au = champ_date("Déposée au")
    facture_du = champ_date("Date de facture du")
    facture_au = champ_date("Date de facture au")
    montant_min = champ_montant("Montant minimum")
    montant_max = champ_montant("Montant maximum")
    rejet_traite = forms.ChoiceField(
        label="Rejet traité",
        required=False,
        choices=[("", "Indifférent"), ("oui", "Oui"), ("non", "Non (rejets à traiter)")],
    )
    tri = forms.ChoiceField(label="Trier par", required=False, choices=TRIS)

    def clean(self):
        donnees = super().clean()
        for debut, fin in (("depot_du", "depot_au"), ("facture_du", "facture_au")):
            if donnees.get(debut) and donnees.get(fin) and donnees[debut] > donnees[fin]:
                self.add_error(fin, "La date de fin doit être postérieure ou égale à la date de début.")
        mini, maxi = donnees.get("montant_min"), donnees.get("montant_max")
        if mini is not None and maxi is not None and mini > maxi:
            self.add_error("montant_max", "Le montant maximum doit être supérieur ou égal au montant minimum.")
        return donnees

    def criteres(self):
        """(criteria, tri); an invalid form gives none, and its page lists nothing (filtrer())."""
        donnees = dict(self.cleaned_data) if self.is_bound and self.is_valid() else {}
        tri = donnees.pop("tri", "") or TRI_DEFAUT
        return donnees, tri


class RecyclerForm(DsfrBaseForm):
    """Only the routing data change (row 42): every other posted field is ignored."""

    destinataire = forms.CharField(
        label="SIRET du destinataire",
        max_length=20,
        help_text="14 chiffres.",
        error_messages={"required": "Le SIRET du destinataire est obligatoire."},
    )
    code_service = forms.CharField(
        label="Code service", required=False, max_length=100, help_text="Facultatif, sauf si le destinataire l'exige."
    )
    numero_engagement = forms.CharField(
        label="Numéro d'engagement",
        required=False,
        max_length=50,
        help_text="Facultatif, sauf si le destinataire ou le service l'exige.",
        error_messages={"max_length": "Le numéro d'engagement ne peut pas dépasser 50 caractères."},
    )


class CorrigerValideurForm(DsfrBaseForm):
    """corrigerValideurFacture (row 65): the validator structure and, when it has one, its service."""

    identifiant_valideur = forms.CharField(
        label="SIRET du valideur",
        max_length=20,
        help_text="14 chiffres : le titulaire du marché (A9) ou le mandataire du groupement (A12).",
        error_messages={
            "required": "Le SIRET du valideur est obligatoire.",
            "max_length": "Le SIRET du valideur ne peut pas dépasser 20 caractères.",
        },
    )
    code_service_valideur = forms.CharField(
        label="Code service du valideur",
        required=False,
        max_length=100,
        help_text="Facultatif.",
        error_messages={"max_length": "Le code service du valideur ne peut pas dépasser 100 caractères."},
    )


class PiecesJointesWidget(forms.ClearableFileInput):
    allow_multiple_selected = True


class PiecesJointesField(forms.FileField):
    """Several files in one input: FileField alone refuses the list the multiple widget gives."""

    def clean(self, data, initial=None):
        fichiers = data if isinstance(data, (list, tuple)) else [data] if data else []
        return [super(PiecesJointesField, self).clean(fichier, initial) for fichier in fichiers]


class CompleterForm(DsfrBaseForm):
    commentaire = forms.CharField(
        label="Commentaire",
        required=False,
        max_length=COMMENTAIRE_LONGUEUR_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Le destinataire le lit dans l'historique de la facture. Un commentaire ou une pièce jointe au "
        "moins.",
        error_messages={"max_length": f"Le commentaire ne peut pas dépasser {COMMENTAIRE_LONGUEUR_MAX} caractères."},
    )
    pieces_jointes = PiecesJointesField(
        label="Pièces jointes",
        required=False,
        widget=PiecesJointesWidget(attrs={"multiple": True}),
        help_text="50 caractères au plus par nom de fichier, moins de 10 Mo par fichier, 120 Mo pour la facture et "
        "ses pièces jointes.",
    )

    def clean(self):
        donnees = super().clean()
        if not self.errors and not (donnees.get("commentaire") or "").strip() and not donnees.get("pieces_jointes"):
            self.add_error(
                "commentaire", "Ajoutez un commentaire ou au moins une pièce jointe pour compléter la facture."
            )
        return donnees
