"""The MOE on an A4 in Chromium: « Erreur de montant » opens the correction window and refuses nothing, « Mauvaise
MOA » refuses; the dossier page lists the pieces. Each state passes axe."""

import pytest
from playwright.sync_api import expect

from tests.e2e.test_accessibilite import violations
from tests.e2e.test_structures import se_connecter
from tests.travaux.conftest import Chantier
from tests.travaux.test_depot import initial

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_la_moe_refuse_un_a4(live_server, page, client):
    chantier = Chantier()
    a4 = initial(chantier)
    se_connecter(page, client, live_server, chantier.u_moe)
    page.goto(f"{live_server.url}/factures-travaux/dossiers/pieces/{a4.pk}/")
    expect(page.locator("#statut-piece")).to_have_text("Mise à disposition de la MOE")
    assert violations(page) == []

    page.get_by_label("Motif du refus").select_option("Erreur de montant")
    page.get_by_role("button", name="Refuser").click()
    modale = page.locator("#modale-correction")
    expect(modale).to_be_visible()
    expect(modale.get_by_role("heading", name="Corriger les montants")).to_be_visible()
    assert violations(page) == []
    modale.get_by_role("button", name="Fermer").click()
    expect(modale).to_be_hidden()
    expect(page.locator("#statut-piece")).to_have_text("Mise à disposition de la MOE")
    # the window can be opened again from the page
    page.get_by_role("button", name="Corriger les montants").click()
    expect(modale.get_by_role("link", name="Déposer la pièce suivante")).to_be_visible()
    modale.get_by_role("button", name="Fermer").click()
    expect(modale).to_be_hidden()

    page.get_by_label("Motif du refus").select_option("Mauvaise MOA")
    page.get_by_label("Commentaire").fill("La commune n'est pas le maître d'ouvrage")
    page.get_by_role("button", name="Refuser").click()
    expect(page.locator("#statut-piece")).to_have_text("Refusée par la MOE pour mauvaise maîtrise d'ouvrage")
    expect(page.locator("#actions-piece")).to_have_count(0)
    assert violations(page) == []

    page.locator("#lien-dossier").click()
    expect(page.get_by_role("heading", name="Consultation d'un dossier de facturation", level=1)).to_be_visible()
    expect(page.locator(".piece-dossier")).to_have_count(1)
    expect(page.locator(".piece-historique")).to_contain_text("La commune n'est pas le maître d'ouvrage")
    assert violations(page) == []
