"""Display of invoice values: amounts in the currency's precision, status labels from the status table, units of
measure by their French name, French plurals."""

from decimal import Decimal

from django import template

from chorus.templatetags.portail import pluriel
from facturation import adresses
from facturation.enums import StatutFacture, arrondir, decimales
from facturation.unites import libelle_unite
from organisation.pays import nom_du_pays

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


# French plural: the portal-wide filter (a builtin), also loadable from here by the templates that name it
register.filter("pluriel", pluriel)


@register.filter
def unite(code, quantite=None):
    """BT-130 by its French name: « H87 » → « pièce », « pièces » with a quantity of 2 or more."""
    return libelle_unite(code, quantite)


@register.filter
def adresse_postale(facture, role):
    """The postal address of `role` (« fournisseur », « destinataire ») kept on the invoice: its lines, then the
    country's name."""
    postale = adresses.adresse(facture, role)
    return [*postale.lignes, nom_du_pays(postale.pays)]
