"""The fields the invoice pages share (dates, amounts and numbers), with their French messages.

Every amount of the portal is typed through `champ_montant`: people write « 4,50 », « 18 500,00 » (a space, a
non-breaking or a narrow non-breaking space between thousands, as a spreadsheet copies it) or « 18500.00 ».
"""

from django import forms

from chorus.chiffres import nombre_francais
from facturation.regles_depot import messages_montant

# The rule of FactureQuerySet.numero_commence_par, told where the number is typed.
AIDE_NUMERO_RECHERCHE = "Début du numéro, majuscules et minuscules confondues"


def champ_numero_recherche():
    """The invoice-number criterion of the search forms (Factures reçues, émises, à valider, Archives)."""
    return forms.CharField(label="Numéro de facture", required=False, max_length=20, help_text=AIDE_NUMERO_RECHERCHE)


def champ_date(label):
    return forms.DateField(
        label=label,
        required=False,
        help_text="Format attendu : jj/mm/aaaa",
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": f"La date « {label} » n'est pas valide (format attendu : jj/mm/aaaa)."},
    )


class NombreFrancais(forms.DecimalField):
    """A DecimalField that reads French numbers whatever the active locale (see `nombre_francais`); it shows its
    value with a decimal comma."""

    widget = forms.TextInput

    def __init__(self, **kwargs):
        kwargs.setdefault("localize", True)
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = nombre_francais(value)
        return super().to_python(value)

    def widget_attrs(self, widget):
        # a text input (a number input would refuse the comma): the decimal keyboard on a phone
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "decimal", "autocomplete": "off"})
        attrs.pop("step", None)
        attrs.pop("min", None)
        return attrs


AIDE_MONTANT = "Montant TTC, par exemple 1250,50"


def champ_montant(label, *, requis=False, aide=AIDE_MONTANT, decimales=2):
    """An amount, never negative; each message names the field. `decimales` is the most the field accepts (the
    currency's own precision is checked where the currency is known)."""
    return NombreFrancais(
        label=label,
        required=requis,
        min_value=0,
        max_digits=19,
        decimal_places=decimales,
        help_text=aide,
        error_messages=messages_montant(label, decimales),
    )
