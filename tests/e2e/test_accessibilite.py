"""axe-core (the engine behind most RGAA tooling) finds no violation on the pages of the foundation."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.conftest import MOT_DE_PASSE, connecter

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = Axe()


def violations(page):
    resultat = AXE.run(page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21aa"]}})
    return [
        f"{v['id']}: {v['help']} → {[n['target'] for n in v['nodes']][:3]}" for v in resultat.response["violations"]
    ]


@pytest.mark.parametrize(
    "url",
    ["/", "/compte/creer/", "/connexion/", "/mot-de-passe/oublie/", "/notes-de-version/", "/accessibilite/"],
)
def test_pages_publiques(live_server, page, url):
    page.goto(live_server.url + url)
    assert violations(page) == []


def test_formulaire_en_erreur(live_server, page):
    page.goto(live_server.url + "/compte/creer/")
    page.get_by_role("button", name="Créer mon compte").click()
    page.wait_for_selector("#resume-erreurs")
    assert violations(page) == []


@pytest.mark.parametrize(
    "url", ["/", "/mon-compte/", "/mon-compte/facteurs/", "/mon-compte/facteurs/application/", "/mon-compte/adresse/"]
)
def test_pages_connectees(live_server, page, client, utilisateur, url):
    connecter(client, utilisateur)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto(live_server.url + url)
    assert violations(page) == []


def test_page_du_code(live_server, page, utilisateur):
    page.goto(live_server.url + "/connexion/")
    page.get_by_label("Adresse électronique de connexion").fill(utilisateur.email)
    page.get_by_label("Mot de passe").fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_selector("text=Code de sécurité")
    assert violations(page) == []
