import pytest

from demo.comptes import charger_comptes
from facturation.matelas import charger_factures
from support.enums import StatutSollicitation as S
from support.matelas import charger_sollicitations
from support.models import Sollicitation

pytestmark = pytest.mark.django_db


def test_les_sollicitations_de_demonstration(settings, tmp_path):
    charger_comptes()
    charger_factures()
    assert charger_sollicitations() == 3
    assert charger_sollicitations() == 0
    statuts = dict(Sollicitation.objects.values_list("objet", "statut"))
    assert statuts == {
        "Date de paiement de la facture DEMO-2026-003": S.EN_ATTENTE_DEMANDEUR,
        "Code de connexion non reçu": S.RESOLUE,
        "Création de compte impossible": S.NOUVELLE,
    }
