"""Tickets in Chromium.

1. A visitor without an account fills « Compléter le formulaire de demande » (CAPTCHA, an attachment), confirms
   the address from the demo mailbox, a support agent answers from the back office (a canned answer, an internal
   note), and the visitor replies through the link of the answer's mail, never seeing the note.
2. A supplier asks the public entity about an invoice from « Saisir une sollicitation »; the entity's user answers
   in « Sollicitations reçues » and resolves it; the supplier reads the answer in « Sollicitations émises ».
axe finds nothing on every page state."""

import pytest
from playwright.sync_api import expect

from support.models import Sollicitation
from tests.e2e.test_accessibilite import violations
from tests.e2e.test_structures import se_connecter
from tests.support.conftest import Monde

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def boite_de_demo(settings, live_server):
    settings.EMAIL_BACKEND = "chorus.mail.BoiteFichiersBackend"
    settings.URL_PORTAIL = live_server.url


def ouvrir_boite(page, live_server):
    page.goto(live_server.url + "/demo/boite-mail/")
    expect(page.get_by_role("heading", name="Boîte mail de démonstration", level=1)).to_be_visible()
    return page.locator("section.courriel").first


def menu_support(page, lien):
    page.get_by_role("button", name="SUPPORT").click()
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name=lien).click()


def test_un_visiteur_sans_compte_echange_avec_le_support(live_server, page, client, boite_de_demo, tmp_path):
    monde = Monde()
    page.goto(live_server.url)
    menu_support(page, "Compléter le formulaire de demande")
    expect(page.get_by_role("heading", name="Formulaire de demande au support", level=1)).to_be_visible()
    assert violations(page) == []

    page.get_by_label("Nom et prénom").fill("Claire Dupont")
    page.locator("#id_email").fill("claire.dupont@exemple.fr")
    page.get_by_label("Ressaisissez votre adresse électronique").fill("claire.dupont@exemple.fr")
    page.get_by_label("Catégorie et sous-catégorie").select_option(label="Connexion et code de sécurité")
    page.get_by_label("Message").fill("Je ne reçois pas le code de connexion.")
    page.get_by_label("Reproduire la suite de caractères").fill("PASSED")
    page.get_by_role("button", name="Envoyer la demande").click()
    resume = page.locator("#resume-erreurs")
    expect(resume).to_contain_text("Objet : Saisissez l'objet de la sollicitation.")
    expect(resume).to_be_focused()
    assert violations(page) == []

    page.get_by_label("Objet").fill("Code de connexion non reçu")
    capture = tmp_path / "capture.png"
    capture.write_bytes(b"\x89PNG capture")
    page.get_by_label("Pièces jointes").set_input_files(str(capture))
    page.get_by_label("Reproduire la suite de caractères").fill("PASSED")
    page.get_by_role("button", name="Envoyer la demande").click()
    expect(page.get_by_role("heading", name="Consultez votre messagerie")).to_be_visible()
    expect(page.get_by_text("claire.dupont@exemple.fr")).to_be_visible()
    assert Sollicitation.objects.get().statut == "A_CONFIRMER"

    courriel = ouvrir_boite(page, live_server)
    expect(courriel).to_contain_text("Confirmez votre demande")
    courriel.locator("a[href*='/demande/confirmer/']").click()
    expect(page.get_by_role("heading", name="Confirmer votre demande", level=1)).to_be_visible()
    assert violations(page) == []
    page.get_by_role("button", name="Confirmer et transmettre la demande").click()
    expect(page.get_by_text("Votre adresse est confirmée")).to_be_visible()
    expect(page.locator("#statut-sollicitation")).to_have_text("Nouvelle")
    sollicitation = Sollicitation.objects.get()

    # the agent, in the back office
    se_connecter(page, client, live_server, monde.agent)
    page.goto(live_server.url)
    page.get_by_role("button", name="Espace support").click()
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="File des sollicitations").click()
    expect(page.get_by_role("heading", name="File des sollicitations", level=1)).to_be_visible()
    assert violations(page) == []
    page.get_by_role("link", name=sollicitation.numero).click()
    expect(page.get_by_role("heading", name=f"Sollicitation n° {sollicitation.numero}", level=1)).to_be_visible()
    expect(page.locator("#fil")).to_be_visible()
    expect(page.get_by_role("link", name="capture.png")).to_be_visible()
    assert violations(page) == []

    page.get_by_label("Agent en charge").select_option(label="Sophie Support")
    page.get_by_role("button", name="Attribuer").click()
    expect(page.locator("#agent-en-charge")).to_have_text("Sophie Support")
    expect(page.locator("#statut-sollicitation")).to_have_text("En cours")

    page.get_by_label("Note interne").fill("Adresse probablement filtrée par son serveur.")
    page.get_by_role("button", name="Enregistrer la note").click()
    expect(page.get_by_text("La note interne est enregistrée.")).to_be_visible()

    page.get_by_label("Réponse type").select_option(label="Demande d'informations complémentaires")
    page.get_by_role("button", name="Insérer la réponse type").click()
    expect(page.get_by_role("textbox", name="Votre réponse")).to_have_value(
        "Bonjour,\n\nPour traiter votre demande, pourriez-vous nous préciser : \n\n- \n\nCordialement,\n"
        "Le support Chorus Pro"
    )
    page.get_by_role("textbox", name="Votre réponse").fill("Bonjour, quelle est l'adresse de votre compte ?")
    page.locator("#form-reponse").get_by_text("En attente du demandeur", exact=False).click()
    page.get_by_role("button", name="Envoyer la réponse").click()
    expect(page.get_by_text("Votre réponse est envoyée au demandeur.")).to_be_visible()
    expect(page.locator("#statut-sollicitation")).to_have_text("En attente du demandeur")
    assert violations(page) == []

    # the visitor again, without an account: the link of the answer's mail
    page.context.clear_cookies()
    courriel = ouvrir_boite(page, live_server)
    expect(courriel).to_contain_text("Réponse à votre sollicitation")
    expect(courriel).not_to_contain_text("filtrée")
    courriel.locator("a[href*='/demande/suivi/']").click()
    expect(page.get_by_role("heading", name=f"Sollicitation n° {sollicitation.numero}", level=1)).to_be_visible()
    expect(page.get_by_text("quelle est l'adresse de votre compte ?")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("filtrée")
    assert violations(page) == []
    page.get_by_role("textbox", name="Votre réponse").fill("C'est claire.dupont@exemple.fr.")
    page.get_by_role("button", name="Envoyer la réponse").click()
    expect(page.get_by_text("Votre réponse est envoyée.")).to_be_visible()
    expect(page.locator("#statut-sollicitation")).to_have_text("En cours")
    sollicitation.refresh_from_db()
    assert sollicitation.statut == "EN_COURS"
    assert sollicitation.messages.filter(du_demandeur=True).count() == 2


def test_un_fournisseur_questionne_l_entite_publique_sur_une_facture(live_server, page, client):
    monde = Monde()
    monde.facture(numero="FAC-2026-042", service=monde.achats)
    se_connecter(page, client, live_server, monde.fournisseur_user)
    page.goto(live_server.url)
    menu_support(page, "Saisir une sollicitation")
    expect(page.get_by_role("heading", name="Saisir une sollicitation", level=1)).to_be_visible()
    assert violations(page) == []
    page.get_by_label("Catégorie et sous-catégorie").select_option(label="Suivi du traitement ou du paiement")
    page.get_by_label("Objet").fill("Date de paiement de la facture FAC-2026-042")
    page.get_by_label("Message").fill("Bonjour, quand la facture sera-t-elle payée ?")
    page.get_by_label("Numéro de la facture concernée").fill("FAC-2026-041")
    page.get_by_role("button", name="Envoyer la sollicitation").click()
    expect(page.locator("#resume-erreurs")).to_contain_text("Aucune facture n° FAC-2026-041 émise par vos structures")
    assert violations(page) == []
    page.get_by_label("Numéro de la facture concernée").fill("FAC-2026-042")
    page.get_by_role("button", name="Envoyer la sollicitation").click()
    expect(page.get_by_text("est transmise à Commune de Valbourg")).to_be_visible()
    expect(page.locator("#facture-concernee")).to_contain_text("FAC-2026-042")
    assert violations(page) == []
    sollicitation = Sollicitation.objects.get()
    assert sollicitation.service_destinataire == monde.achats

    # the entity's user
    se_connecter(page, client, live_server, monde.traitant)
    page.goto(live_server.url)
    menu_support(page, "Sollicitations reçues")
    expect(page.get_by_role("heading", name="Sollicitations reçues", level=1)).to_be_visible()
    expect(page.locator("#resultats")).to_contain_text("Fanny Fournier")
    assert violations(page) == []
    page.get_by_role("link", name=sollicitation.numero).click()
    page.get_by_role("textbox", name="Votre réponse").fill("Elle est mise en paiement ce jour.")
    page.locator("#form-reponse").get_by_text("Résolue", exact=False).click()
    page.get_by_role("button", name="Envoyer la réponse").click()
    expect(page.locator("#statut-sollicitation")).to_have_text("Résolue")
    assert violations(page) == []

    # the supplier reads it in « Sollicitations émises »
    se_connecter(page, client, live_server, monde.fournisseur_user)
    page.goto(live_server.url)
    menu_support(page, "Suivi des tickets")
    expect(page.get_by_role("heading", name="Sollicitations émises", level=1)).to_be_visible()
    expect(page.locator("#resultats")).to_contain_text("Résolue")
    assert violations(page) == []
    page.get_by_role("link", name=sollicitation.numero).click()
    expect(page.get_by_text("Elle est mise en paiement ce jour.")).to_be_visible()
    expect(page.get_by_role("heading", name="Rouvrir la sollicitation")).to_be_visible()
    assert violations(page) == []


def test_les_pages_du_back_office_sont_accessibles(live_server, page, client):
    monde = Monde()
    se_connecter(page, client, live_server, monde.agent)
    for url, titre in (
        ("/support/sollicitations/categories/", "Catégories des sollicitations"),
        ("/support/sollicitations/reponses-types/", "Réponses types"),
        ("/support/sollicitations/reponses-types/nouvelle/", "Nouvelle réponse type"),
    ):
        page.goto(live_server.url + url)
        expect(page.get_by_role("heading", name=titre, level=1)).to_be_visible()
        assert violations(page) == []
    page.goto(live_server.url + "/support/sollicitations/categories/")
    page.get_by_role("link", name="Question à une structure publique sur une facture").click()
    expect(page.locator("#sous-categories")).to_contain_text("Suivi du traitement ou du paiement")
    assert violations(page) == []
