"""The supplier's and the entity's main pages at 390 × 844 (a common phone): no horizontal scroll, and the header
keeps its logo and the service's title readable. Demo objects: read only (DEMO-2026-002)."""

import pytest
from playwright.sync_api import expect

from tests.e2e.demo.conftest import se_connecter

pytestmark = pytest.mark.e2e

TELEPHONE = {"width": 390, "height": 844}


def verifier_la_page(page, quoi):
    largeur = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert largeur[0] <= largeur[1], f"{quoi} : défilement horizontal ({largeur[0]} px pour {largeur[1]} px)"
    entete = page.locator("header.fr-header")
    expect(entete.locator(".fr-logo")).to_be_visible()
    titre = entete.locator(".fr-header__service-title")
    expect(titre).to_be_visible()
    # intact, as the DSFR lays it out on a phone: the brand (logo, title) takes the whole first row, and whatever the
    # header adds (« Dernière connexion le … ») sits below it or in the menu, never beside it in a narrow column
    marque = entete.locator(".fr-header__brand").bounding_box()
    assert marque["width"] >= 0.9 * largeur[1], f"{quoi} : logo et titre serrés dans {marque['width']} px"
    connexion = page.locator("#derniere-connexion")
    if connexion.count() and connexion.is_visible():
        boite = connexion.bounding_box()
        a_cote = f"{quoi} : « {connexion.inner_text()} » à côté du logo"
        assert boite["y"] >= marque["y"] + marque["height"] - 1, a_cote


def parcourir(page, demo, role, rubrique, ecrans):
    page.set_viewport_size(TELEPHONE)
    se_connecter(page, demo, role)
    verifier_la_page(page, f"{role}, accueil")
    for lien in ecrans:
        page.get_by_role("button", name="Menu").first.click()
        dialogue = page.get_by_role("dialog")
        dialogue.get_by_role("button", name=rubrique).click()
        dialogue.get_by_role("link", name=lien, exact=True).click()
        verifier_la_page(page, f"{role}, {lien}")
    page.get_by_role("link", name="Rechercher", exact=True).first.click()
    page.get_by_label("Numéro de facture").fill("DEMO-2026-002")
    page.get_by_role("button", name="Rechercher", exact=True).click()
    # the search is a page load: measure the result page, not the one being left
    resultat = page.get_by_role("link", name="DEMO-2026-002", exact=True).first
    expect(resultat).to_be_visible()
    verifier_la_page(page, f"{role}, recherche")
    resultat.click()
    verifier_la_page(page, f"{role}, facture DEMO-2026-002")


def test_le_fournisseur_sur_telephone(page, demo):
    parcourir(page, demo, "Fournisseur", "Facturation", ["Factures à valider", "Factures émises"])


def test_l_entite_publique_sur_telephone(page, demo):
    parcourir(page, demo, "Entité publique", "Facturation", ["Factures émises", "Factures reçues"])
