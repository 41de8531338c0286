import hashlib
import json
import os
from datetime import timedelta

import cbor2
import pyotp
import pytest
import time_machine
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential
from webauthn.helpers import bytes_to_base64url

from organisation.services.second_facteur import cle_en_base32
from tests.conftest import MOT_DE_PASSE, code_du_courriel, connecter
from tests.factories import UtilisateurFactory

ORIGINE = "http://testserver"
CODE = reverse("organisation:code")
FACTEURS = reverse("organisation:facteurs")
CONNEXION_DEBUT = reverse("organisation:cle_connexion_debut")
CONNEXION_FIN = reverse("organisation:cle_connexion_fin")
AJOUT_DEBUT = reverse("organisation:cle_ajout_debut")
AJOUT_FIN = reverse("organisation:cle_ajout_fin")


class CleLogicielle:
    """A FIDO2 authenticator in a few lines: a P-256 key pair, "none" attestation, a signature counter."""

    def __init__(self, rp_id="localhost", origine=ORIGINE):
        self.rp_id, self.origine = rp_id, origine
        self.prive = ec.generate_private_key(ec.SECP256R1())
        self.identifiant = os.urandom(32)
        self.compteur = 0

    def cle_publique_cose(self):
        nombres = self.prive.public_key().public_numbers()
        return cbor2.dumps({1: 2, 3: -7, -1: 1, -2: nombres.x.to_bytes(32, "big"), -3: nombres.y.to_bytes(32, "big")})

    def _client(self, type_, challenge):
        return json.dumps({"type": type_, "challenge": challenge, "origin": self.origine}).encode()

    def _commun(self, reponse):
        ident = bytes_to_base64url(self.identifiant)
        return {"id": ident, "rawId": ident, "type": "public-key", "response": reponse, "clientExtensionResults": {}}

    def creer(self, options):
        client = self._client("webauthn.create", options["challenge"])
        donnees = (
            hashlib.sha256(self.rp_id.encode()).digest()
            + bytes([0x41])  # user present, attested credential data
            + self.compteur.to_bytes(4, "big")
            + bytes(16)  # AAGUID
            + len(self.identifiant).to_bytes(2, "big")
            + self.identifiant
            + self.cle_publique_cose()
        )
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": donnees})
        return self._commun(
            {
                "clientDataJSON": bytes_to_base64url(client),
                "attestationObject": bytes_to_base64url(attestation),
                "transports": ["usb"],
            }
        )

    def signer(self, options):
        self.compteur += 1
        client = self._client("webauthn.get", options["challenge"])
        donnees = hashlib.sha256(self.rp_id.encode()).digest() + bytes([0x01]) + self.compteur.to_bytes(4, "big")
        signature = self.prive.sign(donnees + hashlib.sha256(client).digest(), ec.ECDSA(hashes.SHA256()))
        return self._commun(
            {
                "clientDataJSON": bytes_to_base64url(client),
                "authenticatorData": bytes_to_base64url(donnees),
                "signature": bytes_to_base64url(signature),
                "userHandle": None,
            }
        )

    def enregistrer(self, utilisateur, nom="Clé USB bleue"):
        """The credential as the registration ceremony would have saved it."""
        return WebAuthnCredential.objects.create(
            user=utilisateur,
            name=nom,
            credential_id=self.identifiant,
            public_key=self.cle_publique_cose(),
            aaguid="00000000-0000-0000-0000-000000000000",
            transports=["usb"],
        )


@pytest.fixture(autouse=True)
def _partie_de_confiance(settings):
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [ORIGINE]


def post_json(client, url, donnees=None):
    return client.post(url, json.dumps(donnees or {}), content_type="application/json")


def mot_de_passe(client, utilisateur, suivant=None):
    url = reverse("organisation:connexion") + (f"?next={suivant}" if suivant else "")
    reponse = client.post(url, {"username": utilisateur.email, "password": MOT_DE_PASSE})
    assert reponse.url == CODE


# Login with a key


def test_le_debut_est_refuse_sans_mot_de_passe(client, utilisateur):
    CleLogicielle().enregistrer(utilisateur)
    reponse = post_json(client, CONNEXION_DEBUT)
    assert reponse.status_code == 403
    assert reponse.json()["redirect_url"] == reverse("organisation:connexion")
    assert "challenge" not in reponse.json()


def test_le_debut_renvoie_les_options_apres_le_mot_de_passe(client, utilisateur):
    cle = CleLogicielle()
    cle.enregistrer(utilisateur)
    CleLogicielle().enregistrer(UtilisateurFactory())  # someone else's key is not offered
    mot_de_passe(client, utilisateur)
    reponse = post_json(client, CONNEXION_DEBUT)
    assert reponse.status_code == 200
    options = reponse.json()
    assert options["rpId"] == "localhost"
    assert options["challenge"]
    assert [c["id"] for c in options["allowCredentials"]] == [bytes_to_base64url(cle.identifiant)]
    assert options["userVerification"] == "discouraged"
    assert "_auth_user_id" not in client.session


def test_sans_cle_le_debut_est_refuse(client, utilisateur):
    mot_de_passe(client, utilisateur)
    reponse = post_json(client, CONNEXION_DEBUT)
    assert reponse.status_code == 400
    assert "Aucune clé de sécurité" in reponse.json()["detail"]


def test_connexion_avec_la_cle(client, utilisateur):
    cle = CleLogicielle()
    appareil = cle.enregistrer(utilisateur)
    mot_de_passe(client, utilisateur, suivant="/mon-compte/")
    options = post_json(client, CONNEXION_DEBUT).json()
    reponse = post_json(client, CONNEXION_FIN, cle.signer(options))
    assert reponse.status_code == 200
    assert reponse.json() == {"redirect_url": "/mon-compte/"}
    assert client.session["_auth_user_id"] == str(utilisateur.pk)
    assert client.session[DEVICE_ID_SESSION_KEY] == appareil.persistent_id
    assert client.get(reverse("organisation:mon_compte")).status_code == 200
    appareil.refresh_from_db()
    assert appareil.sign_count == 1 and appareil.last_used_at is not None


def test_une_reponse_ne_sert_qu_une_fois(client, utilisateur):
    cle = CleLogicielle()
    cle.enregistrer(utilisateur)
    mot_de_passe(client, utilisateur)
    options = post_json(client, CONNEXION_DEBUT).json()
    mauvaise = cle.signer({"challenge": bytes_to_base64url(os.urandom(32))})
    assert post_json(client, CONNEXION_FIN, mauvaise).status_code == 422
    # the challenge is spent even though the answer was refused
    reponse = post_json(client, CONNEXION_FIN, cle.signer(options))
    assert reponse.status_code == 400
    assert "expiré" in reponse.json()["detail"]
    assert "_auth_user_id" not in client.session


def test_la_cle_d_un_autre_compte_est_refusee(client, utilisateur):
    CleLogicielle().enregistrer(utilisateur)
    autre = CleLogicielle()
    autre.enregistrer(UtilisateurFactory())
    mot_de_passe(client, utilisateur)
    options = post_json(client, CONNEXION_DEBUT).json()
    reponse = post_json(client, CONNEXION_FIN, autre.signer(options))
    assert reponse.status_code == 403
    assert "n'est pas enregistrée sur votre compte" in reponse.json()["detail"]
    assert "_auth_user_id" not in client.session


def test_la_page_du_code_propose_la_cle_sans_envoyer_de_courriel(
    client, utilisateur, django_capture_on_commit_callbacks
):
    CleLogicielle().enregistrer(utilisateur)
    mot_de_passe(client, utilisateur)
    with django_capture_on_commit_callbacks(execute=True):
        page = client.get(CODE).content.decode()
    assert "Utiliser ma clé de sécurité" in page
    assert "js/cle_securite.js" in page
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(reverse("organisation:code_renvoyer"), follow=True).content.decode()
    assert "Un nouveau code vient de vous être envoyé." in page
    assert "Le code à 6 chiffres envoyé à" in page and "reste valable jusqu'à" in page
    assert client.post(CODE, {"code": code_du_courriel(mail.outbox[-1])}).status_code == 302


def test_sans_cle_la_page_du_code_ne_propose_pas_de_cle(client, utilisateur):
    mot_de_passe(client, utilisateur)
    assert "Utiliser ma clé de sécurité" not in client.get(CODE).content.decode()


# Adding a key


def test_ajouter_une_cle_demande_d_etre_connecte(client, utilisateur):
    reponse = post_json(client, AJOUT_DEBUT)
    assert reponse.status_code == 302 and reponse.url.startswith(reverse("organisation:connexion"))


def test_ajouter_une_cle(client, utilisateur, django_capture_on_commit_callbacks):
    connecter(client, utilisateur)
    cle = CleLogicielle()
    options = post_json(client, AJOUT_DEBUT, {"nom": "  Clé   du bureau "}).json()
    assert options["rp"] == {"id": "localhost", "name": "Chorus Pro"}
    with django_capture_on_commit_callbacks(execute=True):
        reponse = post_json(client, AJOUT_FIN, cle.creer(options))
    assert reponse.status_code == 200 and reponse.json() == {"redirect_url": FACTEURS}
    (appareil,) = WebAuthnCredential.objects.filter(user=utilisateur)
    assert appareil.name == "Clé du bureau"
    assert appareil.credential_id == cle.identifiant
    assert mail.outbox[-1].subject == "Chorus Pro – Clé de sécurité ajoutée"
    page = client.get(FACTEURS).content.decode()
    assert "Clé du bureau" in page
    assert "La clé de sécurité « Clé du bureau » est ajoutée" in page
    # the same key twice is refused by the browser (excludeCredentials) and would be by the database
    assert [c["id"] for c in post_json(client, AJOUT_DEBUT).json()["excludeCredentials"]] == [
        bytes_to_base64url(cle.identifiant)
    ]


def test_un_nom_trop_long_est_refuse(client, utilisateur):
    connecter(client, utilisateur)
    reponse = post_json(client, AJOUT_DEBUT, {"nom": "x" * 65})
    assert reponse.status_code == 400
    assert "64 caractères" in reponse.json()["detail"]


def test_une_cle_d_une_autre_origine_n_est_pas_ajoutee(client, utilisateur):
    connecter(client, utilisateur)
    options = post_json(client, AJOUT_DEBUT).json()
    reponse = post_json(client, AJOUT_FIN, CleLogicielle(origine="https://pirate.example").creer(options))
    assert reponse.status_code == 422
    assert not WebAuthnCredential.objects.exists()


# Removing a key


def test_supprimer_une_cle_demande_le_code_envoye_par_courriel(
    client, utilisateur, django_capture_on_commit_callbacks
):
    appareil = CleLogicielle().enregistrer(utilisateur)
    connecter(client, utilisateur)
    url = reverse("organisation:supprimer_cle", args=[appareil.pk])
    with django_capture_on_commit_callbacks(execute=True):
        page = client.get(url).content.decode()
    assert "Supprimer la clé de sécurité « Clé USB bleue »" in page
    assert f"envoyé à <strong>{utilisateur.email}</strong>" in page
    code = code_du_courriel(mail.outbox[-1])
    assert client.post(url, {}).status_code == 200
    faux = f"{(int(code) + 1) % 10**6:06d}"
    assert "Le code saisi est incorrect." in client.post(url, {"code": faux}).content.decode()
    assert WebAuthnCredential.objects.filter(pk=appareil.pk).exists()
    # a minute later: past django-otp's throttling delay after the wrong code
    with time_machine.travel(timezone.now() + timedelta(minutes=1)), django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(url, {"code": code})
    assert reponse.status_code == 302 and reponse.url == FACTEURS
    assert not WebAuthnCredential.objects.filter(pk=appareil.pk).exists()
    assert mail.outbox[-1].subject == "Chorus Pro – Clé de sécurité supprimée"
    assert client.get(FACTEURS).status_code == 200


def test_supprimer_une_cle_demande_le_code_de_l_application(client, utilisateur):
    appareil = CleLogicielle().enregistrer(utilisateur)
    totp = TOTPDevice.objects.create(user=utilisateur, name="Téléphone pro", confirmed=True)
    connecter(client, utilisateur)
    url = reverse("organisation:supprimer_cle", args=[appareil.pk])
    page = client.get(url).content.decode()
    assert "affiché par votre application d'authentification (« Téléphone pro »)" in page
    assert mail.outbox == []
    assert client.post(url, {"code": "000000"}).status_code == 200
    assert WebAuthnCredential.objects.filter(pk=appareil.pk).exists()
    with time_machine.travel(timezone.now() + timedelta(minutes=1)):  # past django-otp's throttling delay
        code = pyotp.TOTP(cle_en_base32(totp.key)).now()
        assert client.post(url, {"code": code}).url == FACTEURS
    assert not WebAuthnCredential.objects.exists()


def test_la_session_reste_verifiee_apres_la_suppression_de_la_cle_qui_l_a_ouverte(
    client, utilisateur, django_capture_on_commit_callbacks
):
    cle = CleLogicielle()
    appareil = cle.enregistrer(utilisateur)
    mot_de_passe(client, utilisateur)
    post_json(client, CONNEXION_FIN, cle.signer(post_json(client, CONNEXION_DEBUT).json()))
    assert client.session[DEVICE_ID_SESSION_KEY] == appareil.persistent_id
    url = reverse("organisation:supprimer_cle", args=[appareil.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.get(url)
    client.post(url, {"code": code_du_courriel(mail.outbox[-1])})
    assert client.get(reverse("organisation:mon_compte")).status_code == 200


def test_on_ne_peut_pas_supprimer_la_cle_d_un_autre(client, utilisateur):
    appareil = CleLogicielle().enregistrer(UtilisateurFactory())
    connecter(client, utilisateur)
    url = reverse("organisation:supprimer_cle", args=[appareil.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"code": "123456"}).status_code == 404
    assert WebAuthnCredential.objects.filter(pk=appareil.pk).exists()
    assert mail.outbox == []


def test_la_page_des_facteurs_liste_les_cles(client, utilisateur):
    CleLogicielle().enregistrer(utilisateur, nom="Clé USB bleue")
    CleLogicielle().enregistrer(UtilisateurFactory(), nom="Clé d'un autre")
    connecter(client, utilisateur)
    page = client.get(FACTEURS).content.decode()
    assert "Clés de sécurité" in page
    assert "Clé USB bleue" in page
    assert "Clé d&#x27;un autre" not in page
    assert "Ajouter une clé de sécurité" in page
