"""In Chromium: a supplier creates its structure; a second user finds it by its SIRET and asks to be attached; the
gestionnaire principal, in another browser, approves under "Approbations"; the second user sees the structure in "Mon
compte"; the gestionnaire principal then hands the role over ("vers un seul gestionnaire") and the second user sees
it."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from organisation.matelas import siret_fictif
from organisation.models import Structure
from tests.conftest import connecter
from tests.factories import UtilisateurFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def ouvrir_session(context, live_server, utilisateur):
    client = connecter(Client(), utilisateur)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])


def test_rattachement_approbation_puis_transfert(live_server, page, browser):
    gp = UtilisateurFactory(prenom="Gaëlle", nom="Principale")
    second = UtilisateurFactory(prenom="Sam", nom="Second", email="sam.second@exemple.fr")
    siret = siret_fictif(4242)

    # the supplier creates its structure
    contexte_gp = browser.new_context()
    ouvrir_session(contexte_gp, live_server, gp)
    page_gp = contexte_gp.new_page()
    page_gp.goto(live_server.url + "/")
    page_gp.get_by_role("link", name="Créer une nouvelle structure").first.click()
    page_gp.get_by_role("combobox", name="Type d'identifiant").select_option("SIRET")
    page_gp.get_by_label("Identifiant de la structure").fill(siret)
    page_gp.get_by_label("Raison sociale").fill("Boulangerie du Port")
    page_gp.get_by_label("Adresse", exact=True).fill("1 quai des Pêcheurs")
    page_gp.get_by_label("Code postal").fill("29200")
    page_gp.get_by_label("Ville").fill("Brest")
    page_gp.get_by_role("button", name="Créer la structure").click()
    expect(page_gp.get_by_role("heading", name="Boulangerie du Port", level=1)).to_be_visible()
    structure = Structure.objects.get(identifiant=siret)
    assert structure.rattachements.get().utilisateur == gp

    # the second user asks to be attached
    ouvrir_session(page.context, live_server, second)
    page.goto(live_server.url + "/mon-compte/")
    page.get_by_role("link", name="Demander un rattachement à une structure").click()
    expect(page.get_by_role("heading", name="Demander un rattachement à une structure", level=1)).to_be_visible()
    page.get_by_role("combobox", name="Type d'identifiant").select_option("SIRET")
    page.get_by_label("Identifiant de la structure").fill(structure.identifiant)
    page.get_by_role("button", name="Rechercher").click()
    expect(page.get_by_role("heading", name="Boulangerie du Port")).to_be_visible()
    expect(page.get_by_text("Structure privée")).to_be_visible()
    page.get_by_label("Message au gestionnaire (facultatif)").fill("Je tiens la caisse le samedi.")
    page.get_by_role("button", name="Demander le rattachement").click()
    expect(page.get_by_text("attend l'approbation d'un gestionnaire de la structure")).to_be_visible()
    expect(page.locator("#mes-structures")).to_contain_text("Demande en attente d'approbation")

    # the gestionnaire principal approves, in their own browser
    page_gp.goto(live_server.url + "/mon-compte/")
    page_gp.get_by_role("link", name="Approbations").click()
    demandes = page_gp.locator("#demandes-rattachement")
    expect(demandes).to_contain_text("Sam Second")
    expect(demandes).to_contain_text("Je tiens la caisse le samedi.")
    page_gp.get_by_role("button", name="Accepter la demande de Sam Second").click()
    expect(page_gp.get_by_text("Sam Second est rattaché à Boulangerie du Port")).to_be_visible()
    expect(page_gp.get_by_text("Aucune demande de rattachement n'attend votre approbation.")).to_be_visible()

    # the second user now sees the structure
    page.reload()
    mes_structures = page.locator("#mes-structures")
    expect(mes_structures).to_contain_text("Boulangerie du Port")
    expect(mes_structures).to_contain_text("Rattaché")
    expect(mes_structures).not_to_contain_text("gestionnaire principal")

    # the gestionnaire principal hands the role over
    page_gp.get_by_role("link", name="Mon compte").first.click()
    page_gp.get_by_role("link", name="Transférer le gestionnaire principal").click()
    page_gp.locator("label", has_text="Transfert de toutes vos structures vers un seul gestionnaire").click()
    page_gp.get_by_role("button", name="Continuer").click()
    page_gp.get_by_label("Nouveau gestionnaire principal de toutes vos structures").select_option(
        label="Sam Second (sam.second@exemple.fr)"
    )
    page_gp.get_by_role("button", name="Continuer").click()
    expect(page_gp.locator("#recapitulatif-transfert")).to_contain_text("Sam Second (sam.second@exemple.fr)")
    page_gp.get_by_role("button", name="Confirmer le transfert").click()
    expect(page_gp.get_by_text("Le rôle de gestionnaire principal est transféré")).to_be_visible()
    contexte_gp.close()

    page.reload()
    expect(page.locator("#mes-structures")).to_contain_text(
        f"Boulangerie du Port (SIRET {structure.identifiant}) — gestionnaire principal"
    )
