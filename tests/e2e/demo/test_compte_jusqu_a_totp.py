"""Sign-up to TOTP on the demo: « Créer un compte », the activation link from the demo mailbox, the first login with
the mailed code, an authentication application declared from the secret of its otpauth URI, then a login with the
application's code. Demo object: a new account of its own."""

import re
import time
import uuid
from urllib.parse import parse_qs, unquote, urlsplit

import pyotp
import pytest
from playwright.sync_api import expect

from tests.e2e.demo.conftest import ouvrir_accueil, ouvrir_boite_mail, resoudre_captcha, se_connecter

pytestmark = pytest.mark.e2e

MOT_DE_PASSE = "Ma phrase de passe du portail de démo"


def test_inscription_activation_code_par_courriel_puis_application_totp(page, demo):
    adresse = f"claire.{uuid.uuid4().hex[:8]}@exemple.fr"
    ouvrir_accueil(page, demo)
    page.get_by_role("link", name="Créer un compte").first.click()
    page.get_by_label("Adresse électronique de connexion", exact=False).first.fill(adresse)
    page.get_by_label("Ressaisissez votre adresse électronique de connexion").fill(adresse)
    page.get_by_label("Prénom", exact=True).fill("Claire")
    page.get_by_label("Nom", exact=True).fill("Dupont")
    page.get_by_label("Téléphone").fill("01 23 45 67 89")
    page.locator("label", has_text="J'accepte les conditions").click()
    resoudre_captcha(page, demo)
    page.get_by_role("button", name="Créer mon compte").click()
    expect(page.get_by_role("heading", name="Consultez votre messagerie")).to_be_visible()

    demo.attendre_courriel(adresse, objet="Activation")
    ouvrir_boite_mail(page)
    courriel = page.locator("section.courriel").filter(has_text=adresse).first
    expect(courriel).to_contain_text("Chorus Pro – Activation de votre compte")
    courriel.locator("a[href*='/compte/activer/']").click()
    expect(page.get_by_role("heading", name="Activer votre compte")).to_be_visible()
    page.get_by_label("Mot de passe", exact=True).fill(MOT_DE_PASSE)
    page.get_by_label("Confirmez le mot de passe").fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Activer mon compte").click()
    expect(page.get_by_text("Votre compte est activé.")).to_be_visible()

    compte = {"login": adresse, "mot_de_passe": MOT_DE_PASSE}
    se_connecter(page, demo, compte)
    expect(page.locator("#utilisateur-connecte")).to_have_text("Claire Dupont")

    page.get_by_role("link", name="Mes facteurs d'authentification").first.click()
    page.get_by_role("link", name="Ajouter une application").click()
    expect(page.get_by_alt_text("QR code à scanner avec votre application d'authentification")).to_be_visible()
    uri = page.locator("a[href^='otpauth://'], [data-otpauth]").first
    if uri.count():
        lien = uri.get_attribute("href") or uri.get_attribute("data-otpauth")
        secret = parse_qs(urlsplit(unquote(lien)).query)["secret"][0]
    else:
        secret = re.sub(r"\s", "", page.locator("#secret-totp").inner_text())
    application = pyotp.TOTP(secret)
    page.get_by_label("Code affiché par l'application").fill(application.now())
    page.get_by_label("Nom de l'appareil").fill("Téléphone de Claire")
    page.get_by_role("button", name="Ajouter l'application").click()
    expect(page.get_by_text("Votre application d'authentification est déclarée")).to_be_visible()

    # the code used to declare it is spent: the next login takes the next one
    utilise = application.now()
    while application.now() == utilise:
        time.sleep(1)
    se_connecter(page, demo, compte, code=application.now)
    expect(page.locator("#utilisateur-connecte")).to_have_text("Claire Dupont")
    expect(page.locator("#derniere-connexion")).to_contain_text("Dernière connexion le")
