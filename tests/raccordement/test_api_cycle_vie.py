"""Lifecycle messages by API: an API-connected supplier reads the messages of its invoices deposited by flux (with
the CDAR when the status has a 2026 code), acknowledges them in its next call, and gets the unacknowledged ones
again; another structure's messages never show."""

import base64

import pytest
from lxml import etree

from facturation.services.traitement import facture_traiter
from raccordement.enums import ProtocoleRaccordement, TypeRaccordement
from raccordement.models import FicheRaccordement, MessageCycleVie
from tests.raccordement.test_api_socle import Integrateur
from tests.raccordement.test_cycle_vie import Circuit

pytestmark = pytest.mark.django_db
SERVICE = "transverses/v1/recuperer/cyclesDeVie"


def test_lire_puis_acquitter_les_messages(client, django_capture_on_commit_callbacks):
    circuit = Circuit(connecte=TypeRaccordement.API)
    integrateur = Integrateur(circuit.fournisseur)
    facture = circuit.facture_par_flux("FX-API-1")
    with django_capture_on_commit_callbacks(execute=True):
        facture_traiter(facture=facture, par=circuit.agent, statut_cible="SUSPENDUE", motif="PV manquant")
        facture_traiter(facture=facture, par=circuit.agent, statut_cible="REJETEE", motif="Doublon")
    autre = Circuit(connecte=TypeRaccordement.API)
    facture_autre = autre.facture_par_flux("AUTRE-1")
    with django_capture_on_commit_callbacks(execute=True):
        facture_traiter(facture=facture_autre, par=autre.agent, statut_cible="REJETEE", motif="Doublon")

    entetes = integrateur.entetes(client)
    corps = integrateur.appeler(client, SERVICE, {}, **entetes).json()
    messages = corps["listeCyclesDeVie"]
    assert [(m["numeroFacture"], m["statut"], m["codeStatutReforme"]) for m in messages] == [
        ("FX-API-1", "SUSPENDUE", "207"),
        ("FX-API-1", "REJETEE", "210"),
    ]
    cdar = etree.fromstring(base64.b64decode(messages[1]["messageCdar"]))
    assert cdar.findtext(".//{*}ProcessConditionCode") == "210"

    # the first one is stored by the client: acknowledged, it is not sent again; the second one is
    suite = integrateur.appeler(client, SERVICE, {"listeIdMessagesRecus": [messages[0]["idMessage"]]}, **entetes)
    assert suite.json()["nbMessagesAcquittes"] == 1
    assert [m["statut"] for m in suite.json()["listeCyclesDeVie"]] == ["REJETEE"]
    # another structure's message cannot be acknowledged from here
    etranger = MessageCycleVie.objects.get(numero_facture="AUTRE-1")
    tentative = integrateur.appeler(client, SERVICE, {"listeIdMessagesRecus": [etranger.pk]}, **entetes).json()
    assert tentative["nbMessagesAcquittes"] == 0
    etranger.refresh_from_db()
    assert etranger.remis_le is None


def test_une_liste_d_acquittement_mal_formee(client, db):
    circuit = Circuit(connecte=None)
    FicheRaccordement.objects.create(
        structure=circuit.fournisseur, type_raccordement=TypeRaccordement.API, protocole=ProtocoleRaccordement.API
    )
    integrateur = Integrateur(circuit.fournisseur)
    reponse = integrateur.appeler(client, SERVICE, {"listeIdMessagesRecus": ["a"]})
    assert reponse.status_code == 400 and reponse.json()["champ"] == "listeIdMessagesRecus"
