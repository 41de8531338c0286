import pytest

from assistant.models import Article
from assistant.services import articles_charger
from organisation.enums import Application, Niveau
from tests.factories import StructureFactory, UtilisateurFactory, facture_deposee, rattacher
from tests.facturation.recues.conftest import structure_publique_active


@pytest.fixture
def base_connaissances(db):
    """The articles of assistant/articles/, loaded as `manage.py charger_articles` loads them."""
    articles_charger()
    return Article.objects.all()


class Factures:
    """A supplier and a public entity exchange invoices; another supplier has an invoice with a number of its own
    and one with the same number as ours.

    - `fournisseur_user`: the supplier's gestionnaire (Factures émises on its structure);
    - `agent`: Factures reçues – consultation on the public entity;
    - `etranger`: the other supplier's gestionnaire.
    """

    def __init__(self):
        self.fournisseur = StructureFactory(raison_sociale="Menuiserie Dubois")
        self.fournisseur_user = self.fournisseur.rattachements.get().utilisateur
        self.destinataire = structure_publique_active(raison_sociale="Commune de Valbourg")
        self.agent = UtilisateurFactory()
        rattacher(self.agent, self.destinataire, (Application.FACTURES_RECUES, Niveau.CONSULTATION))
        self.autre_fournisseur = StructureFactory(raison_sociale="Plâtrerie Lemaire")
        self.etranger = self.autre_fournisseur.rattachements.get().utilisateur

    def facture(self, numero, fournisseur=None, **champs):
        return facture_deposee(fournisseur or self.fournisseur, self.destinataire, numero=numero, **champs)


@pytest.fixture
def factures(db):
    return Factures()
