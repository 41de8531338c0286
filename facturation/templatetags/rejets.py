"""{% load rejets %}{% popup_rejets %}: the rejection pop-up shown once after login (chorus-pro-features.md row 41).
Meant for templates/base.html, so that it appears on whatever page follows the login."""

from django import template

from facturation.views.emises.popup import REJETS_MONTRES_MAX, rejets_a_montrer

register = template.Library()


@register.inclusion_tag("facturation/emises/_popup_rejets.html", takes_context=True)
def popup_rejets(context):
    request = context.get("request")
    if request is None:
        return {"rejets": []}
    rejets = rejets_a_montrer(request)
    return {
        "rejets": rejets[:REJETS_MONTRES_MAX],
        "d_autres": len(rejets) > REJETS_MONTRES_MAX,
        "csrf_token": context.get("csrf_token"),
        "suivant": request.get_full_path(),
    }
