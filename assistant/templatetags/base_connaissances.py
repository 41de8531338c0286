"""Display of the knowledge base: an article's plain-text body as paragraphs and lists, its link to the portal, and
the help links of the page being shown."""

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join

from assistant.aide import aide_de_la_page as articles_de_la_page

register = template.Library()


@register.filter
def paragraphes(texte):
    """Blank lines separate blocks; a block that starts with "- " is a list, one item per "- " (the lines between
    continue the item). Lines are joined with a space, so the text may be wrapped anywhere. Everything is escaped."""
    blocs = []
    for bloc in (texte or "").replace("\r\n", "\n").split("\n\n"):
        lignes = [ligne.strip() for ligne in bloc.strip().split("\n") if ligne.strip()]
        if not lignes:
            continue
        if lignes[0].startswith("- "):
            items = []
            for ligne in lignes:
                if ligne.startswith("- "):
                    items.append(ligne[2:])
                else:
                    items[-1] += " " + ligne
            blocs.append(format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((i,) for i in items))))
        else:
            blocs.append(format_html("<p>{}</p>", " ".join(lignes)))
    return format_html_join("", "{}", ((bloc,) for bloc in blocs))  # each bloc already escaped by format_html


@register.simple_tag
def lien_portail(article):
    """The URL of the portal page an article leads to, or "" when it names none (or a page that is gone)."""
    if not article.lien_url:
        return ""
    try:
        return reverse(article.lien_url)
    except NoReverseMatch:
        return ""


@register.inclusion_tag("assistant/_aide_page.html", takes_context=True)
def aide_de_la_page(context):
    """The help links of the page being shown (assistant/aide.py)."""
    request = context.get("request")
    correspondance = getattr(request, "resolver_match", None)
    return {"articles": articles_de_la_page(correspondance.view_name if correspondance else "")}
