"""`facturesTravaux/v1/completerMoe`: a works Factur-X deposited by `factures/v1/deposer/flux` without its MOE waits
« À associer par la MOE »; the supplier's technical account names the MOE; the piece goes to it and the MOE's 7-day
deadline (travaux.services.relances, the real daily job) starts at the association, not at the deposit."""

import base64
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from facturation.enums import StatutFacture
from raccordement.models import FluxFacture
from tests.raccordement.flux_travaux_donnees import facturx_travaux
from tests.raccordement.test_api_socle import Integrateur
from tests.travaux.conftest import Chantier
from travaux.models import PieceTravaux
from travaux.services.relances import relancer_moe

pytestmark = pytest.mark.django_db

COMPLETER_MOE = "facturesTravaux/v1/completerMoe"
CONSULTER_TRAVAUX = "facturesTravaux/v1/consulter"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def circuit(db):
    chantier = Chantier()
    chantier.integrateur = Integrateur(chantier.fournisseur)
    chantier.autre = Integrateur(chantier.etrangere)
    return chantier


def deposer_par_flux(client, circuit, numero, django_capture_on_commit_callbacks):
    """The supplier's ERP deposits an A4 without its MOE by deposerFluxFacture; returns its PieceTravaux."""
    contenu = facturx_travaux(
        numero, vendeur=circuit.fournisseur.identifiant, acheteur=circuit.moa.identifiant, code_service="TRAVAUX"
    )
    with django_capture_on_commit_callbacks(execute=True):
        reponse = circuit.integrateur.appeler(
            client,
            "factures/v1/deposer/flux",
            {
                "fichierFlux": base64.b64encode(contenu).decode(),
                "nomFichier": f"{numero}.pdf",
                "syntaxeFlux": "IN_DP_E4_CII_FACTURX",
            },
        )
    assert reponse.status_code == 200, reponse.content
    ligne = FluxFacture.objects.get(flux__numero=reponse.json()["numeroFluxDepot"])
    assert ligne.integree, list(ligne.erreurs.values_list("message", flat=True))
    return PieceTravaux.objects.select_related("facture", "dossier").get(facture=ligne.facture)


def test_completer_moe_met_la_piece_a_disposition_de_la_moe(client, circuit, django_capture_on_commit_callbacks):
    piece = deposer_par_flux(client, circuit, "PDM-API-001", django_capture_on_commit_callbacks)
    assert piece.facture.statut == StatutFacture.A_ASSOCIER_MOE and piece.dossier.moe is None
    assert piece.facture.mode_depot == "UPLOAD_API"

    reponse = circuit.integrateur.appeler(
        client,
        COMPLETER_MOE,
        {
            "idFactureTravaux": piece.facture_id,
            "identifiantMoe": circuit.moe.identifiant,
            "commentaire": "MOE du marché du collège",
        },
    )

    assert reponse.status_code == 200, reponse.content
    corps = reponse.json()
    assert corps["codeRetour"] == 0
    assert corps["idFactureTravaux"] == piece.facture_id and corps["numeroFactureTravaux"] == "PDM-API-001"
    assert corps["numeroDossierFacturation"] == piece.dossier.numero
    assert corps["statutFactureTravaux"] == "MISE_A_DISPOSITION_MOE"
    assert (corps["idMoe"], corps["identifiantMoe"], corps["designationMoe"]) == (
        circuit.moe.pk,
        circuit.moe.identifiant,
        "Cabinet d'architectes Lenoir",
    )
    assert corps["codeServiceMoe"] == "" and corps["dateTraitement"]
    piece.dossier.refresh_from_db()
    assert piece.dossier.moe == circuit.moe
    # what the client reads back, and what the MOE now sees
    lue = circuit.integrateur.appeler(client, CONSULTER_TRAVAUX, {"idFactureTravaux": piece.facture_id}).json()
    assert lue["statutFactureTravaux"] == "MISE_A_DISPOSITION_MOE"
    assert lue["moe"]["identifiant"] == circuit.moe.identifiant
    derniere = lue["historiquesDesStatuts"]["histoStatut"][-1]
    assert derniere["histoStatutCode"] == "MISE_A_DISPOSITION_MOE"
    assert "Cabinet d'architectes Lenoir" in derniere["histoStatutCommentaire"]
    assert "MOE du marché du collège" in derniere["histoStatutCommentaire"]

    # once associated, the piece no longer waits for its MOE
    encore = circuit.integrateur.appeler(
        client, COMPLETER_MOE, {"idFactureTravaux": piece.facture_id, "idStructureMoe": circuit.moe.pk}
    )
    assert encore.status_code == 409
    assert "n'attend pas de maîtrise d'œuvre" in encore.json()["libelle"]


@pytest.mark.parametrize(
    ("corps", "champ", "extrait"),
    [
        ({}, "identifiantMoe", "indiquez la maîtrise d'œuvre"),
        ({"identifiantMoe": "1234"}, "identifiantMoe", "14 chiffres"),
        ({"identifiantMoe": "12345678200010"}, "identifiantMoe", "Aucune structure active de l'annuaire"),
        ({"idStructureMoe": 987654}, "idStructureMoe", "aucune structure active"),
        ({"identifiantMoe": "MOE", "codeServiceMoe": "X"}, "identifiantMoe", "14 chiffres"),
        ({"moe": "fournisseur"}, "identifiantMoe", "deux structures différentes"),
        ({"moe": "moe", "codeServiceMoe": "INCONNU"}, "codeServiceMoe", "n'a pas de service actif « INCONNU »"),
    ],
)
def test_completer_moe_refuse_une_mauvaise_demande_en_nommant_le_champ(
    client, circuit, django_capture_on_commit_callbacks, corps, champ, extrait
):
    piece = deposer_par_flux(client, circuit, "PDM-API-002", django_capture_on_commit_callbacks)
    acteur = corps.pop("moe", None)
    if acteur:
        corps["identifiantMoe"] = getattr(circuit, acteur).identifiant

    reponse = circuit.integrateur.appeler(client, COMPLETER_MOE, {"idFactureTravaux": piece.facture_id, **corps})

    assert reponse.status_code == 400, reponse.content
    assert reponse.json()["codeRetour"] != 0 and reponse.json().get("champ") == champ
    assert extrait in reponse.json()["libelle"]
    piece.facture.refresh_from_db()
    piece.dossier.refresh_from_db()
    assert piece.facture.statut == StatutFacture.A_ASSOCIER_MOE and piece.dossier.moe is None


def test_completer_moe_sans_identifiant_de_piece(client, circuit):
    reponse = circuit.integrateur.appeler(client, COMPLETER_MOE, {"identifiantMoe": circuit.moe.identifiant})
    assert reponse.status_code == 400 and reponse.json()["champ"] == "idFactureTravaux"


def test_la_piece_d_une_autre_structure_est_introuvable(client, circuit, django_capture_on_commit_callbacks):
    piece = deposer_par_flux(client, circuit, "PDM-API-003", django_capture_on_commit_callbacks)
    corps = {"identifiantMoe": circuit.moe.identifiant}

    autre = circuit.autre.appeler(client, COMPLETER_MOE, {"idFactureTravaux": piece.facture_id, **corps})
    absente = circuit.autre.appeler(client, COMPLETER_MOE, {"idFactureTravaux": 999999, **corps})

    assert autre.status_code == absente.status_code == 404
    assert autre.json() == absente.json()
    piece.facture.refresh_from_db()
    assert piece.facture.statut == StatutFacture.A_ASSOCIER_MOE


def test_le_delai_de_la_moe_court_a_partir_de_l_association(client, circuit, django_capture_on_commit_callbacks):
    piece = deposer_par_flux(client, circuit, "PDM-API-004", django_capture_on_commit_callbacks)
    depot = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
    association = depot + timedelta(days=10)

    # ten days after the deposit, nobody is reminded: the piece has no MOE yet
    with time_machine.travel(association, tick=False):
        assert relancer_moe() == 0
        reponse = circuit.integrateur.appeler(
            client, COMPLETER_MOE, {"idFactureTravaux": piece.facture_id, "identifiantMoe": circuit.moe.identifiant}
        )
        assert reponse.status_code == 200, reponse.content
    # the 7 days are counted from the association: reminded from its 8th day on (CCAG Travaux art. 12.2.2)
    with time_machine.travel(association + timedelta(days=7), tick=False):
        assert relancer_moe() == 0
    with time_machine.travel(association + timedelta(days=8), tick=False):
        assert relancer_moe() == 1
