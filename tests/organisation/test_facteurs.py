import re
from urllib.parse import parse_qs, unquote, urlparse

import pyotp
import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from organisation.services.second_facteur import cle_en_base32, url_configuration
from tests.conftest import connecter
from tests.factories import UtilisateurFactory

AJOUTER = reverse("organisation:ajouter_application")
SUPPRIMER = reverse("organisation:supprimer_application")


def secret_affiche(page):
    return re.search(r'id="secret-totp">([A-Z2-7]+)<', page).group(1)


@pytest.fixture
def connecte(client, utilisateur):
    return connecter(client, utilisateur)


def declarer(client, capture, nom="Téléphone dédié à Chorus Pro", **extra):
    page = client.get(AJOUTER).content.decode()
    generateur = pyotp.TOTP(secret_affiche(page))
    with capture(execute=True):
        reponse = client.post(AJOUTER, {"code": generateur.now(), "nom": nom, **extra})
    return reponse, generateur


def test_la_page_montre_le_qr_code_et_le_secret(connecte, utilisateur):
    page = connecte.get(AJOUTER).content.decode()
    assert 'src="data:image/svg+xml;base64,' in page
    secret = secret_affiche(page)
    assert len(secret) == 32  # 160 bits in base32
    assert f"compte : {utilisateur.email}, émetteur : Chorus Pro" in page
    # the QR code encodes the provisioning URI: issuer Chorus Pro, account = login e-mail
    cle = connecte.session["application_en_cours"]
    uri = url_configuration(utilisateur=utilisateur, cle_hex=cle)
    lu = urlparse(uri)
    assert (lu.scheme, lu.netloc, unquote(lu.path)) == ("otpauth", "totp", f"/Chorus Pro:{utilisateur.email}")
    assert parse_qs(lu.query)["issuer"] == ["Chorus Pro"]
    assert parse_qs(lu.query)["secret"] == [secret]


def test_declarer_une_application(connecte, utilisateur, django_capture_on_commit_callbacks):
    with time_machine.travel(timezone.now(), tick=False):
        reponse, _ = declarer(connecte, django_capture_on_commit_callbacks)
    assert reponse.status_code == 302
    appareil = TOTPDevice.objects.get(user=utilisateur)
    assert appareil.confirmed and appareil.name == "Téléphone dédié à Chorus Pro"
    page = connecte.get(reverse("organisation:facteurs")).content.decode()
    assert "Application déclarée : <strong>Téléphone dédié à Chorus Pro</strong>" in page
    assert mail.outbox[-1].subject == "Chorus Pro – Application d'authentification déclarée"
    # the session stays verified on the new device
    assert connecte.get(reverse("organisation:mon_compte")).status_code == 200


def test_un_code_faux_ne_declare_rien(connecte, utilisateur):
    connecte.get(AJOUTER)
    reponse = connecte.post(AJOUTER, {"code": "000000", "nom": "x"})
    assert "ne correspond pas à l&#x27;application" in reponse.content.decode()
    assert not TOTPDevice.objects.filter(user=utilisateur).exists()


def test_remplacer_demande_un_code_de_l_application_actuelle(
    connecte, utilisateur, django_capture_on_commit_callbacks
):
    with time_machine.travel(timezone.now(), tick=False) as temps:
        _, ancienne = declarer(connecte, django_capture_on_commit_callbacks, nom="Ancien")
        temps.shift(31)
        reponse, _ = declarer(connecte, django_capture_on_commit_callbacks, nom="Nouveau")
        assert "Saisissez un code de l&#x27;application actuelle pour la remplacer." in reponse.content.decode()
        reponse, _ = declarer(connecte, django_capture_on_commit_callbacks, nom="Nouveau", code_actuel="123456")
        assert TOTPDevice.objects.get(user=utilisateur).name == "Ancien"
        temps.shift(31)
        reponse, _ = declarer(connecte, django_capture_on_commit_callbacks, nom="Nouveau", code_actuel=ancienne.now())
        assert reponse.status_code == 302
    (appareil,) = TOTPDevice.objects.filter(user=utilisateur)  # one application per account
    assert appareil.name == "Nouveau"


def test_supprimer_demande_un_code(connecte, utilisateur, django_capture_on_commit_callbacks):
    with time_machine.travel(timezone.now(), tick=False) as temps:
        _, generateur = declarer(connecte, django_capture_on_commit_callbacks)
        temps.shift(31)
        reponse = connecte.post(SUPPRIMER, {"code": "000000"})
        assert "Le code saisi est incorrect ou a expiré." in reponse.content.decode()
        assert TOTPDevice.objects.filter(user=utilisateur).exists()
        temps.shift(31)
        with django_capture_on_commit_callbacks(execute=True):
            reponse = connecte.post(SUPPRIMER, {"code": generateur.now()})
    assert reponse.status_code == 302
    assert not TOTPDevice.objects.filter(user=utilisateur).exists()
    assert mail.outbox[-1].subject == "Chorus Pro – Application d'authentification supprimée"
    assert connecte.get(reverse("organisation:mon_compte")).status_code == 200


def test_les_pages_des_facteurs_demandent_une_connexion(client, db):
    for url in [reverse("organisation:facteurs"), AJOUTER, SUPPRIMER]:
        reponse = client.get(url)
        assert reponse.status_code == 302 and reponse.url.startswith(reverse("organisation:connexion"))


def test_on_ne_touche_pas_a_l_application_d_un_autre(client, utilisateur, django_capture_on_commit_callbacks):
    autre = UtilisateurFactory()
    appareil = TOTPDevice.objects.create(user=autre, name="Celle de l'autre", confirmed=True)
    connecter(client, utilisateur)
    assert "Celle de l&#x27;autre" not in client.get(reverse("organisation:facteurs")).content.decode()
    code = pyotp.TOTP(cle_en_base32(appareil.key))
    assert client.post(SUPPRIMER, {"code": code.now()}).status_code == 302  # nothing of mine to remove
    assert TOTPDevice.objects.filter(pk=appareil.pk).exists()


def test_un_code_faux_a_la_suppression_ralentit_les_essais_suivants(
    connecte, utilisateur, django_capture_on_commit_callbacks
):
    with time_machine.travel(timezone.now(), tick=False) as temps:
        _, generateur = declarer(connecte, django_capture_on_commit_callbacks)
        temps.shift(31)
        connecte.post(SUPPRIMER, {"code": "000000"})
        # the wrong code was recorded: even the right one must wait for the throttling delay
        reponse = connecte.post(SUPPRIMER, {"code": generateur.now()})
        assert "patientez quelques secondes" in reponse.content.decode()
        assert TOTPDevice.objects.filter(user=utilisateur).exists()
