from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def nombre_erreurs(form):
    return sum(len(errors) for errors in form.errors.values())


@register.filter
def pluriel(nombre, suffixes="s"):
    """Django's |pluralize with the French rule: below 2 is singular (« 0 facture trouvée », « 1 jour », « 2 jours »),
    where Django's English rule makes 0 plural. A builtin of the templates (settings TEMPLATES), so every page uses it.

    `nombre`: a number (or its text), or a collection counted by its length. `suffixes`: the plural suffix (« s »,
    « x »), or « singular,plural » suffixes (« al,aux »)."""
    singulier, _, pluriel_ = suffixes.rpartition(",") if "," in suffixes else ("", "", suffixes)
    if not isinstance(nombre, (int, float, Decimal, str)) and hasattr(nombre, "__len__"):
        nombre = len(nombre)
    try:
        compte = abs(Decimal(str(nombre)))
    except (TypeError, ValueError, ArithmeticError, InvalidOperation):
        return singulier
    return pluriel_ if compte >= 2 else singulier
