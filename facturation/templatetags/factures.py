"""Display of invoice values: amounts in the currency's precision, status labels from the status table."""

from decimal import Decimal

from django import template

from facturation.enums import StatutFacture, arrondir, decimales

register = template.Library()

_LIBELLES = dict(StatutFacture.choices)


@register.filter
def montant(valeur, devise="EUR"):
    """« 1 234,56 EUR »; XPF shows no decimals (chorus-pro-features.md row 51). French grouping, no locale needed."""
    if valeur is None or valeur == "":
        return ""
    devise = devise or "EUR"
    arrondi = arrondir(Decimal(valeur), devise)
    texte = f"{arrondi:,.{decimales(devise)}f}".replace(",", "\u202f").replace(".", ",")
    return f"{texte}\u00a0{devise}"


@register.filter
def statut_libelle(code):
    return _LIBELLES.get(code, code)


@register.filter
def taux(valeur):
    """« 5,5 % », « 20 % »."""
    if valeur is None:
        return ""
    texte = f"{Decimal(valeur).normalize():f}".replace(".", ",")
    return f"{texte}\u00a0%"
