"""The API's documentation page in Chromium: reachable from the « Raccordement » menu, every service listed with its
fields and errors, the summary's links lead to the service; axe finds nothing."""

import pytest
from playwright.sync_api import expect

from tests.e2e.test_accessibilite import violations
from tests.e2e.test_structures import se_connecter
from tests.factories import UtilisateurFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_la_documentation_de_l_api(live_server, page, client):
    se_connecter(page, client, live_server, UtilisateurFactory())
    page.goto(live_server.url + "/")
    page.get_by_role("button", name="Raccordement").click()
    page.get_by_role("link", name="Documentation de l'API").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("API Chorus Pro (portail open source)")
    assert violations(page) == []
    page.get_by_role("link", name="POST /cpro/factures/v1/deposer/flux").click()
    service = page.locator("#cpro-factures-v1-deposer-flux")
    expect(service).to_contain_text("fichierFlux")
    expect(service).to_contain_text("Jeton (Authorization) ou compte technique (cpro-account) refusé")
    expect(page.locator("#lien-openapi")).to_have_attribute("href", "/cpro/openapi.json")
