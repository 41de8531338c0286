"""« Aide » on each screen (chorus-pro-features.md row 104): the knowledge-base articles that lead to the page being
shown, read from the articles' files (assistant/articles/*.md) once, so no page pays a query for its help links."""

from assistant.fichiers import lire_articles

# a page with more help than this shows the first ones, in the knowledge base's order
AIDE_MAX = 3


def _par_page():
    pages = {}
    for article in lire_articles():
        if article.get("lien_url"):
            pages.setdefault(article["lien_url"], []).append((article["slug"], article["titre"]))
    return {page: articles[:AIDE_MAX] for page, articles in pages.items()}


AIDE_PAR_PAGE = _par_page()


def aide_de_la_page(nom_de_vue):
    """[(slug, titre)] of the articles about the page whose view is `nom_de_vue` (« espace:nom »)."""
    return AIDE_PAR_PAGE.get(nom_de_vue or "", [])
