"""Validate or refuse an invoice awaiting validation: the same two forms for the validator (« Factures à valider »)
and for the recipient stepping in on a delegated invoice (« Factures reçues », row 63)."""

from django import forms
from dsfr.forms import DsfrBaseForm

from facturation.services.validation import MOTIF_LONGUEUR_MAX

COMMENTAIRE_MAX = 1000


def champ_commentaire():
    return forms.CharField(
        label="Commentaire",
        required=False,
        max_length=COMMENTAIRE_MAX,
        help_text="Facultatif. Il figure dans l'historique de la facture.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": f"Le commentaire ne doit pas dépasser {COMMENTAIRE_MAX} caractères."},
    )


class ValiderForm(DsfrBaseForm):
    prefix = "valider"
    commentaire = champ_commentaire()


class RefuserForm(DsfrBaseForm):
    """« Refusée par niveau 1 / 2 »: final, with a motif the supplier reads before treating the rejection."""

    prefix = "refuser"
    motif = forms.CharField(
        label="Motif du refus",
        max_length=MOTIF_LONGUEUR_MAX,
        help_text="Obligatoire. Il est communiqué au fournisseur, qui pourra traiter le rejet.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Saisissez le motif du refus : il est communiqué au fournisseur.",
            "max_length": f"Le motif du refus ne doit pas dépasser {MOTIF_LONGUEUR_MAX} caractères.",
        },
    )
    commentaire = champ_commentaire()
