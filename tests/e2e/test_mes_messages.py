"""A supplier in Chromium: the header shows its unread messages, « Mes messages » lists them, a click on the
rejection message leads to the invoice and the message is read; axe finds nothing on the pages of the flow."""

import re

import pytest
from playwright.sync_api import expect

from communication.models import Notification
from facturation.services.traitement import facture_traiter
from tests.e2e.test_accessibilite import violations
from tests.e2e.test_structures import se_connecter
from tests.facturation.emises.conftest import Monde

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def ouvrir_menu_communication(page):
    page.get_by_role("button", name=re.compile(r"^COMMUNICATION")).click()


def test_le_fournisseur_ouvre_le_message_de_rejet(live_server, page, client):
    monde = Monde()
    rejetee = monde.facture(numero="F-2026-201")
    facture_traiter(facture=rejetee, par=monde.agent, statut_cible="REJETEE", motif="Facture en double")
    suspendue = monde.facture(numero="F-2026-202")
    facture_traiter(
        facture=suspendue, par=monde.agent, statut_cible="SUSPENDUE", motif="Pièce justificative manquante"
    )
    se_connecter(page, client, live_server, monde.gp)

    page.goto(live_server.url + "/")
    # the rejection pop-up of the login comes first: closed, the rejection stays to acknowledge
    modale = page.locator("#modale-rejets")
    expect(modale).to_be_visible()
    modale.get_by_role("button", name="Fermer", exact=True).click()
    expect(modale).to_be_hidden()

    ouvrir_menu_communication(page)
    expect(page.locator("#compteur-messages")).to_have_text("2 non lus")
    expect(page.get_by_role("button", name=re.compile(r"^COMMUNICATION"))).to_contain_text("2")
    assert violations(page) == []

    page.locator("#lien-mes-messages").click()
    expect(page.get_by_role("heading", name="Mes messages", level=1)).to_be_visible()
    expect(page.locator("#messages-non-lus")).to_have_text("Vous avez 2 messages non lus.")
    ligne = page.locator("#messages tbody tr", has_text="Facture F-2026-201 rejetée")
    expect(ligne).to_contain_text("Non lu")
    expect(ligne).to_contain_text("Motif : « Facture en double ».")
    assert violations(page) == []

    page.get_by_role("combobox", name=re.compile(r"^État")).select_option(label="Non lus")
    page.get_by_role("combobox", name=re.compile(r"^Catégorie")).select_option(label="Factures")
    page.get_by_role("button", name="Afficher").click()
    expect(page.locator("#nombre-resultats")).to_have_text("2 messages.")
    assert violations(page) == []

    page.get_by_role("link", name="Facture F-2026-201 rejetée").click()
    expect(page.get_by_role("heading", name="Facture F-2026-201", level=1)).to_be_visible()
    assert page.url == f"{live_server.url}/factures/emises/{rejetee.pk}/"
    assert Notification.objects.get(destinataire=monde.gp, titre="Facture F-2026-201 rejetée").lue_le is not None
    ouvrir_menu_communication(page)
    expect(page.locator("#compteur-messages")).to_have_text("1 non lu")

    page.locator("#lien-mes-messages").click()
    expect(page.locator("#messages-non-lus")).to_have_text("Vous avez 1 message non lu.")
    lue = page.locator("#messages tbody tr", has_text="Facture F-2026-201 rejetée")
    expect(lue).not_to_contain_text("Non lu")
    expect(lue.locator("strong")).to_have_count(0)
    expect(page.locator("#messages tbody tr", has_text="Facture F-2026-202 suspendue")).to_contain_text("Non lu")

    page.get_by_role("button", name="Tout marquer comme lu").click()
    expect(page.get_by_text("1 message marqué comme lu.")).to_be_visible()
    expect(page.locator("#messages-non-lus")).to_have_text("Vous n'avez aucun message non lu.")
    ouvrir_menu_communication(page)
    expect(page.locator("#compteur-messages")).to_have_text("")
    assert violations(page) == []
