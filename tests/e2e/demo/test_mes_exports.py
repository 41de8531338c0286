"""README, Fournisseur: « Factures émises » → Rechercher → « Exporter les résultats (Excel) »: the file is built by
the demo's Celery worker; « Mes exports » shows its progress, then the download link; a mail says it is ready."""

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.e2e.demo.conftest import menu, se_connecter

pytestmark = pytest.mark.e2e


def test_export_excel_des_factures_emises(page, demo):
    se_connecter(page, demo, "Fournisseur")
    menu(page, "Facturation", "Factures émises")
    page.get_by_role("link", name="Rechercher", exact=True).first.click()
    page.get_by_label("Numéro de facture").fill("DEMO-2026")
    page.get_by_role("button", name="Rechercher", exact=True).click()
    page.get_by_role("button", name="Exporter les résultats (Excel)").click()

    expect(page.get_by_role("heading", name="Mes exports", level=1)).to_be_visible()
    # (the « en préparation » message may already be gone: the page reloads itself when the worker is done)
    ligne = page.locator("#mes-exports tbody tr").first
    expect(ligne).to_contain_text("Factures émises")
    # the page follows the worker (static/js/mes_exports.js) and reloads when the file is ready
    lien = ligne.get_by_role("link", name="Télécharger")
    expect(lien).to_be_visible(timeout=120_000)
    expect(ligne).to_contain_text("Prêt")

    with page.expect_download() as telechargement:
        lien.click()
    fichier = telechargement.value
    assert fichier.suggested_filename.startswith("factures-emises-") and fichier.suggested_filename.endswith(".xlsx")
    with open(fichier.path(), "rb") as contenu:
        feuille = load_workbook(io.BytesIO(contenu.read())).active
    numeros = [ligne[0] for ligne in feuille.iter_rows(min_row=2, values_only=True)]
    assert numeros and all(numero.startswith("DEMO-2026") for numero in numeros)

    sujet, corps = demo.attendre_courriel(demo.compte("Fournisseur")["login"], objet="Votre export")
    assert "« Factures émises » est prêt" in sujet and "/mes-exports/" in corps

    # also reachable from the menu
    menu(page, "COMMUNICATION", "Mes exports")
    expect(page.locator("#mes-exports")).to_contain_text("Factures émises")
