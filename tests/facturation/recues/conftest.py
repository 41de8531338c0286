import pytest
from django.core.files.base import ContentFile

from facturation.models import PieceJointeFacture
from organisation.enums import Application, Niveau, StatutStructure
from organisation.models import Service, Structure
from tests.conftest import connecter
from tests.factories import StructureFactory, UtilisateurFactory, facture_deposee, rattacher


def structure_publique_active(**kwargs):
    structure = StructureFactory(est_publique=True, **kwargs)
    Structure.objects.filter(pk=structure.pk).update(statut=StatutStructure.ACTIVE)
    structure.refresh_from_db()
    return structure


def agent(structure, *habilitations):
    user = UtilisateurFactory()
    rattacher(user, structure, *habilitations)
    return user


class Monde:
    """A public entity with two services receives invoices from a supplier.

    - `agent`: Factures reçues – modification on the whole structure;
    - `lecteur`: Factures reçues – consultation only;
    - `agent_achats`: modification limited to the ACHATS service (an outsider for the TRAVAUX service);
    - `etranger`: every profile, but on another public structure.
    """

    def __init__(self):
        self.fournisseur = StructureFactory(raison_sociale="Menuiserie Dubois")
        self.autre_fournisseur = StructureFactory(raison_sociale="Plâtrerie Lemaire")
        self.destinataire = structure_publique_active(raison_sociale="Commune de Valbourg")
        self.achats = Service.objects.create(structure=self.destinataire, code="ACHATS", libelle="Service des achats")
        self.travaux = Service.objects.create(structure=self.destinataire, code="TRAVAUX", libelle="Service travaux")
        self.agent = agent(self.destinataire, (Application.FACTURES_RECUES, Niveau.MODIFICATION))
        self.lecteur = agent(self.destinataire, (Application.FACTURES_RECUES, Niveau.CONSULTATION))
        self.agent_achats = agent(self.destinataire, (Application.FACTURES_RECUES, Niveau.MODIFICATION, self.achats))
        self.autre_destinataire = structure_publique_active(raison_sociale="Département du Nord-Ouest")
        self.etranger = self.autre_destinataire.rattachements.get().utilisateur
        # the supplier's own user: sees its invoices in « Factures émises », never here
        self.agent_fournisseur = self.fournisseur.rattachements.get().utilisateur

    def facture(self, fournisseur=None, **champs):
        return facture_deposee(fournisseur or self.fournisseur, self.destinataire, **champs)

    def facture_travaux(self, **champs):
        """An invoice of the TRAVAUX service: hidden from `agent_achats`."""
        return self.facture(service=self.travaux, **champs)


@pytest.fixture
def monde(db):
    return Monde()


@pytest.fixture
def client_agent(client, monde):
    return connecter(client, monde.agent)


def avec_fichiers(facture, pdf=b"%PDF-1.4 facture", xml=b"<Invoice/>"):
    if pdf is not None:
        facture.fichier_pdf.save(f"{facture.numero}.pdf", ContentFile(pdf), save=False)
    if xml is not None:
        facture.fichier_xml.save(f"{facture.numero}.xml", ContentFile(xml), save=False)
    facture.save()
    return facture


def piece_jointe(facture, nom="bon-de-commande.pdf", contenu=b"%PDF-1.4 bon"):
    piece = PieceJointeFacture(facture=facture, nom=nom, taille=len(contenu), type_mime="application/pdf")
    piece.fichier.save(nom, ContentFile(contenu), save=False)
    piece.save()
    return piece
