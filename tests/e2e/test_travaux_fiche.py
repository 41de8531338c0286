"""The MOA opens the « Fiche d'identité du marché » from the dossier page in Chromium: actors, engagement numbers
and who deposits what, then the print rendering; each state passes axe."""

import pytest
from playwright.sync_api import expect

from tests.e2e.test_accessibilite import violations
from tests.e2e.test_structures import se_connecter
from tests.travaux.conftest import Chantier, piece
from tests.travaux.test_depot import deposer

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_la_moa_ouvre_la_fiche_du_marche_depuis_le_dossier(live_server, page, client):
    chantier = Chantier()
    a4 = deposer(
        chantier.u_fournisseur,
        "fournisseur",
        "A4",
        piece(chantier.fournisseur, "PDM-001", numero_engagement="EJ-2026-0042", numero_marche="MARCHE-2026-17"),
        moe=chantier.moe,
        moa=chantier.moa,
        service_moa=chantier.service_moa,
    )
    se_connecter(page, client, live_server, chantier.u_moa)
    page.goto(f"{live_server.url}/factures-travaux/dossiers/{a4.dossier_id}/")
    page.get_by_role("link", name="Fiche d'identité du marché").click()

    expect(page.get_by_role("heading", name="Fiche d'identité du marché", level=1)).to_be_visible()
    expect(page.locator("#numero-marche")).to_have_text("MARCHE-2026-17")
    expect(page.locator("#engagements")).to_have_text("EJ-2026-0042")
    expect(page.locator("#acteur-moa .acteur-siret")).to_have_text(chantier.moa.identifiant)
    expect(page.locator("#acteur-moa .acteur-service")).to_contain_text("TRAVAUX – Services techniques")
    expect(page.locator("#acteur-fournisseur")).to_contain_text("Bâtiments Durand")
    expect(page.locator("#acteur-moe")).to_contain_text("Cabinet d'architectes Lenoir")
    expect(page.locator("#depose-moa tr")).to_have_count(3)
    expect(page.locator("#depose-moe .cadre-A15")).to_contain_text("A4, A10, A13")
    assert violations(page) == []

    page.emulate_media(media="print")
    expect(page.locator("#lien-dossier")).to_be_hidden()
    expect(page.locator("header").first).to_be_hidden()
    expect(page.locator("#qui-depose-quoi")).to_be_visible()
    assert violations(page) == []
    page.emulate_media(media="screen")

    page.locator("#lien-dossier").click()
    expect(page.get_by_role("heading", name="Consultation d'un dossier de facturation", level=1)).to_be_visible()
