import pytest

from organisation.enums import StatutStructure
from tests.factories import StructureFactory, UtilisateurFactory


@pytest.fixture
def parties(db, settings, tmp_path):
    """(fournisseur, destinataire public actif, utilisateur habilité à déposer pour le fournisseur) : des structures
    créées par le service, au SIRET valide, comme le portail en a."""
    settings.MEDIA_ROOT = tmp_path / "media"
    deposant = UtilisateurFactory()
    fournisseur = StructureFactory(gestionnaire=deposant)
    destinataire = StructureFactory(est_publique=True)
    destinataire.statut = StatutStructure.ACTIVE  # une structure publique créée attend la validation du support
    destinataire.save(update_fields=["statut"])
    return fournisseur, destinataire, deposant
