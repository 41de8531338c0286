"""A user without structure, in Chromium: creates a SIRET structure (a wrong SIRET first), lands on its page as
gestionnaire principal, adds a service and sees it pending."""

import pytest
from playwright.sync_api import expect

from organisation.matelas import siret_fictif
from organisation.models import Structure
from tests.conftest import connecter

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def se_connecter(page, client, live_server, utilisateur):
    connecter(client, utilisateur)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_creer_une_structure_siret_puis_un_service(live_server, page, client, utilisateur):
    se_connecter(page, client, live_server, utilisateur)
    page.goto(live_server.url + "/organisation/structures/")
    expect(page.get_by_text("Votre compte n'est rattaché à aucune structure.")).to_be_visible()
    page.get_by_role("link", name="Créer une nouvelle structure").click()
    expect(page.get_by_role("heading", name="Créer une nouvelle structure", level=1)).to_be_visible()

    # the script shows only the fields of the chosen type
    page.get_by_role("combobox", name="Type d'identifiant").select_option(label="Particulier")
    expect(page.locator("#id_nom")).to_be_visible()
    expect(page.get_by_label("Raison sociale")).to_be_hidden()
    page.get_by_role("combobox", name="Type d'identifiant").select_option(label="SIRET")
    expect(page.locator("#id_nom")).to_be_hidden()
    expect(page.locator("#id_identifiant_helptext")).to_contain_text("Veuillez renseigner le siret de la structure")

    page.get_by_label("Identifiant de la structure").fill("123 456 789")
    page.get_by_label("Raison sociale").fill("Menuiserie Dubois")
    page.get_by_label("Adresse", exact=True).fill("12 rue des Lilas")
    page.get_by_label("Code postal").fill("75011")
    page.get_by_label("Ville").fill("Paris")
    page.get_by_label("Structure privée", exact=True).check()
    page.get_by_role("button", name="Créer la structure").click()

    resume = page.locator("#resume-erreurs")
    expect(resume).to_contain_text("Le formulaire contient 1 erreur")
    expect(resume).to_contain_text("Le SIRET doit comporter 14 chiffres (9 caractères saisis).")
    expect(resume).to_be_focused()
    assert not Structure.objects.exists()

    siret = siret_fictif(42)
    page.get_by_label("Identifiant de la structure").fill(siret)
    page.get_by_role("button", name="Créer la structure").click()

    expect(page.get_by_role("heading", name="Menuiserie Dubois", level=1)).to_be_visible()
    expect(page.get_by_text("La structure Menuiserie Dubois est créée.")).to_be_visible()
    expect(page.locator("#mon-role")).to_have_text("Gestionnaire principal")
    expect(page.locator("#identifiant-structure")).to_have_text(siret)

    page.get_by_role("link", name="Ajouter un service").click()
    page.get_by_label("Code du service").fill("achats")
    page.get_by_label("Libellé du service").fill("Service des achats")
    page.get_by_role("button", name="Ajouter le service").click()

    expect(page.get_by_role("heading", name="Menuiserie Dubois", level=1)).to_be_visible()
    attente = page.locator("#modifications-en-attente")
    expect(attente).to_contain_text("Modification en attente : Création du service ACHATS, effective le")
    expect(page.get_by_text("La structure n'a aucun service.")).to_be_visible()
