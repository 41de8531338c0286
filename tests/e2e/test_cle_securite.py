import pytest
from django.core import mail
from django_otp_webauthn.models import WebAuthnCredential
from playwright.sync_api import expect

from tests.conftest import MOT_DE_PASSE, code_du_courriel
from tests.factories import UtilisateurFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cle_virtuelle(page):
    """Chromium's virtual authenticator: a USB FIDO2 key, always present, PIN already given."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable", {"enableUI": False})
    reponse = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return cdp, reponse["authenticatorId"]


@pytest.fixture
def portail(live_server, settings):
    # WebAuthn needs a secure context: http://localhost is one (pytest-django's live server listens there)
    assert live_server.url.startswith("http://localhost:")
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    return live_server.url


def saisir_mot_de_passe(page, portail, utilisateur):
    page.goto(f"{portail}/connexion/")
    page.locator("input[name='username']").fill(utilisateur.email)
    page.locator("input[name='password']").fill(MOT_DE_PASSE)
    page.locator("main").get_by_role("button", name="Se connecter").click()
    expect(page).to_have_url(f"{portail}/connexion/code/")


def test_ajouter_une_cle_puis_se_connecter_avec(page, portail, cle_virtuelle):
    utilisateur = UtilisateurFactory(password=MOT_DE_PASSE)
    cdp, authentificateur = cle_virtuelle

    # first login: password, then the code received by mail
    saisir_mot_de_passe(page, portail, utilisateur)
    expect(page.get_by_role("button", name="Utiliser ma clé de sécurité")).to_have_count(0)
    page.locator("input[name='code']").fill(code_du_courriel(mail.outbox[-1]))
    page.locator("main").get_by_role("button", name="Valider").click()
    expect(page).to_have_url(f"{portail}/")

    # add the key
    page.goto(f"{portail}/mon-compte/facteurs/")
    page.get_by_label("Nom de la clé").fill("Clé USB de test")
    page.get_by_role("button", name="Ajouter une clé de sécurité").click()
    expect(page.locator(".fr-alert--success")).to_contain_text("La clé de sécurité « Clé USB de test » est ajoutée")
    expect(page.locator("#cles-securite")).to_contain_text("Clé USB de test")
    assert len(cdp.send("WebAuthn.getCredentials", {"authenticatorId": authentificateur})["credentials"]) == 1
    cle = WebAuthnCredential.objects.get(user=utilisateur)
    assert cle.name == "Clé USB de test" and cle.last_used_at is None
    # the same key a second time: the browser refuses it (excludeCredentials), the page says why
    page.get_by_role("button", name="Ajouter une clé de sécurité").click()
    expect(page.locator("[data-cle-erreur]")).to_contain_text("déjà enregistrée sur votre compte")
    assert WebAuthnCredential.objects.filter(user=utilisateur).count() == 1

    # log out
    page.goto(f"{portail}/deconnexion/")
    page.locator("main").get_by_role("button", name="Se déconnecter").click()
    expect(page.locator("main")).to_contain_text("Vous êtes déconnecté.")

    # log in again: password, then the key instead of a code
    courriels = len(mail.outbox)
    saisir_mot_de_passe(page, portail, utilisateur)
    page.get_by_role("button", name="Utiliser ma clé de sécurité").click()
    expect(page).to_have_url(f"{portail}/")
    expect(page.locator("#utilisateur-connecte").first).to_contain_text(utilisateur.nom_complet)
    assert len(mail.outbox) == courriels  # no code mailed to someone who has a key
    cle.refresh_from_db()
    assert cle.last_used_at is not None
    page.goto(f"{portail}/mon-compte/")
    expect(page).to_have_url(f"{portail}/mon-compte/")
