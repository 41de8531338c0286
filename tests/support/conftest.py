import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from organisation.enums import Application, Niveau, StatutStructure
from organisation.models import Service, Structure
from support.enums import Destination
from support.models import SousCategorie
from support.referentiel import charger_referentiel
from tests.factories import StructureFactory, UtilisateurFactory, facture_deposee, rattacher


def structure_publique_active(**kwargs):
    structure = StructureFactory(est_publique=True, **kwargs)
    Structure.objects.filter(pk=structure.pk).update(statut=StatutStructure.ACTIVE)
    structure.refresh_from_db()
    return structure


def utilisateur_de(structure, *habilitations, **champs):
    user = UtilisateurFactory(**champs)
    rattacher(user, structure, *habilitations)
    return user


def fichier(nom="capture.png", contenu=b"\x89PNG contenu"):
    return SimpleUploadedFile(nom, contenu, content_type="image/png")


class Monde:
    """A supplier and a public entity with two services; the referential comes from the data migration.

    - `fournisseur_user`: Factures émises – modification on the supplier (files tickets);
    - `traitant`: Sollicitations – modification on the whole entity;
    - `lecteur`: Sollicitations – consultation on the entity;
    - `traitant_achats`: Sollicitations – modification on the ACHATS service only;
    - `sans_profil`: attached to the entity, no Sollicitations profile;
    - `etranger`: every profile, on another public structure;
    - `agent` / `autre_agent`: support agents.
    """

    def __init__(self):
        charger_referentiel()  # a transactional (browser) test flushes what the data migration loaded
        self.fournisseur = StructureFactory(raison_sociale="Menuiserie Dubois")
        self.fournisseur_user = utilisateur_de(
            self.fournisseur, (Application.FACTURES_EMISES, Niveau.MODIFICATION), prenom="Fanny", nom="Fournier"
        )
        self.entite = structure_publique_active(raison_sociale="Commune de Valbourg")
        # its gestionnaire principal holds every profile, Sollicitations – modification included
        self.entite_gp = self.entite.rattachements.get(est_gestionnaire_principal=True).utilisateur
        self.achats = Service.objects.create(structure=self.entite, code="ACHATS", libelle="Service des achats")
        self.travaux = Service.objects.create(structure=self.entite, code="TRAVAUX", libelle="Service travaux")
        self.traitant = utilisateur_de(
            self.entite, (Application.SOLLICITATIONS, Niveau.MODIFICATION), prenom="Paul", nom="Public"
        )
        self.lecteur = utilisateur_de(self.entite, (Application.SOLLICITATIONS, Niveau.CONSULTATION))
        self.traitant_achats = utilisateur_de(
            self.entite, (Application.SOLLICITATIONS, Niveau.MODIFICATION, self.achats)
        )
        self.sans_profil = utilisateur_de(self.entite, (Application.FACTURES_RECUES, Niveau.MODIFICATION))
        self.autre_entite = structure_publique_active(raison_sociale="Département du Nord-Ouest")
        self.etranger = self.autre_entite.rattachements.get().utilisateur
        self.agent = UtilisateurFactory(est_agent_support=True, prenom="Sophie", nom="Support")
        self.autre_agent = UtilisateurFactory(est_agent_support=True, prenom="Simon", nom="Support")
        self.support_sc = SousCategorie.objects.filter(categorie__destination=Destination.SUPPORT).first()
        self.metier_sc = SousCategorie.objects.filter(categorie__destination=Destination.STRUCTURE).first()

    def facture(self, service=None, **champs):
        return facture_deposee(self.fournisseur, self.entite, service=service, **champs)


@pytest.fixture
def monde(db):
    return Monde()
