"""The home page's tiles and an unknown address, as the demo serves them: the tiles say what the user's profiles
open, and no debug page leaks (a French DSFR page with a way back). Demo objects: none changed."""

import pytest
from playwright.sync_api import expect

from tests.e2e.demo.conftest import ouvrir_accueil, se_connecter

pytestmark = pytest.mark.e2e


def test_la_tuile_raccordement_est_ouverte_au_fournisseur(page, demo):
    se_connecter(page, demo, "Fournisseur")
    page.get_by_role("link", name="Accueil", exact=True).first.click()
    tuile = page.locator(".fr-card").filter(has=page.get_by_role("heading", name="Raccordement", exact=True))
    expect(tuile).to_be_visible()
    expect(tuile).not_to_contain_text("ouverture prochaine", ignore_case=True)
    tuile.get_by_role("link").first.click()
    expect(page.get_by_role("heading", name="Raccordement", level=1)).to_be_visible()


def test_une_adresse_inconnue_donne_une_page_404_du_portail(page, demo):
    ouvrir_accueil(page, demo)
    page.goto(demo.url + "/cette-page-n-existe-pas/")
    # what the page says first; the browser checks (console, axe) follow on the next step
    contenu = page.brut.locator("body")
    expect(contenu).not_to_contain_text("URLconf")
    expect(contenu).not_to_contain_text("admin/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Page non trouvée")
    page.get_by_role("link", name="Page d'accueil").first.click()
    expect(page.get_by_role("heading", name="Bienvenue sur le Portail Chorus Pro")).to_be_visible()
