"""{% horloge_paiement facture as horloge %} for the consult pages, then
{% include "facturation/_partials/delai_paiement.html" %}; and an amount filter that knows its currency."""

from django import template
from django.utils.formats import number_format

from facturation.delai_paiement import horloge
from facturation.enums import decimales

register = template.Library()

SYMBOLES = {"EUR": "€"}


@register.simple_tag
def horloge_paiement(facture, aujourd_hui=None):
    return horloge(facture, aujourd_hui)


@register.filter
def montant_devise(valeur, devise="EUR"):
    """1234.5, "EUR" → "1 234,50 €"; XPF has no decimals: 1234, "XPF" → "1 234 XPF"."""
    if valeur is None or valeur == "":
        return ""
    nombre = number_format(valeur, decimal_pos=decimales(devise), use_l10n=True, force_grouping=True)
    return f"{nombre}\u00a0{SYMBOLES.get(devise, devise)}"
