"""The forms' renderer: Django's TemplatesSetting, except for the <select> and <input> widgets and the DSFR's field
group around them, written here in Python.

A select renders one template per option (select_option.html, then attrs.html for its attributes): the « Factures
reçues » search form, with its status, cadre, structure and service lists, rendered 92 option templates and 106
attribute templates per page, about 40 ms of a 90 ms page at demo size (issue #16, measured with pyinstrument and a
per-template timer). Once they were written here, the 13 other fields' DSFR groups (input_snippet.html, each with
its input.html and attrs.html) were the form's next cost: about 6 ms of CPU of the same page. The markup below is
those templates' own, byte for byte (tests/test_formulaires.py compares them), so a page looks and reads the same
(labels, hints, error messages, aria attributes); any other widget, or a template that an application or the
project overrides, goes through the templates as before."""

from pathlib import Path

import django
import dsfr
from django.forms.renderers import TemplatesSetting
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from dsfr.templatetags.dsfr_tags import dsfr_mark_optionnal_fields
from dsfr.utils import dsfr_input_class_attr

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"
# the widgets whose template is `{% include "django/forms/widgets/input.html" %}` and nothing else
INPUTS = {
    f"django/forms/widgets/{nom}.html"
    for nom in (
        "checkbox",
        "color",
        "date",
        "datetime",
        "email",
        "file",
        "hidden",
        "number",
        "password",
        "search",
        "tel",
        "text",
        "time",
        "url",
    )
}
INPUT = "django/forms/widgets/input.html"
ATTRS = "django/forms/widgets/attrs.html"
GROUPE = "dsfr/form_field_snippets/input_snippet.html"
# where the templates written here come from; another origin (an override) is rendered by its template
_DJANGO = Path(django.__file__).resolve().parent / "forms" / "templates"
_DSFR = Path(dsfr.__file__).resolve().parent / "templates"
ORIGINES = dict.fromkeys((*INPUTS, INPUT, ATTRS, SELECT, OPTION), _DJANGO) | {GROUPE: _DSFR}


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
    return mark_safe("".join(morceaux))  # noqa: S308 — every value put in is conditional_escape()d


def rendre_input(widget):
    """input.html (with attrs.html), in Python."""
    valeur = widget["value"]
    valeur = "" if valeur is None else f' value="{conditional_escape(str(valeur))}"'
    return mark_safe(  # noqa: S308 — every value put in is conditional_escape()d
        f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"'
        f"{valeur}{_attrs(widget['attrs'])}>"
    )


def rendre_groupe(field):
    """The DSFR's input_snippet.html (label, optional mark, hint, widget, error messages), in Python; the order of its
    evaluation kept (the errors first, then dsfr_input_class_attr, which sets aria-invalid, then the widget)."""
    groupe = conditional_escape(getattr(field.field.widget, "group_class", "") or "fr-input-group")
    erreurs = field.errors
    classes = [groupe]
    if erreurs:
        classes.append(f" {groupe}--error")
    if field.field.disabled:
        classes.append(" fr-input-group--disabled")
    id_libelle = conditional_escape(field.id_for_label)
    morceaux = [
        f'<div class="{"".join(classes)}">\n',
        f'  <label for="{id_libelle}" class="fr-label">\n',
        "    \n",
        f"    {conditional_escape(field.label)}{conditional_escape(dsfr_mark_optionnal_fields(field))}\n",
        "    ",
    ]
    if field.help_text:
        morceaux.append(
            f'\n      <span class="fr-hint-text" id="{id_libelle}_helptext">{field.help_text}</span>\n    '
        )
    morceaux += ["\n", "    \n", "  </label>\n", f"  {conditional_escape(dsfr_input_class_attr(field))}\n", "  "]
    if erreurs:
        morceaux.append(
            f'\n    <div id="{conditional_escape(field.auto_id)}-desc-error">\n'
            f"      {conditional_escape(erreurs)}\n    </div>\n  "
        )
    morceaux.append("\n</div>")
    return mark_safe("".join(morceaux))  # noqa: S308 — every value put in is conditional_escape()d


class RenduFormulaires(TemplatesSetting):
    def __init__(self):
        super().__init__()
        self._origines = {}

    def _gabarit_d_origine(self, template_name):
        """Whether the template the engine finds under this name is the one written here (not an override)."""
        if template_name not in self._origines:
            origine = Path(self.get_template(template_name).origin.name).resolve()
            self._origines[template_name] = origine.is_relative_to(ORIGINES[template_name])
        return self._origines[template_name]

    def _en_python(self, *noms):
        return all(self._gabarit_d_origine(nom) for nom in noms)

    def render(self, template_name, context, request=None):
        if template_name == SELECT and "widget" in context and self._en_python(SELECT, OPTION, ATTRS):
            html = rendre_select(context["widget"])
            if html is not None:
                return html
        elif template_name in INPUTS and "widget" in context and self._en_python(template_name, INPUT, ATTRS):
            return rendre_input(context["widget"])
        elif template_name == GROUPE and "field" in context and self._en_python(GROUPE):
            return rendre_groupe(context["field"])
        return super().render(template_name, context, request)
