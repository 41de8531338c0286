"""A fixed number of SQL queries whatever the number of invoices (1 or 30) on every page of the space."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from facturation.services.traitement import facture_traiter
from tests.facturation.recues.conftest import avec_fichiers, piece_jointe

pytestmark = pytest.mark.django_db

STATUTS = ["MISE_A_DISPOSITION", "COMPLETEE", "SERVICE_FAIT", "MANDATEE", "SUSPENDUE", "A_VALIDER_1"]
# budgets measured once; they hold for 1 and for 30 invoices (session, user, device and the page's own reads). The
# user's attachments and profiles are read once per GET (organisation.habilitations.profils): the header's menus,
# the perimeter of the rows and of the counters, and the search form's structures share that one query.
BUDGETS = {
    "recues_synthese": 7,
    # the profiles, the form's services, the unfiltered total read from the counters, the page's rows
    "recues_rechercher": 9,
    "recues_tableau_de_bord": 7,
    "recues_export_csv": 8,
    "recues_export_xlsx": 6,
    "recues_consulter": 19,  # the stored VAT breakdown (prefetched)
}


def peupler(monde, nombre):
    services = [None, monde.achats, monde.travaux]
    factures = []
    for i in range(nombre):
        facture = monde.facture(
            fournisseur=monde.fournisseur if i % 2 else monde.autre_fournisseur,
            statut=STATUTS[i % len(STATUTS)],
            service=services[i % 3],
            valideur_1=monde.autre_destinataire if i % 4 == 0 else None,
            valideur_2=monde.autre_fournisseur if i % 8 == 0 else None,
        )
        avec_fichiers(facture)
        piece_jointe(facture)
        factures.append(facture)
    premiere = factures[0]
    facture_traiter(facture=premiere, par=monde.agent, statut_cible="SERVICE_FAIT")
    return premiere


def _url(nom, facture):
    if nom == "recues_consulter":
        return reverse("facturation:recues_consulter", args=[facture.pk])
    if nom.startswith("recues_export_"):
        return reverse("facturation:recues_export", args=[nom.rsplit("_", 1)[1]])
    return reverse(f"facturation:{nom}")


def _requetes(client, url):
    with CaptureQueriesContext(connection) as requetes:
        reponse = client.get(url)
        assert reponse.status_code == 200
        if reponse.streaming:
            b"".join(reponse.streaming_content)
    return len(requetes)


@pytest.mark.parametrize("nom", list(BUDGETS))
def test_nombre_de_requetes_fixe(client_agent, monde, nom, django_assert_max_num_queries):
    premiere = peupler(monde, 1)
    # the session's first request writes it: measure the requests after
    client_agent.get(reverse("facturation:recues_synthese"))
    avec_une = _requetes(client_agent, _url(nom, premiere))
    peupler(monde, 29)
    with django_assert_max_num_queries(BUDGETS[nom]):
        avec_trente = _requetes(client_agent, _url(nom, premiere))
    assert avec_trente == avec_une
