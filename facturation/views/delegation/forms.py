from django import forms
from dsfr.forms import DsfrBaseForm

from facturation.enums import DroitDelegation


class DelegationForm(DsfrBaseForm):
    siret = forms.CharField(
        label="SIRET de la structure déléguée",
        max_length=20,
        help_text="14 chiffres. Toute structure active de Chorus Pro, publique ou privée.",
        error_messages={"required": "Saisissez le SIRET de la structure déléguée (14 chiffres)."},
    )
    droit = forms.ChoiceField(
        label="Droit accordé",
        choices=DroitDelegation.choices,
        widget=forms.RadioSelect,
        help_text="Droit de validation : le délégué valide ou refuse, puis la facture est transmise à votre "
        "structure. Droit de traitement : le délégué peut aussi mettre en paiement, suspendre, rejeter ou faire "
        "recycler la facture, qui ne vous est alors pas transmise.",
        error_messages={"required": "Choisissez le droit accordé : droit de validation ou droit de traitement."},
    )
    services = forms.ModelMultipleChoiceField(
        label="Services délégués",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Ne cochez aucun service pour déléguer les factures de toute la structure.",
        error_messages={"invalid_choice": "Ce service n'est pas un service actif de la structure."},
    )

    def __init__(self, *args, services, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["services"].queryset = services
        self.fields["services"].label_from_instance = lambda s: f"{s.code} – {s.libelle}"
        if not services:
            del self.fields["services"]
