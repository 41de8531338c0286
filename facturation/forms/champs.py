"""The search fields the invoice spaces share (dates and amounts), with their French messages."""

import re

from django import forms


def champ_date(label):
    return forms.DateField(
        label=label,
        required=False,
        help_text="Format attendu : jj/mm/aaaa",
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": f"La date « {label} » n'est pas valide (format attendu : jj/mm/aaaa)."},
    )


class MontantFrancais(forms.DecimalField):
    """An amount as the French write it: « 18 500,00 » (thousands apart by a space, even a no-break one), « 18500,00 »
    or « 18500.00 »."""

    def to_python(self, value):
        if isinstance(value, str):
            value = re.sub(r"[\s\u202f]", "", value)
        return super().to_python(value)


def champ_montant(label, aide="Montant TTC, par exemple 1250,50"):
    return MontantFrancais(
        label=label,
        required=False,
        min_value=0,
        max_digits=19,
        decimal_places=2,
        localize=True,
        help_text=aide,
        error_messages={
            "invalid": f"Le champ « {label} » doit être un montant, par exemple 1250,50.",
            "min_value": f"Le champ « {label} » ne peut pas être négatif.",
            "max_decimal_places": f"Le champ « {label} » a au plus 2 décimales.",
            "max_digits": f"Le champ « {label} » est trop grand.",
        },
    )
