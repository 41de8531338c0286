"""The fields the real clients read, through the API as they call it (issue #14): chorus-api 1.0.6's response classes
(ConsulterCrResponse, ConsulterCrDetailleResponse, ConsulterStructureResponse, ListeFactures,
InformationSiretResponse) and the OCA connector's reads. Each service also shows that a technical account of another
structure learns nothing it should not."""

import base64
import io
import re
from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader

from facturation.models import DelegationFactures
from organisation.enums import StatutStructure
from organisation.matelas import siret_fictif
from organisation.models import Structure
from raccordement.enums import ProtocoleRaccordement, TypeRaccordement
from raccordement.models import CompteTechnique, FicheRaccordement, Flux
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


def _total_decale(xml):
    """The invoice with its BT-112 (GrandTotalAmount) shifted: refused by BR-CO-15 with both values."""
    return re.sub(rb"(<ram:GrandTotalAmount[^>]*>)[^<]+", rb"\g<1>999.99", xml, count=1)


def _deposer(circuit, client, django_capture_on_commit_callbacks, entetes):
    siret, commune = circuit.fournisseur.structure.identifiant, circuit.commune.identifiant
    archive = tar_gz(
        [
            ("bon.xml", facture_cii("CHP-001", vendeur=siret, acheteur=commune)),
            ("decale.xml", _total_decale(facture_cii("CHP-002", vendeur=siret, acheteur=commune))),
        ]
    )
    with django_capture_on_commit_callbacks(execute=True):
        depot = circuit.fournisseur.appeler(
            client,
            "factures/v1/deposer/flux",
            {"fichierFlux": _b64(archive), "nomFichier": "lot-champs.tar.gz", "syntaxeFlux": "IN_DP_E1_CII_16B"},
            **entetes,
        )
    assert depot.status_code == 200, depot.content
    return depot.json()


def _texte_pdf(contenu):
    texte = "".join(page.extract_text() for page in PdfReader(io.BytesIO(contenu)).pages)
    return re.sub(r"\s+", "", texte)


def test_consulter_cr_donne_le_flux_et_son_compte_rendu_en_pdf(client, circuit, django_capture_on_commit_callbacks):
    entetes = circuit.fournisseur.entetes(client)
    depot = _deposer(circuit, client, django_capture_on_commit_callbacks, entetes)
    # deposerFluxFacture's dateDepot is a date (OCA stores it in a Date field)
    assert date.fromisoformat(depot["dateDepot"]) == timezone.now().date()
    flux = Flux.objects.get(numero=depot["numeroFluxDepot"])

    cr = circuit.fournisseur.appeler(
        client, "transverses/v1/consulterCR", {"numeroFluxDepot": flux.numero}, **entetes
    ).json()
    assert cr["etatCourantFlux"] == "IN_INTEGRE_PARTIEL" and "dateDepot" not in cr
    assert cr["dateDepotFlux"] == depot["dateDepot"]
    assert datetime.fromisoformat(cr["dateHeureEtatCourantFlux"]) == flux.traitement_fin_le
    assert cr["nomFichierFlux"] == "lot-champs.tar.gz"
    assert cr["designationPartenaire"] == "Fournisseur intégré"
    assert cr["codeAppliPartenaire"] == circuit.fournisseur.compte.login
    assert cr["codeInterfaceFlux"] == "FSO1100"

    pdf = base64.b64decode(cr["fichierCR"], validate=True)
    assert pdf.startswith(b"%PDF-")
    texte = _texte_pdf(pdf)
    assert flux.numero in texte and "Intégrépartiellement" in texte and "lot-champs.tar.gz" in texte
    erreurs = list(flux.erreurs.exclude(flux_facture=None))
    assert erreurs and any(e.valeur_trouvee and e.valeur_attendue for e in erreurs)
    for erreur in erreurs:  # every error, with its rule, its field and both values
        for valeur in (erreur.code, erreur.champ, erreur.valeur_trouvee, erreur.valeur_attendue):
            assert re.sub(r"\s+", "", valeur) in texte, valeur

    # another structure's account gets the same answer as for a flux that does not exist
    autre = circuit.autre.entetes(client)
    for service in ("consulterCR", "consulterCRDetaille"):
        ailleurs = circuit.autre.appeler(client, f"transverses/v1/{service}", {"numeroFluxDepot": flux.numero}, **autre)
        absent = circuit.autre.appeler(client, f"transverses/v1/{service}", {"numeroFluxDepot": "CPP0"}, **autre)
        assert ailleurs.status_code == absent.status_code == 404 and ailleurs.json() == absent.json()
        assert "fichierCR" not in ailleurs.json()


def test_consulter_cr_detaille_nomme_le_fichier_l_interface_et_la_nature_des_erreurs(
    client, circuit, django_capture_on_commit_callbacks
):
    entetes = circuit.fournisseur.entetes(client)
    xml = facture_cii("CHP-UBL", vendeur=circuit.fournisseur.structure.identifiant, acheteur=circuit.commune.identifiant)
    corps = {"fichierFlux": _b64(xml), "nomFichier": "facture.xml", "syntaxeFlux": "IN_DP_E1_UBL_INVOICE"}
    # the same file twice: the second flux is rejected as a whole, a technical error
    with django_capture_on_commit_callbacks(execute=True):
        circuit.fournisseur.appeler(client, "factures/v1/deposer/flux", corps, **entetes)
        depot = circuit.fournisseur.appeler(client, "factures/v1/deposer/flux", corps, **entetes).json()
    flux = Flux.objects.get(numero=depot["numeroFluxDepot"])
    assert flux.doublon_de_id and flux.etat == "IN_REJETE"

    detail = circuit.fournisseur.appeler(
        client, "transverses/v1/consulterCRDetaille", {"numeroFluxDepot": flux.numero}, **entetes
    ).json()
    assert detail["nomFichier"] == "facture.xml"
    assert detail["dateDepotFlux"] == depot["dateDepot"]
    assert detail["codeInterfaceDepotFlux"] == "FSO1140A"
    assert datetime.fromisoformat(detail["dateHeureEtatCourantFlux"]) == flux.traitement_fin_le
    assert detail["etatCourantDepotFlux"] == "IN_REJETE"
    [erreur] = detail["listeErreurTechnique"]
    assert erreur["codeErreur"] == "FLUX_DOUBLON" and erreur["natureErreur"] == "Technique"
    assert "déjà été déposé" in erreur["libelleErreur"]
