"""A support agent, in Chromium, validates a public structure waiting for approval from the support page."""

import pytest
from playwright.sync_api import expect

from organisation.enums import StatutStructure
from organisation.matelas import siret_fictif
from organisation.models import Structure
from tests.conftest import connecter
from tests.factories import StructureFactory, UtilisateurFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def ouvrir_session(page, client, live_server, utilisateur):
    connecter(client, utilisateur)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_un_agent_valide_une_structure_publique_en_attente(live_server, page, client):
    agent = UtilisateurFactory(est_agent_support=True)
    gp = UtilisateurFactory(prenom="Gaëlle", nom="Principale")
    structure = StructureFactory(
        est_publique=True, gestionnaire=gp, raison_sociale="Mairie de Vannes", identifiant=siret_fictif(31)
    )
    StructureFactory(est_publique=True, raison_sociale="Mairie de Lorient", identifiant=siret_fictif(32))
    ouvrir_session(page, client, live_server, agent)

    page.goto(live_server.url + "/support/structures/")
    expect(page.get_by_role("heading", name="Structures publiques à valider", level=1)).to_be_visible()
    ligne = page.get_by_role("row").filter(has_text="Mairie de Vannes")
    expect(ligne).to_contain_text("Gaëlle Principale")
    ligne.get_by_role("button", name="Valider la structure Mairie de Vannes").click()

    expect(page.get_by_text("La structure Mairie de Vannes")).to_contain_text("est validée")
    expect(page.get_by_role("row").filter(has_text="Mairie de Vannes")).to_have_count(0)
    expect(page.get_by_role("row").filter(has_text="Mairie de Lorient")).to_have_count(1)
    structure.refresh_from_db()
    assert structure.statut == StatutStructure.ACTIVE
    assert Structure.objects.get(raison_sociale="Mairie de Lorient").statut == StatutStructure.EN_ATTENTE_VALIDATION


def test_un_agent_refuse_une_structure_avec_un_motif(live_server, page, client):
    agent = UtilisateurFactory(est_agent_support=True)
    structure = StructureFactory(est_publique=True, raison_sociale="Mairie de Vannes", identifiant=siret_fictif(33))
    ouvrir_session(page, client, live_server, agent)

    page.goto(live_server.url + "/support/structures/")
    page.get_by_role("link", name="Refuser la structure Mairie de Vannes").click()
    page.get_by_role("button", name="Refuser la création").click()
    expect(page.locator("#resume-erreurs")).to_contain_text("Saisissez le motif du refus")
    page.get_by_label("Motif du refus").fill("Structure privée : le SIRET est celui d'une entreprise.")
    page.get_by_role("button", name="Refuser la création").click()
    expect(page.get_by_text("Aucune structure publique n'attend de validation.")).to_be_visible()
    structure.refresh_from_db()
    assert structure.statut == StatutStructure.REFUSEE
