from django import forms
from dsfr.forms import DsfrBaseForm

from chorus.recherche import RechercheListe
from facturation.enums import CadreFacturation, StatutFacture, lire_table
from facturation.forms.champs import champ_date, champ_montant, champ_numero_recherche
from facturation.selectors import recues as selecteurs

# The portal's motif lists (facturation/regles/motifs_traitement.csv): {status: [motif, …]}
MOTIFS = {}
for _ligne in lire_table("motifs_traitement.csv"):
    MOTIFS.setdefault(_ligne["statut"], []).append(_ligne["motif"])
# a motif that says nothing by itself: the comment has to
MOTIFS_A_PRECISER = {"Autre", "Autre motif"}
GROUPES_MOTIFS = {StatutFacture.SUSPENDUE: "Motifs de suspension", StatutFacture.REJETEE: "Motifs de rejet"}
COMMENTAIRE_MAX = 1000


class RechercheForm(RechercheListe, DsfrBaseForm):
    """Chorus Pro's recipient search criteria; `tri` follows the sortable column headers."""

    numero = champ_numero_recherche()
    fournisseur = forms.CharField(
        label="Fournisseur", required=False, max_length=255, help_text="Raison sociale (une partie suffit) ou SIRET."
    )
    destinataire = forms.ChoiceField(label="Structure destinataire", required=False)
    service = forms.ChoiceField(label="Service destinataire", required=False)
    statut = forms.ChoiceField(
        label="Statut",
        required=False,
        choices=[("", "Tous les statuts")]
        + [(code, libelle) for code, libelle in StatutFacture.choices if code != StatutFacture.BROUILLON],
    )
    cadre = forms.ChoiceField(
        label="Cadre de facturation",
        required=False,
        choices=[("", "Tous les cadres")]
        + [(code, f"{code} – {libelle}") for code, libelle in CadreFacturation.choices],
    )
    depot_du = champ_date("Déposée du")
    depot_au = champ_date("Déposée au")
    facture_du = champ_date("Date de facture du")
    facture_au = champ_date("Date de facture au")
    montant_min = champ_montant("Montant minimum")
    montant_max = champ_montant("Montant maximum")
    telechargee = forms.ChoiceField(
        label="Téléchargée",
        required=False,
        choices=[("", "Toutes les factures"), ("non", "Non téléchargées"), ("oui", "Téléchargées")],
    )
    tri = forms.ChoiceField(required=False, widget=forms.HiddenInput, choices=[(cle, cle) for cle in selecteurs.TRIS])

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["destinataire"].choices = [("", "Toutes vos structures")] + [
            (str(pk), f"{raison_sociale} ({identifiant})")
            for pk, raison_sociale, identifiant in selecteurs.structures_recues(user)
        ]
        self.fields["service"].choices = [("", "Tous les services"), (selecteurs.SANS_SERVICE, "Sans service")] + [
            (str(pk), f"{raison_sociale} – {code} ({libelle})")
            for pk, raison_sociale, code, libelle in selecteurs.services_recus(user)
        ]

    def clean(self):
        donnees = super().clean()
        for debut, fin, message in (
            ("depot_du", "depot_au", "La date de dépôt de fin doit être postérieure ou égale à celle de début."),
            ("facture_du", "facture_au", "La date de facture de fin doit être postérieure ou égale à celle de début."),
            ("montant_min", "montant_max", "Le montant maximum doit être supérieur ou égal au montant minimum."),
        ):
            if donnees.get(debut) is not None and donnees.get(fin) is not None and donnees[debut] > donnees[fin]:
                self.add_error(fin, message)
        return donnees

    def criteres(self):
        """(criteria, sort): an invalid form gives none, and its page lists nothing (filtrer())."""
        if not self.is_bound or not self.is_valid():
            return {}, selecteurs.TRI_DEFAUT
        donnees = dict(self.cleaned_data)
        return donnees, donnees.pop("tri") or selecteurs.TRI_DEFAUT


class _ObligatoireSelonStatut:
    """Required only for some target statuses (checked by the workflow and clean()): labelled without « (Optionnel) »,
    announced as required where recues_traiter.js shows it, but an empty value passes the field's own check."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, required=True, **kwargs)

    def validate(self, value):
        if value not in self.empty_values:
            super().validate(value)


class ChoixSelonStatut(_ObligatoireSelonStatut, forms.ChoiceField):
    pass


class TexteSelonStatut(_ObligatoireSelonStatut, forms.CharField):
    pass


class TraiterForm(DsfrBaseForm):
    """« Traiter » (row 55): the target statuses allowed now, a motif from the portal's list for a suspension or a
    rejection, a comment, and the mandate number for « Mandatée ». Whether the motif is required is the workflow's
    rule: facture_traiter says so, this form only checks that the motif fits the status."""

    statut_cible = forms.ChoiceField(
        label="Nouveau statut",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choisissez le nouveau statut de la facture.",
            "invalid_choice": "Ce statut n'est pas possible pour cette facture.",
        },
    )
    motif = ChoixSelonStatut(
        label="Motif",
        help_text="Obligatoire pour suspendre ou rejeter la facture ; il est communiqué au fournisseur.",
        error_messages={"invalid_choice": "Choisissez un motif de la liste."},
    )
    commentaire = forms.CharField(
        label="Commentaire",
        required=False,
        max_length=COMMENTAIRE_MAX,
        help_text="Facultatif, sauf pour un motif « Autre ». Le fournisseur le lit dans l'historique de la facture, à "
        "côté du motif.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": f"Le commentaire ne doit pas dépasser {COMMENTAIRE_MAX} caractères."},
    )
    numero_mandat = TexteSelonStatut(
        label="Numéro de mandat",
        help_text="Obligatoire pour le statut « Mandatée ».",
        max_length=50,
        error_messages={"max_length": "Le numéro de mandat ne doit pas dépasser 50 caractères."},
    )

    def __init__(self, *args, statuts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["statut_cible"].choices = [(s, StatutFacture(s).label) for s in statuts]
        groupes = [(GROUPES_MOTIFS[s], [(m, m) for m in MOTIFS[s]]) for s in GROUPES_MOTIFS if s in statuts]
        self.fields["motif"].choices = [("", "Choisir un motif")] + groupes
        if not groupes:
            del self.fields["motif"]
        if StatutFacture.MANDATEE not in statuts:
            del self.fields["numero_mandat"]

    def clean(self):
        donnees = super().clean()
        cible, motif = donnees.get("statut_cible"), donnees.get("motif", "")
        commentaire = donnees.get("commentaire", "")
        if cible not in MOTIFS:
            # a motif left selected for another status means nothing here
            donnees["motif"] = ""
        elif motif and motif not in MOTIFS[cible]:
            self.add_error(
                "motif",
                f"Ce motif ne convient pas au statut « {StatutFacture(cible).label} » : choisissez-en un de "
                f"la liste « {GROUPES_MOTIFS[cible]} ».",
            )
        elif motif in MOTIFS_A_PRECISER and not commentaire.strip():
            self.add_error("commentaire", f"Précisez le motif « {motif} » dans le commentaire.")
        if cible != StatutFacture.MANDATEE:
            donnees["numero_mandat"] = ""
        return donnees
