"""Works drafts in Chromium: « Enregistrer » keeps an unfinished piece; « Pièces en brouillon » lists it, « Reprendre »
opens it with what was typed, « Supprimer » removes another."""

import pytest
from playwright.sync_api import expect

from tests.e2e.test_accessibilite import violations
from tests.e2e.test_parcours_travaux import PDF
from tests.e2e.test_structures import se_connecter
from tests.travaux.conftest import Chantier

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def enregistrer(page, live_server, chantier, numero, fichier):
    page.goto(live_server.url + "/factures-travaux/deposer/")
    page.locator("#id_role").select_option("fournisseur")
    page.locator("#id_structure").select_option(str(chantier.fournisseur.pk))
    page.locator("#id_cadre").select_option("A4")
    page.locator("#id_numero").fill(numero)
    page.locator("#id_pdf").set_input_files(str(fichier))
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Le brouillon est enregistré")).to_be_visible()


def test_enregistrer_retrouver_reprendre_supprimer(live_server, page, client, tmp_path):
    chantier = Chantier()
    fichier = tmp_path / "piece.pdf"
    fichier.write_bytes(PDF)
    se_connecter(page, client, live_server, chantier.u_fournisseur)
    enregistrer(page, live_server, chantier, "PDM-BR-1", fichier)
    enregistrer(page, live_server, chantier, "PDM-BR-2", fichier)

    page.get_by_role("button", name="Factures de travaux").click()
    page.get_by_role("link", name="Pièces en brouillon", exact=True).click()
    expect(page.locator("#nombre-brouillons")).to_have_text("2 brouillons.")
    assert violations(page) == []

    page.get_by_role("button", name="Supprimer le brouillon PDM-BR-2").click()
    expect(page.get_by_text("Le brouillon de la pièce n° PDM-BR-2 est supprimé.")).to_be_visible()
    expect(page.locator("#brouillons")).not_to_contain_text("PDM-BR-2")

    page.get_by_role("link", name="Reprendre le brouillon PDM-BR-1").click()
    expect(page.get_by_role("heading", name="Brouillon de pièce de travaux", level=1)).to_be_visible()
    expect(page.locator("#id_numero")).to_have_value("PDM-BR-1")
    expect(page.locator("#pdf-enregistre")).to_be_visible()
    assert violations(page) == []
