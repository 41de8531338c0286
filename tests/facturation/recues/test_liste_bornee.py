"""Long lists are not counted whole (issue #16): past PaginationBornee.limite rows the page says « plus de … » and
asks for a narrower search; the pages beyond the bound are not offered."""

import pytest
from django.urls import reverse

from chorus.pagination import PaginationBornee
from facturation.models import Facture
from tests.conftest import connecter

pytestmark = pytest.mark.django_db

URL = reverse("facturation:recues_rechercher")


@pytest.fixture
def limite_3(monkeypatch):
    monkeypatch.setattr(PaginationBornee, "limite", 3)


def test_au_dela_de_la_limite_la_page_dit_plus_de_et_invite_a_preciser(client_agent, monde, limite_3):
    for i in range(5):
        monde.facture(numero=f"B-{i}")
    contenu = client_agent.get(URL).content.decode()
    assert "Plus de 3 factures trouvées." in contenu
    assert "précisez la recherche" in contenu


def test_une_recherche_plus_etroite_donne_le_nombre_exact(client_agent, monde, limite_3):
    for i in range(5):
        monde.facture(numero=f"B-{i}")
    reponse = client_agent.get(URL, {"numero": "B-1"})
    assert reponse.context["page_obj"].paginator.count == 1
    assert "1 facture trouvée." in reponse.content.decode()


def test_les_pages_au_dela_de_la_limite_ne_sont_pas_offertes(client_agent, monde, monkeypatch):
    monkeypatch.setattr(PaginationBornee, "limite", 25)
    for i in range(30):
        monde.facture(numero=f"P-{i:03d}", montant_ht="10.00")
    reponse = client_agent.get(URL, {"tri": "numero", "page": 3})
    paginator = reponse.context["page_obj"].paginator
    assert paginator.depasse and paginator.num_pages == 2
    # the last page offered holds rows 21–25; page 3 falls back to it
    assert reponse.context["page_obj"].number == 2


def test_un_etranger_ne_voit_ni_factures_ni_nombre(client, monde, limite_3):
    for i in range(5):
        monde.facture(numero=f"B-{i}")
    connecter(client, monde.etranger)
    reponse = client.get(URL)
    assert not reponse.context["page_obj"].paginator.depasse
    assert "0 facture trouvée." in reponse.content.decode()
    assert Facture.objects.count() == 5
