"""« Aide » on each screen (row 104): the articles that lead to a page are linked above its content, for free (no
query), and every one of those links leads to a published article."""

import pytest
from django.urls import reverse

from assistant.aide import AIDE_PAR_PAGE
from assistant.models import Article
from tests.conftest import connecter

pytestmark = pytest.mark.django_db


def test_la_page_de_connexion_a_son_aide(client, base_connaissances):
    page = client.get(reverse("organisation:connexion")).content.decode()
    bloc = page[page.index('id="aide-page"') :]
    [(slug, titre)] = AIDE_PAR_PAGE["organisation:connexion"]
    assert f'href="{reverse("assistant:article", args=[slug])}">{titre}</a>' in bloc
    assert client.get(reverse("assistant:article", args=[slug])).status_code == 200


def test_une_page_sans_article_n_a_pas_d_aide(client, db):
    assert 'id="aide-page"' not in client.get(reverse("accessibilite")).content.decode()


def test_la_synthese_des_factures_emises_montre_ses_articles(client, base_connaissances, utilisateur):
    connecter(client, utilisateur)
    page = client.get(reverse("facturation:emises_synthese")).content.decode()
    liens = AIDE_PAR_PAGE["facturation:emises_synthese"]
    assert 1 < len(liens) <= 3
    for slug, _titre in liens:
        assert reverse("assistant:article", args=[slug]) in page


def test_chaque_page_aidee_existe_et_chaque_article_est_publie(base_connaissances):
    publies = set(Article.objects.filter(publie=True).values_list("slug", flat=True))
    for page, articles in AIDE_PAR_PAGE.items():
        reverse(page)  # a renamed page fails here
        assert {slug for slug, _titre in articles} <= publies, page
