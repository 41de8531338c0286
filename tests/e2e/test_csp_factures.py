"""The invoice search pages load without any CSP violation or console error: an inline style or script refused by
the Content-Security-Policy shows as a broken page only in the browser, never in the server's HTML tests."""

import pytest
from playwright.sync_api import expect

from tests.e2e.test_structures import se_connecter
from tests.factories import facture_deposee
from tests.facturation.recues.conftest import Monde as MondeRecues

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Chromium fires `securitypolicyviolation` on the document; the listener must exist before the page's first byte.
ECOUTER_CSP = """
window.__violationsCsp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violationsCsp.push(e.violatedDirective + " : " + (e.blockedURI || "inline") + " (" + e.sourceFile + ":"
    + e.lineNumber + ") " + (e.sample || ""));
});
"""


def surveiller(page):
    """Start listening to the page's console errors, uncaught exceptions and CSP violations; returns the list that
    `problemes(page, erreurs)` completes."""
    erreurs = []
    page.add_init_script(ECOUTER_CSP)
    page.on(
        "console", lambda message: erreurs.append(f"console : {message.text}") if message.type == "error" else None
    )
    page.on("pageerror", lambda exception: erreurs.append(f"exception : {exception}"))
    return erreurs


def problemes(page, erreurs):
    """Everything wrong seen so far on the current page (console, exceptions, CSP)."""
    csp = page.evaluate("window.__violationsCsp || []")
    return [*erreurs, *(f"CSP : {v}" for v in csp)]


def test_recherche_des_factures_recues_sans_erreur(live_server, page, client):
    monde = MondeRecues()
    for n in range(25):
        monde.facture(numero=f"FAC-CSP-{n:03d}", service=monde.achats)
    erreurs = surveiller(page)
    se_connecter(page, client, live_server, monde.agent)

    page.goto(live_server.url + "/factures/recues/rechercher/")
    expect(page.get_by_role("heading", name="Rechercher une facture reçue", level=1)).to_be_visible()
    expect(page.locator("#resultats")).to_contain_text("FAC-CSP-")
    assert problemes(page, erreurs) == []

    # an invalid criterion: the error summary and the field errors
    page.goto(live_server.url + "/factures/recues/rechercher/?montant_min=abc&page=2")
    expect(page.locator("#nombre-resultats")).to_be_visible()
    assert problemes(page, erreurs) == []

    page.goto(live_server.url + "/factures/recues/")
    expect(page.get_by_role("heading", name="Factures reçues", level=1)).to_be_visible()
    assert problemes(page, erreurs) == []


def test_factures_emises_sans_erreur(live_server, page, client):
    monde = MondeRecues()
    for n in range(25):
        facture_deposee(monde.fournisseur, monde.destinataire, numero=f"FAE-CSP-{n:03d}")
    erreurs = surveiller(page)
    se_connecter(page, client, live_server, monde.agent_fournisseur)

    for url in ("/factures/emises/", "/factures/emises/rechercher/", "/factures/emises/rechercher/?page=2"):
        page.goto(live_server.url + url)
        expect(page.locator("h1")).to_be_visible()
        assert problemes(page, erreurs) == [], url
    page.goto(live_server.url + "/factures/emises/rechercher/?montant_min=abc")
    expect(page.locator("h1")).to_be_visible()
    assert problemes(page, erreurs) == []


def test_le_guet_voit_un_style_en_ligne(live_server, page, client):
    """The watch is not blind: an inline style attribute set on the page is reported."""
    monde = MondeRecues()
    erreurs = surveiller(page)
    se_connecter(page, client, live_server, monde.agent)
    page.goto(live_server.url + "/factures/recues/rechercher/")
    page.evaluate("document.body.setAttribute('style', 'color: red')")
    expect(page.locator("h1")).to_be_visible()
    page.wait_for_function("window.__violationsCsp.length > 0")
    assert any(probleme.startswith("CSP : style-src-attr") for probleme in problemes(page, erreurs))
