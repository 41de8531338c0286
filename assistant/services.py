"""Writes of the assistant: the articles of assistant/articles/*.md (read by assistant.fichiers) into the database."""

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from assistant.fichiers import DOSSIER, lire_articles
from assistant.models import Article


@dataclass(frozen=True)
class Bilan:
    crees: int
    modifies: int
    inchanges: int


@transaction.atomic
def articles_charger(dossier: Path = DOSSIER) -> Bilan:
    """Add the files' new articles and update the changed ones, by slug; an unchanged article is not written (its
    « modifié le » stays). An article whose file is gone stays in the database: unpublish it in the admin."""
    articles = lire_articles(dossier)
    existants = {a.slug: a for a in Article.objects.filter(slug__in=[a["slug"] for a in articles])}
    crees = modifies = 0
    for donnees in articles:
        article = existants.get(donnees["slug"])
        if article is None:
            Article.objects.create(**donnees)
            crees += 1
        elif any(getattr(article, cle) != valeur for cle, valeur in donnees.items()):
            for cle, valeur in donnees.items():
                setattr(article, cle, valeur)
            article.save()
            modifies += 1
    return Bilan(crees, modifies, len(articles) - crees - modifies)
