import pytest
from django.test import Client

from communication.enums import CategorieNotification
from communication.services import notifier
from tests.conftest import connecter
from tests.factories import UtilisateurFactory


def message(destinataire, titre="Facture F-1 rejetée", *, categorie=CategorieNotification.FACTURE, lien="/", **champs):
    return notifier(destinataire=destinataire, titre=titre, texte=champs.pop("texte", ""), lien=lien,
                    categorie=categorie)  # fmt: skip


@pytest.fixture
def camille(db):
    return UtilisateurFactory(prenom="Camille", nom="Lecteur")


@pytest.fixture
def intrus(db):
    return UtilisateurFactory(prenom="Ivan", nom="Intrus")


@pytest.fixture
def client_camille(camille):
    return connecter(Client(), camille)
