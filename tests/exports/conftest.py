import pytest

from tests.conftest import connecter
from tests.facturation.recues.conftest import Monde


@pytest.fixture(autouse=True)
def _fichiers_isoles(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def monde(db):
    monde = Monde()
    monde.facture(numero="R-1", montant_ht="100", service=monde.achats)
    monde.facture(numero="R-2", montant_ht="200", service=monde.travaux)
    return monde


@pytest.fixture
def client_agent(client, monde):
    return connecter(client, monde.agent)
