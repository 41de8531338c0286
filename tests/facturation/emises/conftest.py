import pytest

from organisation.enums import Application, Niveau, StatutStructure
from organisation.models import Service, Structure
from tests.conftest import connecter
from tests.factories import StructureFactory, UtilisateurFactory, facture_deposee, rattacher


def publique_active(**kwargs):
    structure = StructureFactory(est_publique=True, **kwargs)
    Structure.objects.filter(pk=structure.pk).update(statut=StatutStructure.ACTIVE)
    structure.refresh_from_db()
    return structure


def client_de(client, user):
    return connecter(client, user)


class Monde:
    """A supplier (its gestionnaire principal has every profile, a colleague only « Factures émises –
    consultation »), two public recipients, and an outsider with its own supplier structure."""

    def __init__(self):
        self.gp = UtilisateurFactory(prenom="Paule", nom="Fournier", email="paule@fournisseur.fr")
        self.fournisseur = StructureFactory(gestionnaire=self.gp, raison_sociale="Menuiserie Dubois")
        self.lecteur = UtilisateurFactory(email="lecteur@fournisseur.fr")
        rattacher(self.lecteur, self.fournisseur, (Application.FACTURES_EMISES, Niveau.CONSULTATION))
        self.destinataire = publique_active(raison_sociale="Commune de Valbourg")
        self.finances = Service.objects.create(structure=self.destinataire, code="FIN", libelle="Finances")
        self.achats = Service.objects.create(structure=self.destinataire, code="ACHATS", libelle="Achats")
        self.autre_destinataire = publique_active(raison_sociale="Département du Nord")
        self.agent = UtilisateurFactory(email="agent@valbourg.fr")
        rattacher(self.agent, self.destinataire, (Application.FACTURES_RECUES, Niveau.MODIFICATION))
        self.etranger = UtilisateurFactory(email="etranger@ailleurs.fr")
        self.structure_etrangere = StructureFactory(gestionnaire=self.etranger, raison_sociale="Ailleurs SARL")

    def facture(self, statut="MISE_A_DISPOSITION", **champs):
        champs.setdefault("service", self.finances)
        return facture_deposee(self.fournisseur, self.destinataire, statut=statut, **champs)


@pytest.fixture
def monde(db):
    return Monde()
