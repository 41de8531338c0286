"""README, Fournisseur: « Saisir une facture » (le destinataire « Commune de Démoville » se trouve par son nom),
« Déposer une facture » (Factur-X, CII, UBL ou PDF). Every field marked « (Optionnel) » is left at its default: a
form must not refuse what it calls optional.

Demo objects: new invoices SAISIE-2026-001 and DEPOT-2026-001; the file deposited is the CII the portal gives for
DEMO-2026-002 (« Télécharger la facture (XML) »), renumbered, as the supplier's software would issue the next one.
"""

from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.demo.conftest import menu, se_connecter

pytestmark = pytest.mark.e2e


def test_saisir_une_facture_pour_la_commune_trouvee_par_son_nom(page, demo):
    se_connecter(page, demo, "Fournisseur")
    menu(page, "Facturation", "Saisir une facture")
    expect(page.get_by_role("heading", name="Saisir une facture", level=1)).to_be_visible()
    page.get_by_label("Rechercher un destinataire").fill("Démoville")
    page.get_by_role("button", name="Rechercher", exact=True).click()
    page.get_by_role("button", name="Commune de Démoville – 99000202400018").click()
    expect(page.get_by_label("SIRET du destinataire")).to_have_value("99000202400018")
    # once the recipient is chosen, the form says what it requires, before any submission
    expect(page.locator("#exigences-destinataire")).to_contain_text("Commune de Démoville")
    expect(page.locator("#exigences-destinataire")).to_contain_text("code service")
    service = page.get_by_label("Code du service destinataire")
    libelle = page.locator(f"label[for='{service.get_attribute('id')}']")
    expect(libelle).not_to_contain_text("Optionnel", use_inner_text=True)
    service.select_option(label="SERVICE-ACHATS – Service des achats")

    page.get_by_label("Numéro de facture").fill("SAISIE-2026-001")
    page.get_by_label("Date de facture").fill(timezone.localdate().isoformat())
    ligne = page.locator("#ligne-1")
    ligne.get_by_label("Désignation").fill("Ramettes de papier recyclé")
    ligne.get_by_label("Quantité").fill("10")
    ligne.get_by_label("Prix unitaire HT").fill("4,50")
    ligne.get_by_label("Taux de TVA").select_option(label="20 %")
    page.get_by_role("button", name="Valider et envoyer").click()

    expect(page.get_by_role("heading", name="Récapitulatif du dépôt", level=1)).to_be_visible()
    expect(page.locator("#confirmation-depot")).to_contain_text("Votre facture n° SAISIE-2026-001 a été déposée le")
    expect(page.locator("#statut-facture")).to_have_text("Mise à disposition du destinataire")


def test_deposer_le_cii_de_sa_facture_suivante(page, demo, tmp_path):
    se_connecter(page, demo, "Fournisseur")
    menu(page, "Facturation", "Factures émises")
    page.get_by_role("link", name="Rechercher", exact=True).first.click()
    page.get_by_label("Numéro de facture").fill("DEMO-2026-002")
    page.get_by_role("button", name="Rechercher", exact=True).click()
    page.get_by_role("link", name="DEMO-2026-002", exact=True).first.click()
    with page.expect_download() as telechargement:
        page.get_by_role("link", name="Télécharger la facture (XML)").click()
    xml = Path(telechargement.value.path()).read_text(encoding="utf-8")
    assert "CrossIndustryInvoice" in xml and "DEMO-2026-002" in xml, xml[:500]
    fichier = tmp_path / "DEPOT-2026-001.xml"
    fichier.write_text(xml.replace("DEMO-2026-002", "DEPOT-2026-001"), encoding="utf-8")

    menu(page, "Facturation", "Déposer une facture")
    expect(page.get_by_role("heading", name="Déposer une facture", level=1)).to_be_visible()
    page.get_by_label("Structure qui émet la facture").select_option(label="Fournitures Démo SAS (99000101800011)")
    page.get_by_label("Fichier de la facture").set_input_files(str(fichier))
    page.get_by_text("Factur-X / XML (format détecté automatiquement)").click()
    page.get_by_role("button", name="Déposer", exact=True).click()
    expect(page.get_by_role("heading", name="Récapitulatif du dépôt", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Votre facture n° DEPOT-2026-001 a été déposée le")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Mise à disposition du destinataire")

    # it is among the invoices sent, waiting for the commune
    menu(page, "Facturation", "Factures émises")
    page.get_by_role("link", name="Rechercher", exact=True).first.click()
    page.get_by_label("Numéro de facture").fill("DEPOT-2026-001")
    page.get_by_role("button", name="Rechercher", exact=True).click()
    expect(page.get_by_role("table", name="Résultats de la recherche")).to_contain_text("Commune de Démoville")
