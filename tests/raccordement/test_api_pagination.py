"""A search asked for more rows than a page holds is served, never refused: the Odoo connector hard-codes
`nbResultatsParPage: 10000` for rechercher/services (l10n_fr_chorus_account, res_partner.py)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from organisation.models import Service
from raccordement.api.schema import PAR_PAGE_MAX
from tests.raccordement.test_api_socle import Integrateur, publique

pytestmark = pytest.mark.django_db
SERVICES = "structures/v1/rechercher/services"


@pytest.fixture(autouse=True)
def _debit_remis_a_zero():
    cache.clear()


def test_dix_mille_par_page_servis_par_pages_de_500(client):
    integrateur = Integrateur()
    commune = publique(raison_sociale="Commune de Valbourg")
    Service.objects.bulk_create(
        Service(structure=commune, code=f"S{n:04d}", libelle=f"Service {n}") for n in range(PAR_PAGE_MAX + 3)
    )
    entetes = integrateur.entetes(client)

    def page(numero):
        demande = {"nbResultatsParPage": 10000, "pageResultatDemandee": numero}
        corps = {"idStructure": commune.pk, "parametresRechercherServicesStructure": demande}
        reponse = integrateur.appeler(client, SERVICES, corps, **entetes)
        assert reponse.status_code == 200, reponse.content
        return reponse.json()

    premiere = page(1)
    assert premiere["codeRetour"] == 0
    assert len(premiere["listeServices"]) == PAR_PAGE_MAX
    assert premiere["parametresRetour"] == {
        "nbResultatsParPage": PAR_PAGE_MAX,
        "nbResultatsParPageDemande": 10000,
        "pageCourante": 1,
        "pages": 2,
        "total": PAR_PAGE_MAX + 3,
    }
    seconde = page(2)
    reste = [f"S{n:04d}" for n in range(PAR_PAGE_MAX, PAR_PAGE_MAX + 3)]
    assert [s["codeService"] for s in seconde["listeServices"]] == reste


def test_une_demande_dans_la_limite_est_servie_telle_quelle(client):
    integrateur = Integrateur()
    commune = publique()
    Service.objects.create(structure=commune, code="ACHATS", libelle="Achats")
    corps = {"idStructure": commune.pk, "parametresRechercherServicesStructure": {"nbResultatsParPage": PAR_PAGE_MAX}}
    retour = integrateur.appeler(client, SERVICES, corps).json()["parametresRetour"]
    assert retour == {"nbResultatsParPage": PAR_PAGE_MAX, "pageCourante": 1, "pages": 1, "total": 1}


def test_zero_par_page_reste_une_erreur_qui_nomme_le_champ(client):
    integrateur = Integrateur()
    commune = publique()
    corps = {"idStructure": commune.pk, "parametresRechercherServicesStructure": {"nbResultatsParPage": 0}}
    reponse = integrateur.appeler(client, SERVICES, corps)
    assert reponse.status_code == 400
    assert reponse.json()["champ"] == "parametresRechercherServicesStructure.nbResultatsParPage"


def _services(integrateur, client, commune, **demande):
    corps = {"idStructure": commune.pk, "parametresRechercherServicesStructure": demande}
    with CaptureQueriesContext(connection) as requetes:
        reponse = integrateur.appeler(client, SERVICES, corps)
    comptes = [q["sql"] for q in requetes if "COUNT(" in q["sql"].upper()]
    return reponse, comptes


def test_total_et_pages_exacts_sans_compter_quand_la_page_n_est_pas_pleine(client):
    """Issue #16: the last page (or a single one) gives the total by itself; a full page needs the COUNT."""
    integrateur = Integrateur()
    commune = publique()
    Service.objects.bulk_create(Service(structure=commune, code=f"S{n:02d}", libelle=f"S {n}") for n in range(25))
    integrateur.appeler(client, SERVICES, {"idStructure": commune.pk})  # the session's first call
    reponse, comptes = _services(integrateur, client, commune, nbResultatsParPage=10, pageResultatDemandee=3)
    assert reponse.json()["parametresRetour"] == {"nbResultatsParPage": 10, "pageCourante": 3, "pages": 3, "total": 25}
    assert comptes == []
    reponse, comptes = _services(integrateur, client, commune, nbResultatsParPage=10)
    assert reponse.json()["parametresRetour"] == {"nbResultatsParPage": 10, "pageCourante": 1, "pages": 3, "total": 25}
    assert len(comptes) == 1
    # 25 rows exactly fill page 1 of 25: the count says there is no page 2
    reponse, _ = _services(integrateur, client, commune, nbResultatsParPage=25)
    assert reponse.json()["parametresRetour"]["pages"] == 1


def test_une_page_au_dela_de_la_fin_est_une_erreur_qui_dit_combien_il_y_en_a(client):
    integrateur = Integrateur()
    commune = publique()
    Service.objects.bulk_create(Service(structure=commune, code=f"S{n:02d}", libelle=f"S {n}") for n in range(5))
    # a page number past any list (schemathesis found one the database refused as an OFFSET: a 500 before)
    for page, attendu in (
        (4, "la page 4 n'existe pas (2 pages)"),
        (0, "la page 0 n'existe pas"),
        (2**62, f"la page {2**62} n'existe pas"),
    ):
        reponse, _ = _services(integrateur, client, commune, nbResultatsParPage=3, pageResultatDemandee=page)
        assert reponse.status_code == 400
        assert attendu in reponse.json()["libelle"]
        assert reponse.json()["champ"] == "parametresRechercherServicesStructure.pageResultatDemandee"
