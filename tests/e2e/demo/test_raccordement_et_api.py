"""README, Raccordement and API: « Suivi des flux » to deposit a flux and read its report; « Comptes techniques et
raccordements »; the README's curl lines, run as written, with the accounts of matelas.csv; the services'
documentation at /cpro/documentation/. Demo objects: a new flux carrying FLUX-2026-001."""

import json
import re
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.demo.conftest import RACINE, menu, se_connecter

pytestmark = pytest.mark.e2e


def test_deposer_un_flux_et_lire_son_compte_rendu(page, demo, tmp_path):
    se_connecter(page, demo, "Fournisseur")
    # the supplier's software issues its next invoice: the portal's own CII of DEMO-2026-001, renumbered
    menu(page, "Facturation", "Factures émises")
    page.get_by_role("link", name="Rechercher", exact=True).first.click()
    page.get_by_label("Numéro de facture").fill("DEMO-2026-001")
    page.get_by_role("button", name="Rechercher", exact=True).click()
    page.get_by_role("link", name="DEMO-2026-001", exact=True).first.click()
    with page.expect_download() as telechargement:
        page.get_by_role("link", name="Télécharger la facture (XML)").click()
    xml = Path(telechargement.value.path()).read_text(encoding="utf-8")
    fichier = tmp_path / "FLUX-2026-001.xml"
    fichier.write_text(xml.replace("DEMO-2026-001", "FLUX-2026-001"), encoding="utf-8")

    menu(page, "Raccordement", "Suivi des flux")
    expect(page.get_by_role("heading", name="Suivi des flux", level=1)).to_be_visible()
    page.get_by_role("link", name="Déposer un flux").click()
    expect(page.get_by_role("heading", name="Déposer un flux", level=1)).to_be_visible()
    page.get_by_label("Fichier du flux").set_input_files(str(fichier))
    page.get_by_role("button", name="Déposer le flux").click()
    expect(page.get_by_role("heading", name="Flux", exact=False).first).to_be_visible()
    # the worker integrates it; the page follows on its own
    expect(page.locator("#etat-libelle")).to_have_text("Intégré", timeout=60_000)
    expect(page.locator("#flux-comptes")).to_contain_text("1 intégrée")
    page.get_by_role("link", name="Consulter la facture FLUX-2026-001").click()
    expect(page.get_by_role("heading", name="Facture FLUX-2026-001", level=1)).to_be_visible()


def test_comptes_techniques_et_raccordements(page, demo):
    technique = demo.compte("compte technique")
    se_connecter(page, demo, "Fournisseur")
    menu(page, "Raccordement", "Comptes techniques et raccordements")
    expect(page.get_by_role("heading", name="Raccordement", level=1)).to_be_visible()
    structures = page.get_by_role("table", name="Structures dont vous gérez le raccordement")
    ligne = structures.get_by_role("row").filter(has_text="Fournitures Démo SAS")
    expect(ligne).to_contain_text("99000101800011")
    ligne.get_by_role("link").first.click()
    expect(page.locator("main")).to_contain_text(technique["login"])


def test_l_api_avec_les_comptes_du_matelas(page, demo):
    """The README's two calls, with the client API and the supplier's technical account of matelas.csv."""
    technique = demo.compte("compte technique")
    reponse = demo.appeler_api("utilisateurs/v1/monCompte/recuperer/rattachements", {})
    assert reponse["codeRetour"] == 0, reponse
    assert technique["identifiant"] in json.dumps(reponse), reponse

    # the documentation, from the Raccordement menu
    se_connecter(page, demo, "Fournisseur")
    menu(page, "Raccordement", "Documentation de l'API")
    expect(page.get_by_role("heading", level=1)).to_contain_text("API")
    expect(page.locator("main")).to_contain_text("monCompte")


def lignes_curl_du_readme():
    """The README's curl commands, as a reader copies them (a command split over two lines joined back)."""
    texte = (RACINE / "README.md").read_text(encoding="utf-8")
    return [" ".join(commande.split()) for commande in re.findall(r"`(curl [^`]+)`", texte)]


def test_les_lignes_curl_du_readme_telles_quelles(demo):
    client = demo.compte("client API")
    technique = demo.compte("compte technique")
    jeton_ligne, compte_ligne = lignes_curl_du_readme()[:2]
    jeton_ligne = (
        jeton_ligne.replace("client_id=…", f"client_id={client['login']}")
        .replace("client_secret=…", f"client_secret={client['mot_de_passe']}")
        .replace("http://127.0.0.1:8000", demo.url)
    )
    sortie = subprocess.run(["bash", "-c", jeton_ligne], capture_output=True, text=True, timeout=60, check=True)
    jeton = json.loads(sortie.stdout)["access_token"]
    compte_ligne = (
        compte_ligne.replace("<jeton>", jeton)
        .replace("login:motdepasse", f"{technique['login']}:{technique['mot_de_passe']}")
        .replace("http://127.0.0.1:8000", demo.url)
    )
    sortie = subprocess.run(["bash", "-c", compte_ligne], capture_output=True, text=True, timeout=60, check=True)
    reponse = json.loads(sortie.stdout)
    assert reponse["codeRetour"] == 0, reponse
    assert technique["identifiant"] in sortie.stdout, reponse
