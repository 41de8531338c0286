from django import forms
from dsfr.forms import DsfrBaseForm

from travaux.services.refus import COMMENTAIRE_LONGUEUR_MAX


class RefuserPieceForm(DsfrBaseForm):
    """« Refuser »: the motifs of travaux_refus.csv for this cadre, this actor, on the portal."""

    prefix = "refuser"
    motif = forms.ChoiceField(
        label="Motif du refus",
        error_messages={
            "required": "Choisissez le motif du refus.",
            "invalid_choice": "Choisissez un motif de la liste.",
        },
    )
    commentaire = forms.CharField(
        label="Commentaire",
        required=False,
        max_length=COMMENTAIRE_LONGUEUR_MAX,
        help_text="Facultatif. Il figure dans l'historique de la pièce.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": f"Le commentaire ne doit pas dépasser {COMMENTAIRE_LONGUEUR_MAX} caractères."},
    )

    def __init__(self, *args, motifs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["motif"].choices = [("", "Sélectionner un motif")] + [(m, m) for m in motifs]
