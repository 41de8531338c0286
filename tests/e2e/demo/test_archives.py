"""README, Archives: the invoices closed years ago (paid, or rejected and the rejection processed), archived by the
nightly task when the demo was loaded, are found by the commune and by the supplier in the « Archives » tab of their
space, read-only with their history and file, and by the API's DP_ARCHIVE search. Demo objects: DEMO-2022-014,
DEMO-2022-031, DEMO-2023-007, DEMO-2023-019, DEMO-2024-002 (only looked at)."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.demo.conftest import menu, se_connecter

pytestmark = pytest.mark.e2e

ARCHIVEES = ("DEMO-2022-014", "DEMO-2022-031", "DEMO-2023-007", "DEMO-2023-019", "DEMO-2024-002")


def test_l_entite_publique_retrouve_une_facture_archivee(page, demo):
    se_connecter(page, demo, "Entité publique")
    menu(page, "Facturation", "Factures reçues")
    page.get_by_role("link", name="Rechercher", exact=True).first.click()
    page.get_by_label("Numéro de facture").fill("DEMO-2023-007")
    page.get_by_role("button", name="Rechercher", exact=True).click()
    # the live list no longer carries it
    expect(page.locator("main")).to_contain_text("Aucune facture")
    expect(page.get_by_role("link", name="DEMO-2023-007")).to_have_count(0)

    page.get_by_role("link", name="Archives", exact=True).click()
    expect(page.get_by_role("heading", name="Archives des factures reçues", level=1)).to_be_visible()
    archives = page.locator("#archives")
    expect(archives.locator("caption")).to_have_text("5 factures archivées")
    for numero in ARCHIVEES:
        expect(archives.get_by_role("link", name=numero, exact=True)).to_be_visible()
    page.get_by_label("Numéro de facture").fill("demo-2023")
    page.get_by_label("Fournisseur (raison sociale ou identifiant)").fill("Fournitures Démo")
    page.get_by_role("button", name="Rechercher", exact=True).click()
    expect(archives.locator("caption")).to_have_text("2 factures archivées")
    expect(archives.get_by_role("row").filter(has_text="DEMO-2023-007")).to_contain_text("Mise en paiement")

    archives.get_by_role("link", name="DEMO-2023-007", exact=True).click()
    expect(page.get_by_role("heading", name="Facture n° DEMO-2023-007", level=1)).to_be_visible()
    expect(page.locator("#statut-facture")).to_have_text("Mise en paiement")
    expect(page.locator("#archivee")).to_contain_text("Archivée le 17/03/2025")
    historique = page.get_by_role("table", name="Historique des statuts")
    expect(historique).to_contain_text("Suspendue")
    expect(historique).to_contain_text("Pièce justificative manquante")
    expect(historique).to_contain_text("Complétée")
    expect(historique).to_contain_text("16/03/2023")
    # read-only: no processing
    expect(page.get_by_role("button", name="Enregistrer le traitement")).to_have_count(0)
    with page.expect_download() as telechargement:
        page.get_by_role("link", name="Télécharger la facture (PDF)").click()
    assert telechargement.value.suggested_filename == "DEMO-2023-007.pdf"
    assert Path(telechargement.value.path()).read_bytes()[:5] == b"%PDF-"


def test_le_fournisseur_retrouve_sa_facture_rejetee_archivee(page, demo):
    se_connecter(page, demo, "Fournisseur")
    menu(page, "Facturation", "Factures émises")
    page.get_by_role("link", name="Archives", exact=True).click()
    expect(page.get_by_role("heading", name="Archives des factures émises", level=1)).to_be_visible()
    archives = page.locator("#archives")
    expect(archives.locator("caption")).to_have_text("5 factures archivées")
    ligne = archives.get_by_role("row").filter(has_text="DEMO-2022-031")
    expect(ligne).to_contain_text("Commune de Démoville")
    expect(ligne).to_contain_text("Rejetée")
    ligne.get_by_role("link", name="DEMO-2022-031").click()
    expect(page.get_by_role("heading", name="Facture n° DEMO-2022-031", level=1)).to_be_visible()
    historique = page.get_by_role("table", name="Historique des statuts")
    expect(historique).to_contain_text("Montant erroné")
    expect(historique).to_contain_text("Le bon de commande prévoit 6 toners, pas 8.")


def test_l_api_cherche_dans_les_archives(demo):
    """rechercherDemandePaiement with the supplier's technical account of matelas.csv: the live base by default,
    the archive with dpOuDpArchive = DP_ARCHIVE."""

    def rechercher(corps):
        reponse = demo.appeler_api("factures/v1/rechercher/demandePaiement", corps)
        return {ligne["numeroDemandePaiement"]: ligne for ligne in reponse.get("listeDemandePaiement", [])}

    assert not set(rechercher({})) & set(ARCHIVEES)
    archive = rechercher({"dpOuDpArchive": "DP_ARCHIVE"})
    assert sorted(archive) == list(ARCHIVEES)
    assert archive["DEMO-2022-031"]["etatCourant"] == "REJETEE"
    assert {ligne["dpOuDpArchive"] for ligne in archive.values()} == {"DP_ARCHIVE"}
    assert list(rechercher({"dpOuDpArchive": "DP_ARCHIVE", "numeroFacture": "DEMO-2022-014"})) == ["DEMO-2022-014"]
