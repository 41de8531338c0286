import html

import pytest
from django.test import Client

from organisation.models import Service
from organisation.services.rattachements import profils_par_defaut
from tests.conftest import connecter
from tests.factories import StructureFactory, UtilisateurFactory, rattacher


def texte(reponse):
    """The page as read (entities decoded), to compare with French sentences."""
    return html.unescape(reponse.content.decode())


def client_de(utilisateur):
    return connecter(Client(), utilisateur) if utilisateur is not None else Client()


def messages_de(reponse):
    return [str(m) for m in reponse.wsgi_request._messages]


def rattacher_par_defaut(utilisateur, structure, services=()):
    """Attached as after an accepted request: every profile except "Organisation – modification"."""
    return rattacher(utilisateur, structure, *[(a, n, s) for a, n, s in profils_par_defaut(services)])


@pytest.fixture
def gp(db):
    return UtilisateurFactory(prenom="Gaëlle", nom="Principale", email="gaelle.principale@exemple.fr")


@pytest.fixture
def structure(gp):
    return StructureFactory(gestionnaire=gp, raison_sociale="Mairie de Testville")


@pytest.fixture
def services(structure):
    return [
        Service.objects.create(structure=structure, code="S1", libelle="Comptabilité"),
        Service.objects.create(structure=structure, code="S2", libelle="Achats"),
    ]


@pytest.fixture
def lecteur(structure):
    """Attached with every profile except "Organisation – modification" (so "Organisation – consultation")."""
    utilisateur = UtilisateurFactory(prenom="Luc", nom="Lecteur", email="luc.lecteur@exemple.fr")
    rattacher_par_defaut(utilisateur, structure)
    return utilisateur


@pytest.fixture
def etranger(db):
    """The gestionnaire principal of another structure."""
    utilisateur = UtilisateurFactory(prenom="Éric", nom="Étranger", email="eric.etranger@exemple.fr")
    StructureFactory(gestionnaire=utilisateur, raison_sociale="Autre structure")
    return utilisateur


@pytest.fixture
def demandeur(db):
    return UtilisateurFactory(prenom="Denise", nom="Demandeuse", email="denise.demandeuse@exemple.fr")
