"""GET forms of the « Factures de travaux » lists: the Synthèse's filters and the search criteria."""

from django import forms
from dsfr.forms import DsfrBaseForm

from chorus.recherche import RechercheListe
from facturation.enums import CadreFacturation, StatutFacture
from facturation.forms.champs import champ_date
from organisation.models import Structure
from travaux.regles import CADRES_TRAVAUX
from travaux.selectors import listes
from travaux.selectors.listes import ROLES, TRI_DEFAUT, TYPES_DE_PIECE


def _choix(vide, choix):
    return [("", vide), *choix]


class _StructureChoix(forms.ModelChoiceField):
    def label_from_instance(self, structure):
        return f"{structure.raison_sociale} ({structure.identifiant})"


def _champ_structure():
    return _StructureChoix(label="Structure", required=False, queryset=Structure.objects.none(), empty_label="Toutes")


class SyntheseForm(RechercheListe, DsfrBaseForm):
    structure = _champ_structure()
    # tables/messages.csv synthese_masquer_rejetees / synthese_masquer_telechargees
    masquer_rejetees = forms.BooleanField(
        label="Masquer les factures rejetées depuis plus de 10 jours", required=False
    )
    masquer_telechargees = forms.BooleanField(label="Masquer les factures téléchargées", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["structure"].queryset = listes.structures_travaux(user)

    def filtres(self):
        if not (self.is_bound and self.is_valid()):
            return {}
        return dict(self.cleaned_data)


TRIS = [
    ("-depot", "Date de dépôt (la plus récente d'abord)"),
    ("depot", "Date de dépôt (la plus ancienne d'abord)"),
    ("numero", "Numéro de pièce (A → Z)"),
    ("-numero", "Numéro de pièce (Z → A)"),
    ("dossier", "Numéro de dossier (A → Z)"),
    ("-dossier", "Numéro de dossier (Z → A)"),
    ("cadre", "Cadre (A → Z)"),
    ("-cadre", "Cadre (Z → A)"),
    ("statut", "État courant"),
    ("-montant", "Montant TTC (le plus élevé d'abord)"),
    ("montant", "Montant TTC (le plus faible d'abord)"),
]


class RechercheForm(RechercheListe, DsfrBaseForm):
    role = forms.ChoiceField(
        label="Rôle", required=False, choices=_choix("Tous les rôles", [(r.value, r.label) for r in ROLES])
    )
    structure = _champ_structure()
    type_piece = forms.ChoiceField(
        label="Type de pièce", required=False, choices=_choix("Tous les types", [(t, t) for t in TYPES_DE_PIECE])
    )
    destinataire = forms.CharField(
        label="Destinataire (maîtrise d'ouvrage)",
        required=False,
        max_length=255,
        help_text="SIRET, SIREN avec l'option ci-dessous, ou raison sociale (une partie suffit).",
    )
    recherche_siren = forms.BooleanField(
        label="Rechercher sur le SIREN du destinataire (tous ses établissements)", required=False
    )
    code_service = forms.CharField(label="Code service du destinataire", required=False, max_length=100)
    statut = forms.ChoiceField(
        label="État courant",
        required=False,
        choices=_choix("Tous les états", [c for c in StatutFacture.choices if c[0] != StatutFacture.BROUILLON]),
    )
    numero_dossier = forms.CharField(label="Numéro de dossier de facturation", required=False, max_length=30)
    cadre = forms.ChoiceField(
        label="Cadre de facturation",
        required=False,
        choices=_choix("Tous les cadres", [(c, f"{c} – {CadreFacturation(c).label}") for c in CADRES_TRAVAUX]),
    )
    depot_du = champ_date("Déposée du")
    depot_au = champ_date("Déposée au")
    tri = forms.ChoiceField(label="Trier par", required=False, choices=TRIS)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["structure"].queryset = listes.structures_travaux(user)

    def clean(self):
        donnees = super().clean()
        if donnees.get("depot_du") and donnees.get("depot_au") and donnees["depot_du"] > donnees["depot_au"]:
            self.add_error("depot_au", "La date de fin doit être postérieure ou égale à la date de début.")
        return donnees

    def criteres(self):
        """(criteria, tri); an invalid form gives none, and its page lists nothing (filtrer())."""
        donnees = dict(self.cleaned_data) if self.is_bound and self.is_valid() else {}
        tri = donnees.pop("tri", "") or self.data.get("tri", "")
        if tri not in listes.TRIS:
            tri = TRI_DEFAUT
        return donnees, tri


def _periode_valide(form, donnees, debut, fin):
    if donnees.get(debut) and donnees.get(fin) and donnees[debut] > donnees[fin]:
        form.add_error(fin, "La date de fin doit être postérieure ou égale à la date de début.")


class ListeFiscaleForm(RechercheListe, DsfrBaseForm):
    role = forms.ChoiceField(
        label="Rôle", required=False, choices=_choix("Tous les rôles", [(r.value, r.label) for r in ROLES])
    )
    structure = _champ_structure()
    depot_du = champ_date("Déposée du")
    depot_au = champ_date("Déposée au")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["structure"].queryset = listes.structures_travaux(user)

    def clean(self):
        donnees = super().clean()
        _periode_valide(self, donnees, "depot_du", "depot_au")
        return donnees

    def criteres(self):
        return dict(self.cleaned_data) if self.is_bound and self.is_valid() else {}


TRIS_ARCHIVES = [
    ("-clos", "Date de clôture (la plus récente d'abord)"),
    ("clos", "Date de clôture (la plus ancienne d'abord)"),
    ("dossier", "Numéro de dossier (A → Z)"),
    ("-dossier", "Numéro de dossier (Z → A)"),
    ("marche", "Numéro de marché (A → Z)"),
    ("-marche", "Numéro de marché (Z → A)"),
]


class ArchivesForm(RechercheListe, DsfrBaseForm):
    numero = forms.CharField(label="Numéro de dossier de facturation", required=False, max_length=30)
    marche = forms.CharField(label="Numéro de marché", required=False, max_length=50)
    du = champ_date("Clos du")
    au = champ_date("Clos au")
    tri = forms.ChoiceField(label="Trier par", required=False, choices=TRIS_ARCHIVES)

    def clean(self):
        donnees = super().clean()
        _periode_valide(self, donnees, "du", "au")
        return donnees

    def criteres(self):
        donnees = dict(self.cleaned_data) if self.is_bound and self.is_valid() else {}
        donnees["tri"] = donnees.get("tri") or "-clos"
        return donnees
