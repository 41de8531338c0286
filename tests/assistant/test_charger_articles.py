"""The articles live as Markdown files (assistant/articles/*.md), loaded by `manage.py charger_articles`: the command
loads every file, a second run changes nothing, an edited file updates its article only."""

import io

import pytest
from django.core.management import call_command

from assistant.fichiers import DOSSIER, ArticleInvalide, lire_article
from assistant.models import Article
from assistant.services import articles_charger

pytestmark = pytest.mark.django_db


def _charger():
    sortie = io.StringIO()
    call_command("charger_articles", stdout=sortie)
    return sortie.getvalue()


def test_la_commande_charge_tous_les_articles():
    fichiers = sorted(DOSSIER.glob("*.md"))
    assert len(fichiers) == 34
    Article.objects.all().delete()
    assert "34 ajoutés, 0 mis à jour, 0 inchangés" in _charger()
    assert sorted(Article.objects.values_list("slug", flat=True)) == sorted(f.stem for f in fichiers)
    assert Article.objects.filter(publie=True).count() == 34
    article = Article.objects.get(slug="double-authentification")
    assert article.titre == "Se connecter avec la double authentification"
    assert article.theme == "COMPTE"
    assert article.lien_url == "organisation:facteurs"
    assert article.corps.startswith("Le dispositif de double authentification est entré en vigueur")
    assert "- saisir l'adresse de connexion" in article.corps


def test_une_seconde_execution_ne_change_rien():
    _charger()
    avant = list(Article.objects.order_by("pk").values())
    assert "0 ajoutés, 0 mis à jour, 34 inchangés" in _charger()
    assert list(Article.objects.order_by("pk").values()) == avant


def test_un_fichier_modifie_met_a_jour_son_article_seul(tmp_path):
    for fichier in DOSSIER.glob("*.md"):
        (tmp_path / fichier.name).write_text(fichier.read_text(encoding="utf-8"), encoding="utf-8")
    articles_charger(tmp_path)
    chemin = tmp_path / "notes-de-version.md"
    chemin.write_text(chemin.read_text(encoding="utf-8").replace("en bas de page", "au pied de chaque page"))
    bilan = articles_charger(tmp_path)
    assert (bilan.crees, bilan.modifies, bilan.inchanges) == (0, 1, 33)
    assert "au pied de chaque page" in Article.objects.get(slug="notes-de-version").corps


def test_un_fichier_mal_forme_est_nomme(tmp_path):
    chemin = tmp_path / "sans-theme.md"
    chemin.write_text("---\nslug: sans-theme\ntitre: T\nordre: 1\nresume: R\n---\n\nTexte\n", encoding="utf-8")
    with pytest.raises(ArticleInvalide, match="sans-theme.md : champs manquants : theme"):
        lire_article(chemin)
