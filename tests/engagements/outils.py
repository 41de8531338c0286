"""Test data of the Engagements domain: a public entity with a service and a loader, and a supplier."""

from engagements.chargement import COLONNES
from organisation.enums import Application, Niveau
from organisation.models import Service
from tests.factories import StructureFactory
from tests.facturation.validation.conftest import agent, structure_publique_active

ENTETE = ";".join(COLONNES)


class Monde:
    def __init__(self):
        self.commune = structure_publique_active(raison_sociale="Commune de Valbourg")
        self.achats = Service.objects.create(structure=self.commune, code="ACHATS", libelle="Achats")
        self.voirie = Service.objects.create(structure=self.commune, code="VOIRIE", libelle="Voirie")
        self.chargeur = agent(self.commune, (Application.ENGAGEMENTS, Niveau.MODIFICATION))
        self.fournisseur = StructureFactory(raison_sociale="Papeterie Martin")
        self.autre_fournisseur = StructureFactory(raison_sociale="Quincaillerie Dupont")


def fichier(*rangees, entete=ENTETE):
    return ("\n".join([entete, *rangees]) + "\n").encode()


def rangee(
    numero,
    siret,
    *,
    ligne=1,
    date="15/01/2026",
    service="ACHATS",
    etat="COMMANDE",
    designation="Papier",
    quantite="10",
    unite="ramette",
    prix="4,20",
    taux="20",
):
    return ";".join([numero, date, service, siret, etat, str(ligne), designation, quantite, unite, prix, taux])
