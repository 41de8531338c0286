"""Helpers of the structure tests."""

import html

from django.test import Client

from tests.conftest import connecter

IBAN = "FR7630006000011234567890189"
BIC = "BNPAFRPPXXX"


def texte(reponse):
    """The page as read (entities decoded), to compare with French sentences."""
    return html.unescape(reponse.content.decode())


def client_de(utilisateur):
    return connecter(Client(), utilisateur)
