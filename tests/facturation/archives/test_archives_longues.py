"""The Archives grow every year, faster than the live lists: their page reads its rows plus one, says the number of
results when it is known without counting, counts on request, and tells the archiving period the portal applies."""

import pytest
from django.urls import reverse

from tests.facturation.archives.test_archives import IL_Y_A_TROIS_ANS, archiver

pytestmark = pytest.mark.django_db


def _archiver(monde, nombre):
    for i in range(nombre):
        monde.facture(numero=f"F-VIEILLE-{i:03}", statut="MISE_EN_PAIEMENT", deposee_le=IL_Y_A_TROIS_ANS)
    assert archiver() == nombre


def test_une_longue_liste_d_archives_se_parcourt_sans_etre_comptee(client_agent, monde, django_assert_max_num_queries):
    _archiver(monde, 25)
    url = reverse("facturation:recues_archives")
    with django_assert_max_num_queries(12):
        page = client_agent.get(url).content.decode()
    assert "Factures archivées 1 à 20 affichées, d'autres suivent." in page
    assert "<caption>Factures archivées</caption>" in page
    assert 'href="?page=2"' in page and "Dernière page" not in page

    suivante = client_agent.get(url, {"page": 2}).content.decode()
    assert "<caption>25 factures archivées</caption>" in suivante and 'id="nombre-resultats"' not in suivante
    assert suivante.count("F-VIEILLE-") == 5

    comptee = client_agent.get(url, {"compter": 1}).content.decode()
    assert "<caption>25 factures archivées</caption>" in comptee and "Dernière page" in comptee


def test_la_page_dit_la_duree_d_archivage_appliquee(client_agent, settings):
    url = reverse("facturation:recues_archives")
    page = client_agent.get(url).content.decode()
    assert "closes depuis plus de deux ans" in page
    assert (
        'class="fr-input-group' in page and '<label for="id_numero" class="fr-label">' in page
    )  # the DSFR's field groups
    settings.FACTURES_ARCHIVAGE_ANNEES = 3
    assert "closes depuis plus de trois ans" in client_agent.get(url).content.decode()
