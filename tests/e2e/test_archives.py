"""A recipient in Chromium, then its supplier: an invoice paid three years ago, archived by the nightly task, is gone
from « Rechercher » and found through the « Archives » tab, read-only, its PDF downloadable; axe finds nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from facturation.services.archivage import archiver_factures_closes
from tests.e2e.test_accessibilite import violations
from tests.e2e.test_structures import se_connecter
from tests.facturation.recues.conftest import Monde, avec_fichiers

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_retrouver_une_facture_archivee(live_server, page, client):
    monde = Monde()
    il_y_a_trois_ans = timezone.now() - timedelta(days=3 * 365)
    avec_fichiers(monde.facture(numero="FAC-2023-001", statut="MISE_EN_PAIEMENT", deposee_le=il_y_a_trois_ans))
    monde.facture(numero="FAC-2026-001")
    assert archiver_factures_closes() == 1
    se_connecter(page, client, live_server, monde.agent)

    page.goto(live_server.url + "/factures/recues/rechercher/")
    expect(page.get_by_role("link", name="FAC-2026-001")).to_be_visible()
    expect(page.get_by_role("link", name="FAC-2023-001")).to_have_count(0)

    page.get_by_role("link", name="Archives", exact=True).click()
    expect(page.get_by_role("heading", name="Archives des factures reçues", level=1)).to_be_visible()
    assert violations(page) == []
    page.get_by_label("Numéro de facture").fill("fac-2023")
    page.get_by_label("Fournisseur (raison sociale ou identifiant)").fill("Dubois")
    page.get_by_role("button", name="Rechercher").click()
    archives = page.locator("#archives")
    expect(archives.locator("caption")).to_have_text("1 facture archivée")
    expect(archives).to_contain_text("Menuiserie Dubois")

    archives.get_by_role("link", name="FAC-2023-001").click()
    expect(page.get_by_role("heading", name="Facture n° FAC-2023-001", level=1)).to_be_visible()
    expect(page.locator("#statut-facture")).to_have_text("Mise en paiement")
    expect(page.get_by_role("button", name="Enregistrer le traitement")).to_have_count(0)
    assert violations(page) == []
    with page.expect_download() as telechargement:
        page.get_by_role("link", name="Télécharger la facture (PDF)").click()
    assert telechargement.value.suggested_filename == "FAC-2023-001.pdf"

    # the supplier finds it in the Archives of « Factures émises »
    page.context.clear_cookies()
    se_connecter(page, client, live_server, monde.agent_fournisseur)
    page.goto(live_server.url + "/factures/emises/archives/")
    expect(page.locator("#archives")).to_contain_text("Commune de Valbourg")
    expect(page.get_by_role("link", name="FAC-2023-001")).to_be_visible()
