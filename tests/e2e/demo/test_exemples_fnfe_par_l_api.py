"""README, « Exemples FNFE par l'API » (issue #13): the FNFE examples' seller has its user and its technical account in
matelas.csv, and a client deposits an FNFE Factur-X example with them, through the API of the demo served by
`make run`, by the README's lines run as written; consulterCR then says the flux is integrated. Demo objects: the
FNFE seller's invoice FA-2017-0010 (tests/facturation/donnees/Facture_FR_BASICWL.pdf)."""

import json
import re
import subprocess
import time

import pytest

from tests.e2e.demo.conftest import RACINE
from tests.e2e.demo.test_raccordement_et_api import lignes_curl_du_readme

pytestmark = pytest.mark.e2e

SIRET_VENDEUR_FNFE = "99999999800010"
ETATS_FINAUX = ("IN_INTEGRE", "IN_INTEGRE_PARTIEL", "IN_REJETE", "IN_INCIDENTE")


def _script_de_depot_du_readme():
    """The README's deposit script (its ```sh block that calls deposerFluxFacture), as a reader copies it."""
    texte = (RACINE / "README.md").read_text(encoding="utf-8")
    (script,) = [bloc for bloc in re.findall(r"```sh\n(.*?)```", texte, re.DOTALL) if "deposer/flux" in bloc]
    return script


def _bash(commande):
    sortie = subprocess.run(
        ["bash", "-c", commande], cwd=RACINE, capture_output=True, text=True, timeout=60, check=True
    )
    return json.loads(sortie.stdout)


def _avec_les_comptes(commande, demo, jeton, technique):
    return (
        commande.replace("<jeton>", jeton)
        .replace("login:motdepasse", f"{technique['login']}:{technique['mot_de_passe']}")
        .replace("http://127.0.0.1:8000", demo.url)
    )


def test_deposer_un_exemple_fnfe_par_l_api_comme_le_readme(demo):
    (fournisseur,) = [c for c in demo.comptes if c["role"].startswith("Fournisseur des exemples FNFE")]
    assert fournisseur["identifiant"] == SIRET_VENDEUR_FNFE
    (technique,) = [
        c for c in demo.comptes if c["role"] == "compte technique" and c["identifiant"] == SIRET_VENDEUR_FNFE
    ]
    client = demo.compte("client API")
    jeton_ligne = lignes_curl_du_readme()[0]
    jeton = _bash(
        jeton_ligne.replace("client_id=…", f"client_id={client['login']}")
        .replace("client_secret=…", f"client_secret={client['mot_de_passe']}")
        .replace("http://127.0.0.1:8000", demo.url)
    )["access_token"]

    depot = _bash(_avec_les_comptes(_script_de_depot_du_readme(), demo, jeton, technique))
    assert depot["codeRetour"] == 0 and depot["syntaxeFlux"] == "IN_DP_E2_CII_FACTURX", depot
    numero = depot["numeroFluxDepot"]

    (consulter,) = [ligne for ligne in lignes_curl_du_readme() if "transverses/v1/consulterCR" in ligne]
    consulter = _avec_les_comptes(consulter, demo, jeton, technique).replace("<numeroFluxDepot>", numero)
    fin = time.monotonic() + 60
    cr = _bash(consulter)
    while cr.get("etatCourantFlux") not in ETATS_FINAUX and time.monotonic() < fin:
        time.sleep(1)  # the demo's Celery worker integrates the flux a moment later
        cr = _bash(consulter)
    detaille = _bash(consulter.replace("consulterCR", "consulterCRDetaille"))
    assert cr["etatCourantFlux"] == "IN_INTEGRE", detaille
    assert detaille["listeErreurDP"] == [] and detaille["listeErreurTechnique"] == [], detaille

    # the invoice is the FNFE seller's, found by its flux number as the supplier's software would look it up
    recherche = consulter.replace("transverses/v1/consulterCR", "factures/v1/rechercher/fournisseur")
    factures = _bash(recherche)["listeFactures"]
    assert [(f["numeroFacture"], f["numeroFluxDepot"]) for f in factures] == [("FA-2017-0010", numero)], factures
