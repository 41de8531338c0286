from django.db import models

from assistant.enums import Theme


class Article(models.Model):
    """One answer of the virtual assistant's knowledge base (chorus-pro-features.md rows 98 and 104).

    `corps` is plain text: paragraphs separated by a blank line, lines starting with "- " form a list. `mots_cles`
    holds the words users type for this subject (weighted between the title and the body in the ranking).
    `lien_url` names a page of the portal (a URL name) that the article leads to.
    """

    titre = models.CharField("titre", max_length=200)
    slug = models.SlugField("adresse", max_length=100, unique=True)
    theme = models.CharField("thème", max_length=20, choices=Theme)
    resume = models.CharField("résumé", max_length=300)
    corps = models.TextField("texte")
    mots_cles = models.CharField("mots-clés", max_length=500, blank=True)
    source = models.CharField("source", max_length=255, blank=True)
    lien_url = models.CharField("page du portail (nom d'URL)", max_length=100, blank=True)
    lien_libelle = models.CharField("libellé du lien", max_length=100, blank=True)
    publie = models.BooleanField("publié", default=True)
    ordre = models.PositiveSmallIntegerField("ordre", default=0)
    modifie_le = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        verbose_name = "article de l'assistant"
        verbose_name_plural = "articles de l'assistant"
        ordering = ["ordre", "titre"]

    def __str__(self):
        return self.titre
