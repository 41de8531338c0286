from django import template

register = template.Library()


@register.filter
def nombre_erreurs(form):
    return sum(len(errors) for errors in form.errors.values())
