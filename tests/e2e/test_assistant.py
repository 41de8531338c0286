"""The virtual assistant in Chromium: opened from the corner of the login page and of a signed-in page, it answers
with the right article, finds the user's own invoice by number (never another structure's), offers « Saisir une
sollicitation » when it cannot help, is driven by the keyboard, and works without JavaScript; axe finds nothing on
the open panel."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assistant.services import articles_charger
from facturation.models import Facture, FactureHistorique
from tests.assistant.conftest import Factures
from tests.e2e.test_accessibilite import violations
from tests.e2e.test_structures import se_connecter

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _base_connaissances(transactional_db):
    # a transactional test starts from the tables another one emptied: the articles are loaded again
    articles_charger()


def _ouvrir(page):
    page.get_by_role("button", name="Assistant virtuel").click()
    panneau = page.get_by_role("dialog", name="Assistant virtuel")
    expect(panneau).to_be_visible()
    expect(panneau.get_by_label("Question posée à l'assistant")).to_be_focused()
    return panneau


def _demander(panneau, question):
    panneau.get_by_label("Question posée à l'assistant").fill(question)
    panneau.get_by_role("button", name="Demander").click()


def test_sur_la_page_de_connexion(live_server, page):
    page.goto(live_server.url + "/connexion/")
    expect(page.get_by_role("link", name="Assistant virtuel")).to_be_hidden()
    bouton = page.get_by_role("button", name="Assistant virtuel")
    expect(bouton).to_have_attribute("aria-expanded", "false")

    panneau = _ouvrir(page)
    expect(bouton).to_have_attribute("aria-expanded", "true")
    assert violations(page) == []

    _demander(panneau, "je ne reçois pas le code de sécurité")
    reponses = panneau.locator("#assistant-articles")
    expect(reponses.get_by_role("link").first).to_have_text("Je ne reçois pas le code de sécurité")
    assert violations(page) == []

    # Escape closes and gives the focus back; the answer is still there when it opens again
    page.keyboard.press("Escape")
    expect(panneau).to_be_hidden()
    expect(bouton).to_be_focused()
    expect(bouton).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("Enter")
    expect(panneau).to_be_visible()
    expect(panneau.get_by_label("Question posée à l'assistant")).to_be_focused()

    # a question it cannot answer: the public request form, with the question
    _demander(panneau, "prévisions météo pour demain")
    expect(panneau.locator("#assistant-aucune-reponse")).to_be_visible()
    lien = panneau.get_by_role("link", name="Saisir une sollicitation")
    expect(lien).to_have_attribute(
        "href",
        "/demande/?objet=pr%C3%A9visions+m%C3%A9t%C3%A9o+pour+demain&message=pr%C3%A9visions+m%C3%A9t%C3%A9o+pour+demain",
    )
    assert violations(page) == []

    # too long for the field's limit: the server's message, the field marked invalid
    panneau.get_by_label("Question posée à l'assistant").evaluate("champ => champ.removeAttribute('maxlength')")
    _demander(panneau, "a" * 301)
    expect(panneau.locator("#assistant-reponse")).to_contain_text("ne doit pas dépasser 300 caractères")
    expect(panneau.get_by_label("Question posée à l'assistant")).to_have_attribute("aria-invalid", "true")
    assert violations(page) == []

    _demander(panneau, "comment créer mon compte")
    panneau.get_by_role("link", name="Créer un compte utilisateur").click()
    expect(page.get_by_role("heading", name="Créer un compte utilisateur", level=1)).to_be_visible()
    expect(page.locator("#article-texte")).to_contain_text("Vous disposez de 30 jours")
    assert violations(page) == []


def test_connecte_l_assistant_retrouve_ma_facture(live_server, page, client):
    monde = Factures()
    facture = monde.facture("FAC-2026-017")
    FactureHistorique.objects.create(
        facture=facture,
        action="traiter",
        de_statut="MISE_A_DISPOSITION",
        vers_statut="SUSPENDUE",
        motif="Pièce justificative manquante",
        commentaire="Il manque le bon de livraison.",
        par=monde.agent,
    )
    Facture.objects.filter(pk=facture.pk).update(statut="SUSPENDUE", statut_depuis=timezone.now())
    monde.facture("AUTRE-042", fournisseur=monde.autre_fournisseur)
    se_connecter(page, client, live_server, monde.fournisseur_user)

    page.goto(live_server.url + "/")
    panneau = _ouvrir(page)
    _demander(panneau, "où en est ma facture FAC-2026-017 ?")
    factures = panneau.locator("#assistant-factures")
    expect(factures).to_contain_text("Statut : Suspendue depuis le")
    expect(factures).to_contain_text("Pièce justificative manquante – Il manque le bon de livraison.")
    assert violations(page) == []

    # another structure's invoice: the same answer as a number nobody uses
    _demander(panneau, "et la facture AUTRE-042 ?")
    expect(panneau.locator("#assistant-facture-introuvable")).to_have_text(
        "Aucune de vos factures ne porte le numéro « AUTRE-042 ». Vérifiez le numéro, ou cherchez-la dans les "
        "espaces Factures émises et Factures reçues."
    )
    expect(panneau).not_to_contain_text("Plâtrerie")
    lien = panneau.get_by_role("link", name="Saisir une sollicitation")
    expect(lien).to_have_attribute(
        "href", "/sollicitations/saisir/?objet=et+la+facture+AUTRE-042+%3F&message=et+la+facture+AUTRE-042+%3F"
    )

    # « Fermer » closes it too and gives the focus back to the corner button
    panneau.get_by_role("button", name="Fermer").click()
    expect(panneau).to_be_hidden()
    expect(page.get_by_role("button", name="Assistant virtuel")).to_be_focused()
    panneau = _ouvrir(page)

    _demander(panneau, "facture FAC-2026-017")
    panneau.get_by_role("link", name="Facture n° FAC-2026-017").click()
    expect(page.get_by_role("heading", name="Facture FAC-2026-017", level=1)).to_be_visible()


def test_sans_javascript_la_page_de_l_assistant_repond(live_server, browser):
    contexte = browser.new_context(java_script_enabled=False)
    page = contexte.new_page()
    page.goto(live_server.url + "/connexion/")
    page.get_by_role("link", name="Assistant virtuel").click()
    expect(page.get_by_role("heading", name="Assistant virtuel", level=1)).to_be_visible()
    page.get_by_label("Votre question").fill("ma facture est suspendue il manque une pièce jointe")
    page.get_by_role("button", name="Demander").click()
    expect(page.locator("#assistant-articles").get_by_role("link").first).to_have_text(
        "Ma facture est « Suspendue » : compléter les pièces jointes"
    )
    page.get_by_role("link", name="Toutes les questions fréquentes").click()
    expect(page.get_by_role("heading", name="Questions fréquentes", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Factures de travaux", level=2)).to_be_visible()
    contexte.close()


def test_la_page_de_l_assistant_et_la_faq_sont_accessibles(live_server, page):
    page.goto(live_server.url + "/assistant/?q=" + "x" * 301)
    expect(page.get_by_label("Votre question")).to_have_attribute("aria-invalid", "true")
    assert violations(page) == []
    page.goto(live_server.url + "/assistant/?q=déposer+une+facture+de+travaux")
    expect(page.locator("#assistant-articles")).to_contain_text("Déposer une pièce de facture de travaux")
    assert violations(page) == []
    page.goto(live_server.url + "/assistant/articles/")
    assert violations(page) == []
