from django import forms
from dsfr.forms import DsfrBaseForm

from engagements.chargement import COLONNES, TAILLE_MAX


class ChargerEngagementsForm(DsfrBaseForm):
    structure = forms.ModelChoiceField(
        label="Structure publique qui émet les engagements",
        queryset=None,
        empty_label="Choisir une structure",
        error_messages={
            "required": "Choisissez la structure publique qui émet les engagements.",
            "invalid_choice": "Vous ne pouvez pas charger d'engagements pour cette structure.",
        },
    )
    fichier = forms.FileField(
        label="Fichier des engagements (CSV)",
        allow_empty_file=True,
        help_text=(
            f"CSV séparé par « ; », une ligne par ligne d'engagement, {TAILLE_MAX // (1024 * 1024)} Mo au plus. "
            f"Colonnes : {';'.join(COLONNES)}."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
        error_messages={
            "required": "Choisissez le fichier des engagements.",
            "missing": "Choisissez le fichier des engagements.",
            "invalid": "Le fichier envoyé n'a pas pu être lu : choisissez-le à nouveau.",
        },
    )

    def __init__(self, *args, structures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["structure"].queryset = structures
        self.fields["structure"].label_from_instance = lambda s: f"{s.raison_sociale} ({s.identifiant})"
        premieres = list(structures[:2])
        if len(premieres) == 1:
            self.fields["structure"].initial = premieres[0].pk
