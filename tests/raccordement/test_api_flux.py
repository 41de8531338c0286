"""The flux over the API, the way OCA's chorus_flow does it: deposerFluxFacture with a tar.gz of several invoices,
then consulterCR until the state is final, consulterCRDetaille for the errors against each invoice number, and
rechercher/fournisseur by numeroFluxDepot to find the invoices it created."""

import base64

import pytest

from raccordement.api import flux as api_flux
from raccordement.models import Flux
from tests.raccordement.flux_donnees import facture_cii, tar_gz
from tests.raccordement.test_api_socle import Integrateur, publique

pytestmark = pytest.mark.django_db


@pytest.fixture
def circuit(db):
    class Circuit:
        fournisseur = Integrateur()
        commune = publique(raison_sociale="Commune de Valbourg")
        autre = Integrateur()

    return Circuit


def _b64(contenu):
    return base64.b64encode(contenu).decode()


def test_deposer_un_flux_puis_suivre_son_compte_rendu(client, circuit, django_capture_on_commit_callbacks):
    siret, commune = circuit.fournisseur.structure.identifiant, circuit.commune.identifiant
    archive = tar_gz(
        [
            ("f1.xml", facture_cii("FLX-001", vendeur=siret, acheteur=commune)),
            ("f2.xml", facture_cii("FLX-002", vendeur=siret, acheteur=commune, lignes=5)),
            ("f3.xml", facture_cii("FLX-003", vendeur=siret, acheteur="12345678901234")),
        ]
    )
    entetes = circuit.fournisseur.entetes(client)
    with django_capture_on_commit_callbacks(execute=True):
        depot = circuit.fournisseur.appeler(
            client,
            "factures/v1/deposer/flux",
            {"fichierFlux": _b64(archive), "nomFichier": "lot.tar.gz", "syntaxeFlux": "IN_DP_E1_CII_16B"},
            **entetes,
        )
    assert depot.status_code == 200, depot.content
    numero = depot.json()["numeroFluxDepot"]
    assert (
        depot.json()["codeRetour"] == 0
        and Flux.objects.get(numero=numero).compte_technique == circuit.fournisseur.compte
    )

    cr = circuit.fournisseur.appeler(client, "transverses/v1/consulterCR", {"numeroFluxDepot": numero}, **entetes)
    assert cr.json()["etatCourantFlux"] == "IN_INTEGRE_PARTIEL"
    detaille = circuit.fournisseur.appeler(
        client, "transverses/v1/consulterCRDetaille", {"numeroFluxDepot": numero}, **entetes
    ).json()
    assert detaille["etatCourantDepotFlux"] == "IN_INTEGRE_PARTIEL"
    assert {e["numeroDP"] for e in detaille["listeErreurDP"]} == {"FLX-003"}
    assert all(e["identifiantDestinataire"] == "12345678901234" for e in detaille["listeErreurDP"])

    factures = circuit.fournisseur.appeler(
        client, "factures/v1/rechercher/fournisseur", {"numeroFluxDepot": numero}, **entetes
    ).json()
    assert sorted(f["numeroFacture"] for f in factures["listeFactures"]) == ["FLX-001", "FLX-002"]
    assert {f["numeroFluxDepot"] for f in factures["listeFactures"]} == {numero}
    assert {f["modeDepot"] for f in factures["listeFactures"]} == {"UPLOAD_API"}

    # another structure's account learns nothing about this flux
    autre = circuit.autre.entetes(client)
    ailleurs = circuit.autre.appeler(client, "transverses/v1/consulterCR", {"numeroFluxDepot": numero}, **autre)
    absent = circuit.autre.appeler(client, "transverses/v1/consulterCR", {"numeroFluxDepot": "CPP0"}, **autre)
    assert ailleurs.status_code == absent.status_code == 404 and ailleurs.json() == absent.json()


def test_les_refus_du_depot(client, circuit, monkeypatch):
    entetes = circuit.fournisseur.entetes(client)
    pas_b64 = circuit.fournisseur.appeler(
        client, "factures/v1/deposer/flux", {"fichierFlux": "%%%", "nomFichier": "f.xml"}, **entetes
    )
    assert pas_b64.status_code == 400 and pas_b64.json()["champ"] == "fichierFlux"
    faux_xml = circuit.fournisseur.appeler(
        client,
        "factures/v1/deposer/flux",
        {"fichierFlux": _b64(b"%PDF-1.4 pas un xml"), "nomFichier": "f.xml"},
        **entetes,
    )
    assert faux_xml.status_code == 400 and faux_xml.json()["champ"] == "fichier"
    assert "porte l'extension .xml mais n'est pas" in faux_xml.json()["libelle"]
    monkeypatch.setattr(api_flux, "TAILLE_B64_MAX", 100)
    gros = circuit.fournisseur.appeler(
        client, "factures/v1/deposer/flux", {"fichierFlux": _b64(b"<x/>" * 100), "nomFichier": "f.xml"}, **entetes
    )
    assert gros.status_code == 413 and gros.json()["codeRetour"] == 20001
    assert not Flux.objects.exists()
