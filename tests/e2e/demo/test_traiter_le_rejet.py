"""README, Factures émises: « Traiter le rejet » retire de la synthèse la facture rejetée, une fois son rejet pris
en compte par le fournisseur. Demo object: DEMO-2026-005 (rejetée, « Facture en double »)."""

import pytest
from playwright.sync_api import expect

from tests.e2e.demo.conftest import menu, se_connecter

pytestmark = pytest.mark.e2e


def test_traiter_le_rejet_de_la_facture_rejetee(page, demo):
    se_connecter(page, demo, "Fournisseur")
    menu(page, "Facturation", "Factures émises")
    page.get_by_role("link", name="Synthèse", exact=True).first.click()
    a_traiter = page.get_by_role("table", name="Factures à traiter")
    expect(a_traiter.get_by_role("row").filter(has_text="DEMO-2026-005")).to_contain_text("Facture en double")
    page.get_by_role("checkbox", name="Sélectionner la facture DEMO-2026-005").check(force=True)
    page.get_by_role("button", name="Traiter le rejet").click()
    expect(page.locator("main")).not_to_contain_text("DEMO-2026-005")
    # the invoice itself stays, found by a search, with its rejection handled
    page.get_by_role("link", name="Rechercher", exact=True).first.click()
    page.get_by_label("Numéro de facture").fill("DEMO-2026-005")
    page.get_by_role("button", name="Rechercher", exact=True).click()
    expect(page.get_by_role("table", name="Résultats de la recherche")).to_contain_text("Rejetée")
