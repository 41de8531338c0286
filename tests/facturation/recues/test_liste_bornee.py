"""Long lists are not counted (issue #16): a page reads its rows plus one, says the number of results only when it
is known for free (the last page) or when the user asks (« Compter les résultats »), and stops at
PaginationBornee.limite rows with an invitation to narrow the search. Pages of 2 rows and a limit of 4 here, so that
a handful of invoices shows every case."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chorus.pagination import PaginationBornee
from facturation.models import Facture
from tests.conftest import connecter

pytestmark = pytest.mark.django_db

URL = reverse("facturation:recues_rechercher")


@pytest.fixture(autouse=True)
def petites_pages(monkeypatch):
    monkeypatch.setattr("facturation.views.recues.pages.PAR_PAGE", 2)
    monkeypatch.setattr(PaginationBornee, "limite", 4)


def _factures(monde, nombre):
    for i in range(nombre):
        monde.facture(numero=f"B-{i}")


def _nombre(contenu):
    """The sentence under the form, as a reader hears it (role=status), tags removed."""
    paragraphe = re.search(r'<p id="nombre-resultats"[^>]*>(.*?)</p>', contenu, re.S).group(1)
    return " ".join(re.sub(r"<[^>]+>", " ", paragraphe).split())


def _numeros(reponse):
    return [f.numero for f in reponse.context["page_obj"]]


def test_une_seule_page_donne_le_nombre_exact_sans_lien_pour_compter(client_agent, monde):
    _factures(monde, 2)
    contenu = client_agent.get(URL).content.decode()
    assert _nombre(contenu) == "2 factures trouvées."
    assert "Compter les résultats" not in contenu


def test_sans_critere_le_nombre_vient_des_compteurs_sans_compter(client_agent, monde):
    _factures(monde, 6)
    reponse = client_agent.get(URL, {"tri": "numero"})
    assert _numeros(reponse) == ["B-0", "B-1"]
    nombre = _nombre(reponse.content.decode())
    assert nombre.startswith("6 factures trouvées. Seules les 4 premières sont consultables ici : précisez")
    assert "Compter les résultats" not in nombre


def test_la_premiere_page_d_une_longue_recherche_ne_compte_pas_et_propose_de_compter(client_agent, monde):
    _factures(monde, 3)
    # a criterion: the counters do not answer it
    reponse = client_agent.get(URL, {"tri": "numero", "numero": "B-"})
    assert _numeros(reponse) == ["B-0", "B-1"]
    assert _nombre(reponse.content.decode()) == "Factures 1 à 2 affichées, d'autres suivent. Compter les résultats"
    # the link keeps the search and asks for the count
    lien = re.search(r'id="compter-resultats" href="\?([^"]+)"', reponse.content.decode()).group(1)
    assert "tri=numero" in lien and "numero=B-" in lien and "compter=1" in lien
    reponse = client_agent.get(f"{URL}?{lien.replace('&amp;', '&')}")
    assert _nombre(reponse.content.decode()) == "3 factures trouvées."
    assert _numeros(reponse) == ["B-0", "B-1"]


def test_la_derniere_page_connait_le_nombre_sans_le_demander(client_agent, monde):
    _factures(monde, 3)
    reponse = client_agent.get(URL, {"tri": "numero", "page": 2})
    assert _numeros(reponse) == ["B-2"]
    assert _nombre(reponse.content.decode()) == "3 factures trouvées."


def test_au_dela_de_la_limite_la_page_dit_plus_de_et_invite_a_preciser(client_agent, monde):
    _factures(monde, 6)
    # page 3 would pass the 4 rows offered: the last page offered is shown instead
    reponse = client_agent.get(URL, {"tri": "numero", "numero": "B-", "page": 3})
    assert reponse.context["page_obj"].number == 2 and _numeros(reponse) == ["B-2", "B-3"]
    nombre = _nombre(reponse.content.decode())
    assert nombre.startswith("Plus de 4 factures trouvées : précisez la recherche")
    assert "Compter les résultats" in nombre
    assert 'title="Page 3"' not in reponse.content.decode()
    # counted on demand: the exact number, and still only the first 4 rows reachable
    reponse = client_agent.get(URL, {"tri": "numero", "numero": "B-", "page": 2, "compter": 1})
    nombre = _nombre(reponse.content.decode())
    assert nombre.startswith("6 factures trouvées. Seules les 4 premières sont consultables ici : précisez")
    assert "Dernière page" in reponse.content.decode() and 'title="Page 3"' not in reponse.content.decode()


def test_une_recherche_plus_etroite_donne_le_nombre_exact(client_agent, monde):
    _factures(monde, 6)
    reponse = client_agent.get(URL, {"numero": "B-1"})
    assert _nombre(reponse.content.decode()) == "1 facture trouvée."


def test_une_page_perimee_ramene_a_la_premiere(client_agent, monde):
    _factures(monde, 1)
    reponse = client_agent.get(URL, {"page": 2})
    assert reponse.context["page_obj"].number == 1 and _nombre(reponse.content.decode()) == "1 facture trouvée."


def _requetes(client, parametres):
    with CaptureQueriesContext(connection) as requetes:
        assert client.get(URL, parametres).status_code == 200
    return len(requetes)


def test_chaque_page_coute_les_memes_requetes_et_compter_une_de_plus(client_agent, monde):
    _factures(monde, 6)
    client_agent.get(URL)  # the session's first request reads more (login bookkeeping)
    premiere = _requetes(client_agent, {"tri": "numero", "numero": "B-"})
    assert _requetes(client_agent, {"tri": "numero", "numero": "B-", "page": 2}) == premiere
    assert _requetes(client_agent, {"tri": "numero", "numero": "B-", "compter": 1}) == premiere + 1


def test_un_etranger_ne_voit_ni_factures_ni_nombre(client, monde):
    _factures(monde, 5)
    connecter(client, monde.etranger)
    for parametres in ({}, {"compter": 1}):
        reponse = client.get(URL, parametres)
        assert _nombre(reponse.content.decode()) == "0 facture trouvée."
        assert not reponse.context["page_obj"].object_list
    assert Facture.objects.count() == 5
