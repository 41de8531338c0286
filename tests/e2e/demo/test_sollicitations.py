"""README, Sollicitations and Agent du support: the supplier asked the commune about its suspended invoice and got
its answer (« Suivi des tickets » ; côté commune, « Sollicitations reçues ») ; logged out, « Compléter le formulaire
de demande », confirmed by the link of the demo mailbox ; the support agent's queue holds the visitor's request and a
resolved code request with its internal note. Demo objects: the demo's three requests; a new visitor request."""

import uuid

import pytest
from playwright.sync_api import expect

from tests.e2e.demo.conftest import menu, ouvrir_accueil, ouvrir_boite_mail, resoudre_captcha, se_connecter

pytestmark = pytest.mark.e2e


def test_le_fournisseur_a_interroge_la_commune_qui_lui_a_repondu(page, demo):
    objet = "Date de paiement de la facture DEMO-2026-003"
    se_connecter(page, demo, "Fournisseur")
    menu(page, "SUPPORT", "Suivi des tickets")
    expect(page.get_by_role("heading", name="Sollicitations émises", level=1)).to_be_visible()
    ticket = page.locator("main table").get_by_role("row").filter(has_text=objet)
    expect(ticket).to_contain_text("En attente du demandeur")
    ticket.get_by_role("link").first.click()
    expect(page.locator("main")).to_contain_text("il manque le bon de livraison signé")

    se_connecter(page, demo, "Entité publique")
    menu(page, "SUPPORT", "Sollicitations reçues")
    expect(page.get_by_role("heading", name="Sollicitations reçues", level=1)).to_be_visible()
    expect(page.locator("main table")).to_contain_text(objet)


def test_le_visiteur_envoie_une_demande_confirmee_par_le_lien_du_courriel(page, demo):
    adresse = f"visiteur.{uuid.uuid4().hex[:8]}@exemple.fr"
    ouvrir_accueil(page, demo)
    menu(page, "SUPPORT", "Compléter le formulaire de demande")
    expect(page.get_by_role("heading", name="Formulaire de demande au support", level=1)).to_be_visible()
    page.get_by_label("Nom et prénom").fill("Victor Visiteur")
    page.locator("#id_email").fill(adresse)
    page.get_by_label("Ressaisissez votre adresse électronique").fill(adresse)
    page.get_by_label("Catégorie et sous-catégorie").select_option(label="Connexion et code de sécurité")
    page.get_by_label("Objet").fill("Code de connexion non reçu")
    page.get_by_label("Message").fill("Je ne reçois pas le code de connexion.")
    resoudre_captcha(page, demo)
    page.get_by_role("button", name="Envoyer la demande").click()
    expect(page.get_by_role("heading", name="Consultez votre messagerie")).to_be_visible()

    demo.attendre_courriel(adresse)
    ouvrir_boite_mail(page)
    courriel = page.locator("section.courriel").filter(has_text=adresse).first
    expect(courriel).to_contain_text("Confirmez votre demande")
    courriel.get_by_role("link").first.click()
    expect(page.get_by_role("heading", name="Confirmer votre demande", level=1)).to_be_visible()
    page.get_by_role("button", name="Confirmer et transmettre la demande").click()
    expect(page.get_by_text("Votre adresse est confirmée")).to_be_visible()
    expect(page.locator("#statut-sollicitation")).to_have_text("Nouvelle")


def test_la_file_de_l_agent_du_support(page, demo):
    se_connecter(page, demo, "Agent du support")
    menu(page, "Espace support", "File des sollicitations")
    expect(page.get_by_role("heading", name="File des sollicitations", level=1)).to_be_visible()
    file = page.locator("main table")
    expect(file).to_contain_text("Création de compte impossible")
    # the resolved code request, with its internal note
    page.get_by_label("Statut").select_option(label="Résolue")
    page.get_by_role("button", name="Rechercher", exact=True).click()
    page.locator("main table").get_by_role("row").filter(has_text="Code de connexion non reçu").get_by_role(
        "link"
    ).first.click()
    expect(page.locator("#statut-sollicitation")).to_have_text("Résolue")
    expect(page.locator("main")).to_contain_text("Adresse vérifiée : pas de rebond.")
