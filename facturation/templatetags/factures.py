"""Display of invoice values: amounts in the currency's precision, status labels from the status table, units of
measure by their French name, French plurals."""

from decimal import Decimal

from django import template

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


@register.filter
def pluriel(nombre, suffixes="s"):
    """Like Django's |pluralize, with the French rule: 0 and 1 are singular (« 0 jour », « 1 jour », « 2 jours »).

    `suffixes`: the plural suffix (« s », « x »), or « singular,plural » suffixes."""
    singulier, _, pluriel_ = suffixes.rpartition(",") if "," in suffixes else ("", "", suffixes)
    try:
        compte = abs(Decimal(len(nombre) if hasattr(nombre, "__len__") else nombre))
    except (TypeError, ValueError, ArithmeticError):
        return singulier
    return pluriel_ if compte >= 2 else singulier


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
