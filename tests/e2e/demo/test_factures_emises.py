"""README, Fournisseur: « Factures émises » : une facture à recycler, une suspendue à compléter, une rejetée
(fenêtre d'acquittement à la connexion), une mise en paiement, une en retard de paiement avec ses intérêts moratoires.

Demo objects: DEMO-2026-003 (suspendue), DEMO-2026-004 (à recycler), DEMO-2026-007 (mise en paiement),
DEMO-2026-008 (en retard). DEMO-2026-005 (rejetée) is only looked at here: « Traiter le rejet » has its own journey.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.demo.conftest import menu, se_connecter

pytestmark = pytest.mark.e2e


def rechercher_et_ouvrir(page, numero):
    menu(page, "Facturation", "Factures émises")
    page.get_by_role("link", name="Rechercher", exact=True).first.click()
    page.get_by_label("Numéro de facture").fill(numero)
    page.get_by_role("button", name="Rechercher", exact=True).click()
    page.get_by_role("link", name=numero, exact=True).first.click()
    expect(page.get_by_role("heading", name=f"Facture {numero}", level=1)).to_be_visible()


def test_la_fenetre_des_rejets_s_ouvre_a_la_connexion(page, demo):
    se_connecter(page, demo, "Fournisseur", fermer=False)
    modale = page.locator("#modale-rejets")
    expect(modale).to_be_visible()
    expect(modale).to_contain_text("Factures rejetées")
    ligne = modale.get_by_role("row").filter(has_text="DEMO-2026-005")
    expect(ligne).to_contain_text("Facture en double")
    # closed, not acknowledged: the rejection stays to be handled (« Traiter le rejet »)
    modale.get_by_role("button", name="Fermer", exact=True).click()
    expect(modale).to_be_hidden()
    menu(page, "Facturation", "Factures émises")
    # « Factures émises » opens on the latest invoices: the rejected one is there with its status
    dernieres = page.locator("main table").first
    expect(dernieres.get_by_role("row").filter(has_text="DEMO-2026-005")).to_contain_text("Rejetée")


def test_recycler_la_facture_a_recycler(page, demo):
    se_connecter(page, demo, "Fournisseur")
    rechercher_et_ouvrir(page, "DEMO-2026-004")
    expect(page.locator("main")).to_contain_text("À RECYCLER", ignore_case=True)
    page.get_by_role("link", name="Recycler", exact=True).click()
    expect(page.get_by_role("heading", name="Recycler la facture DEMO-2026-004")).to_be_visible()
    # recycling means correcting the routing data: here the engagement number the commune expected
    page.get_by_label("Numéro d'engagement").fill("EJ-2026-0104")
    page.get_by_role("button", name="Renvoyer la facture").click()
    expect(page.get_by_role("heading", name="Facture DEMO-2026-004", level=1)).to_be_visible()
    expect(page.locator("main")).to_contain_text("Mise à disposition du destinataire")


def test_completer_la_facture_suspendue(page, demo):
    se_connecter(page, demo, "Fournisseur")
    rechercher_et_ouvrir(page, "DEMO-2026-003")
    expect(page.locator("main")).to_contain_text("Pièce manquante")
    page.get_by_role("link", name="Compléter", exact=True).first.click()
    expect(page.get_by_role("heading", name="Compléter la facture DEMO-2026-003")).to_be_visible()
    page.get_by_label("Commentaire").fill("Le bon de livraison signé est joint.")
    page.get_by_label("Pièces jointes").set_input_files(
        files=[{"name": "bon-de-livraison.pdf", "mimeType": "application/pdf", "buffer": _petit_pdf()}]
    )
    page.get_by_role("button", name="Renvoyer la facture").click()
    expect(page.get_by_role("heading", name="Facture DEMO-2026-003", level=1)).to_be_visible()
    historique = page.get_by_role("table", name="Historique des statuts")
    expect(historique).to_contain_text("Complétée")
    expect(historique).to_contain_text("Le bon de livraison signé est joint.")
    expect(page.locator("main")).to_contain_text("bon-de-livraison.pdf")


def test_la_facture_mise_en_paiement(page, demo):
    se_connecter(page, demo, "Fournisseur")
    rechercher_et_ouvrir(page, "DEMO-2026-007")
    expect(page.locator("main")).to_contain_text("MISE EN PAIEMENT", ignore_case=True)
    expect(page.locator("main")).to_contain_text("PAYÉE DANS LE DÉLAI", ignore_case=True)
    expect(page.locator("main")).to_contain_text(re.compile(r"Mise en paiement le \d\d/\d\d/\d{4}"))


def test_la_facture_en_retard_avec_ses_interets_et_l_indemnite(page, demo):
    se_connecter(page, demo, "Fournisseur")
    rechercher_et_ouvrir(page, "DEMO-2026-008")
    delai = page.locator("main")
    expect(delai).to_contain_text(re.compile(r"EN RETARD DE \d+ JOURS", re.IGNORECASE))
    expect(delai).to_contain_text("Intérêts moratoires à ce jour")
    interets = r"\d+,\d\d\s€ pour \d+ jours de retard sur un net à payer de 1\s440,00\s€"
    expect(delai).to_contain_text(re.compile(interets))
    expect(delai).to_contain_text("Indemnité forfaitaire pour frais de recouvrement")
    expect(delai).to_contain_text(re.compile(r"Indemnité forfaitaire pour frais de recouvrement\s+40,00\s€"))


def _petit_pdf():
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )
