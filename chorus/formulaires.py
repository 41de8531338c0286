"""The forms' renderer: Django's TemplatesSetting, except for the <select> widget, written here in Python.

A select renders one template per option (select_option.html, then attrs.html for its attributes): the « Factures
reçues » search form, with its status, cadre, structure and service lists, rendered 92 option templates and 106
attribute templates per page, about 40 ms of a 90 ms page at demo size (issue #16, measured with pyinstrument and a
per-template timer). The markup below is those templates' own, byte for byte (tests/test_formulaires.py compares
them), so a page looks the same; any other widget, or a select whose template was changed, goes through the
templates as before."""

from django.forms.renderers import TemplatesSetting
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"


def _attrs(attrs):
    # attrs.html: ` name="value"`, ` name` for True, nothing for False
    morceaux = []
    for nom, valeur in attrs.items():
        if valeur is False:
            continue
        morceaux.append(f" {conditional_escape(nom)}")
        if valeur is not True:
            morceaux.append(f'="{conditional_escape(str(valeur))}"')
    return "".join(morceaux)


def _option(option):
    valeur = conditional_escape(str(option["value"]))
    return f'<option value="{valeur}"{_attrs(option["attrs"])}>{conditional_escape(option["label"])}</option>'


def rendre_select(widget):
    """select.html and select_option.html, in Python; None when an option uses another template."""
    morceaux = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for nom_groupe, options, _index in widget["optgroups"]:
        if nom_groupe:
            morceaux.append(f'\n  <optgroup label="{conditional_escape(nom_groupe)}">')
        for option in options:
            if option.get("template_name") != OPTION:
                return None
            # select_option.html ends with a newline, which the page keeps
            morceaux.append(f"\n  {_option(option)}\n")
        if nom_groupe:
            morceaux.append("\n  </optgroup>")
    morceaux.append("\n</select>")
    return mark_safe("".join(morceaux))


class RenduFormulaires(TemplatesSetting):
    def render(self, template_name, context, request=None):
        if template_name == SELECT and "widget" in context:
            html = rendre_select(context["widget"])
            if html is not None:
                return html
        return super().render(template_name, context, request)
