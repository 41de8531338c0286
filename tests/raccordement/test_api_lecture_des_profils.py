"""An API call reads its technical user's profiles once, in the memo a page uses (organisation.habilitations.profils,
entered by ServiceCpro.dispatch), and the next call sees a change of the profiles."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from organisation.enums import Application
from organisation.models import Habilitation
from tests.factories import facture_deposee
from tests.raccordement.test_api_socle import Integrateur, publique

pytestmark = pytest.mark.django_db

RECHERCHER = "factures/v1/rechercher/fournisseur"
# a full page: its rows and its total (the counters, read within the same perimeter) each ask the perimeter, and
# read the profiles twice without the memo
FILTRE = {"rechercheFactureParFournisseur": {"nbResultatsParPage": 1}}


def _appel(integrateur, client, entetes):
    with CaptureQueriesContext(connection) as requetes:
        reponse = integrateur.appeler(client, RECHERCHER, FILTRE, **entetes)
    assert reponse.status_code == 200, reponse.content
    lectures = [q for q in requetes.captured_queries if '"organisation_habilitation"' in q["sql"]]
    corps = reponse.json()
    return corps["parametresRetour"]["total"], len(lectures)


def test_un_appel_lit_les_profils_une_fois_et_le_suivant_voit_un_changement(client):
    integrateur = Integrateur()
    commune = publique()
    facture_deposee(integrateur.structure, commune, numero="F-001")
    facture_deposee(integrateur.structure, commune, numero="F-002")
    entetes = integrateur.entetes(client)
    integrateur.appeler(client, RECHERCHER, FILTRE, **entetes)  # the first call creates the technical user

    assert _appel(integrateur, client, entetes) == (2, 1)

    # its « Factures émises » profile withdrawn between two calls: the next one reads again and sees nothing
    integrateur.compte.refresh_from_db()
    Habilitation.objects.filter(
        rattachement__utilisateur=integrateur.compte.utilisateur, application=Application.FACTURES_EMISES
    ).delete()
    assert _appel(integrateur, client, entetes) == (0, 1)
