import pytest

from organisation.enums import Application, Niveau
from organisation.models import CoordonneeBancaire, Service
from tests.factories import StructureFactory, UtilisateurFactory, rattacher
from tests.organisation.structures.outils import BIC, IBAN


@pytest.fixture(autouse=True)
def _medias_isoles(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def gp(db):
    return UtilisateurFactory()


@pytest.fixture
def structure(gp):
    return StructureFactory(gestionnaire=gp, raison_sociale="Boulangerie Martin")


@pytest.fixture
def lecteur(structure):
    """Attached with "Organisation – consultation" only."""
    utilisateur = UtilisateurFactory()
    rattacher(utilisateur, structure, (Application.ORGANISATION, Niveau.CONSULTATION))
    return utilisateur


@pytest.fixture
def etranger(db):
    """The gestionnaire principal of another structure."""
    utilisateur = UtilisateurFactory()
    StructureFactory(gestionnaire=utilisateur, raison_sociale="Autre structure")
    return utilisateur


@pytest.fixture
def service(structure):
    return Service.objects.create(structure=structure, code="COMPTA", libelle="Service comptable")


@pytest.fixture
def coordonnee(structure):
    return CoordonneeBancaire.objects.create(structure=structure, titulaire="Boulangerie Martin", iban=IBAN, bic=BIC)
