"""A new user, in Chromium: sign up, activation mail read in the demo mailbox, password, login with the mailed
code, TOTP application declared from the secret shown, logout, login again with the application's code."""

import re
from datetime import timedelta

import pyotp
import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ADRESSE = "claire.dupont@exemple.fr"
MOT_DE_PASSE = "Ma phrase de passe du portail"


@pytest.fixture
def boite_de_demo(settings, live_server):
    settings.EMAIL_BACKEND = "chorus.mail.BoiteFichiersBackend"
    settings.URL_PORTAIL = live_server.url


def ouvrir_boite(page):
    page.get_by_role("button", name="SUPPORT").click()
    menu = page.get_by_role("navigation", name="Menu principal")
    menu.get_by_role("link", name="Boîte mail de démonstration").click()
    expect(page.get_by_role("heading", name="Boîte mail de démonstration", level=1)).to_be_visible()


def dernier_courriel(page):
    return page.locator("section.courriel").first


def se_connecter(page, live_server):
    page.get_by_role("link", name="Se connecter").first.click()
    page.get_by_label("Adresse électronique de connexion").fill(ADRESSE)
    page.get_by_label("Mot de passe").fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Code de sécurité")).to_be_visible()


def test_creer_un_compte_et_se_connecter_avec_deux_facteurs(live_server, page, boite_de_demo):
    page.goto(live_server.url)
    expect(page.get_by_role("heading", name="Bienvenue sur le Portail Chorus Pro")).to_be_visible()
    page.get_by_role("link", name="Créer un compte").first.click()

    page.get_by_label("Adresse électronique de connexion", exact=False).first.fill(ADRESSE)
    page.get_by_label("Ressaisissez votre adresse électronique de connexion").fill("claire.dupont@exemple.fr")
    page.get_by_label("Prénom", exact=True).fill("Claire")
    page.get_by_label("Nom", exact=True).fill("Dupont")
    page.get_by_label("Téléphone").fill("01 23 45 67 89")
    # first try without accepting the conditions: the error summary names the field
    page.get_by_label("Reproduire la suite de caractères").fill("PASSED")
    page.get_by_role("button", name="Créer mon compte").click()
    resume = page.locator("#resume-erreurs")
    expect(resume).to_contain_text("Le formulaire contient 1 erreur")
    expect(resume).to_contain_text("J'accepte les conditions")
    expect(resume).to_be_focused()
    page.locator("label", has_text="J'accepte les conditions").click()
    page.get_by_label("Reproduire la suite de caractères").fill("PASSED")
    page.get_by_role("button", name="Créer mon compte").click()
    expect(page.get_by_role("heading", name="Consultez votre messagerie")).to_be_visible()

    ouvrir_boite(page)
    courriel = dernier_courriel(page)
    expect(courriel).to_contain_text("Chorus Pro – Activation de votre compte")
    expect(courriel).to_contain_text(ADRESSE)
    courriel.locator("a[href*='/compte/activer/']").click()

    expect(page.get_by_role("heading", name="Activer votre compte")).to_be_visible()
    expect(page.locator("#regles-mot-de-passe")).to_contain_text("au moins 12 caractères")
    page.get_by_label("Mot de passe", exact=True).fill(MOT_DE_PASSE)
    page.get_by_label("Confirmez le mot de passe").fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Activer mon compte").click()
    expect(page.get_by_text("Votre compte est activé.")).to_be_visible()

    se_connecter(page, live_server)
    expect(page.get_by_text(f"Un code à 6 chiffres vient d'être envoyé à {ADRESSE}")).to_be_visible()
    ouvrir_boite(page)
    courriel = dernier_courriel(page)
    expect(courriel).to_contain_text("votre code")
    code = re.search(r"\b(\d{6})\b", courriel.inner_text()).group(1)
    page.go_back()
    page.get_by_label("Code de sécurité").fill(code)
    page.get_by_role("button", name="Valider").click()

    panneau = page.locator("#premiere-connexion")
    expect(panneau).to_contain_text("Félicitations ! Votre compte utilisateur est créé.")
    expect(panneau.get_by_role("link", name="Demander un rattachement à une structure")).to_be_visible()
    panneau.get_by_role("button", name="Fermer").click()
    expect(panneau).to_be_hidden()
    expect(page.locator("#utilisateur-connecte")).to_have_text("Claire Dupont")
    expect(page.locator("#derniere-connexion")).to_have_text("Première connexion")

    page.get_by_role("link", name="Mes facteurs d'authentification").first.click()
    page.get_by_role("link", name="Ajouter une application").click()
    expect(page.get_by_alt_text("QR code à scanner avec votre application d'authentification")).to_be_visible()
    application = pyotp.TOTP(page.locator("#secret-totp").inner_text().strip())
    page.get_by_label("Code affiché par l'application").fill(application.now())
    page.get_by_label("Nom de l'appareil").fill("Téléphone de Claire")
    page.get_by_role("button", name="Ajouter l'application").click()
    expect(page.get_by_text("Votre application d'authentification est déclarée")).to_be_visible()
    expect(page.locator("#application-declaree")).to_contain_text("Téléphone de Claire")

    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_text("Vous êtes déconnecté.")).to_be_visible()

    # the code used to declare the application is spent: log in again with the next one
    with time_machine.travel(timezone.now() + timedelta(seconds=31)):
        se_connecter(page, live_server)
        expect(page.get_by_text("affiché par votre application d'authentification")).to_be_visible()
        page.get_by_label("Code de sécurité").fill(application.now())
        page.get_by_role("button", name="Valider").click()
        expect(page.locator("#utilisateur-connecte")).to_have_text("Claire Dupont")
        expect(page.locator("#derniere-connexion")).to_contain_text("Dernière connexion le")


def test_le_captcha_de_l_inscription_s_ecoute_au_clavier(live_server, page):
    page.goto(live_server.url + reverse("organisation:inscription"))
    audio = page.locator("audio[data-captcha-audio]")
    expect(audio).to_have_accessible_name("Écouter le code")
    son = audio.get_attribute("src")
    assert page.request.get(live_server.url + son).headers["content-type"] == "audio/wav"
    # the keyboard reaches the player, then the sound file, from the field before the CAPTCHA
    page.get_by_label("J'accepte les conditions").focus()
    atteints = []
    for _ in range(6):
        page.keyboard.press("Tab")
        atteints.append(
            page.evaluate("document.activeElement.dataset ? Object.keys(document.activeElement.dataset) : []")
        )
    assert ["captchaAudio"] in atteints
    assert ["captchaLienAudio"] in atteints
    # « Obtenir un autre code » swaps the image and the sound for a new key
    page.get_by_role("button", name="Obtenir un autre code").click()
    expect(audio).not_to_have_attribute("src", son)
    cle = page.locator("input[name=captcha_0]").input_value()
    expect(audio).to_have_attribute("src", f"/captcha/audio/{cle}.wav")
