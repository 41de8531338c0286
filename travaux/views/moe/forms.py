from django import forms
from dsfr.forms import DsfrBaseForm

from chorus.exceptions import ApplicationError, erreur_dans_le_formulaire
from travaux.services.moe import moe_par_siret, service_de_la_moe


class AssocierMoeForm(DsfrBaseForm):
    """The MOE's SIRET, checked against the directory (an active structure), and its service if any."""

    moe_siret = forms.CharField(
        label="SIRET de la maîtrise d'œuvre",
        max_length=20,
        help_text="14 chiffres : la structure de maîtrise d'œuvre du marché, inscrite dans l'annuaire.",
        error_messages={"required": "ce champ est obligatoire.", "max_length": "14 chiffres attendus."},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    service_moe = forms.CharField(
        label="Code du service de la maîtrise d'œuvre",
        max_length=100,
        required=False,
        help_text="Facultatif.",
        error_messages={"max_length": "100 caractères au plus."},
    )

    def clean(self):
        donnees = super().clean()
        if self.errors:
            return donnees
        try:
            donnees["moe"] = moe_par_siret(donnees.get("moe_siret"))
            donnees["service"] = service_de_la_moe(donnees["moe"], donnees.get("service_moe"))
        except ApplicationError as erreur:
            erreur_dans_le_formulaire(self, erreur)
        return donnees
