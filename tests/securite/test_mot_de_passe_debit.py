"""Breach 2 of issue #15: eight anonymous requests « mot de passe oublié » for one address put eight mails in its
box within a second. Now the holder gets at most one mail per window, a client (IP) at most a few requests per
window, and every request gets the same answer, whether the address exists, was just mailed or the IP is throttled.
The counts live in the shared cache, so they hold across processes."""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from organisation.services.reinitialisation import DEMANDES_PAR_IP, FENETRE_COURRIEL, reinitialisation_permise
from tests.factories import UtilisateurFactory

pytestmark = pytest.mark.django_db

OUBLIE = reverse("organisation:mot_de_passe_oublie")
ENVOYE = reverse("organisation:mot_de_passe_envoye")
RACINE = Path(__file__).resolve().parents[2]


def _demander(client, adresse, ip="192.0.2.10"):
    reponse = client.post(OUBLIE, {"email": adresse}, REMOTE_ADDR=ip)
    assert (reponse.status_code, reponse.url) == (302, ENVOYE)  # the same answer, whatever happened
    return reponse


def test_une_rafale_pour_une_adresse_ne_donne_qu_un_courriel(client, django_capture_on_commit_callbacks):
    utilisateur = UtilisateurFactory()
    with django_capture_on_commit_callbacks(execute=True):
        for rang in range(8):
            # from eight addresses: the holder's box is protected, whoever asks
            _demander(client, utilisateur.email, ip=f"192.0.2.{rang}")
    assert [m.to for m in mail.outbox] == [[utilisateur.email]]
    # the window over, one more
    with (
        time_machine.travel(timezone.now() + FENETRE_COURRIEL + timedelta(seconds=1)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        _demander(client, utilisateur.email.upper())
    assert len(mail.outbox) == 2


def test_un_client_ne_fait_que_quelques_demandes(client, django_capture_on_commit_callbacks):
    for rang in range(DEMANDES_PAR_IP):
        _demander(client, f"inconnu{rang}@exemple.fr")
    victime = UtilisateurFactory()
    with django_capture_on_commit_callbacks(execute=True):
        _demander(client, victime.email)  # same answer, no mail
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        _demander(client, victime.email, ip="198.51.100.7")  # another client is not held back
    assert len(mail.outbox) == 1


def test_la_page_dit_la_regle_sans_rien_reveler(client):
    page = client.get(ENVOYE).content.decode()
    assert "un seul courriel par quart d'heure" in page


def _dans_un_autre_processus(adresse, ip):
    code = (
        "import django; django.setup(); "
        "from organisation.services.reinitialisation import reinitialisation_permise as p; "
        f"print(p({adresse!r}, {ip!r}))"
    )
    environnement = {**os.environ, "DJANGO_SETTINGS_MODULE": "chorus.settings.test"}
    fait = subprocess.run(
        [sys.executable, "-c", code], cwd=RACINE, env=environnement, capture_output=True, text=True, timeout=60
    )
    assert fait.returncode == 0, fait.stderr
    return fait.stdout.strip().splitlines()[-1] == "True"


def test_le_debit_tient_entre_deux_processus():
    assert reinitialisation_permise("partage@exemple.fr", "203.0.113.1")
    assert not _dans_un_autre_processus("partage@exemple.fr", "203.0.113.2")
    assert _dans_un_autre_processus("autre@exemple.fr", "203.0.113.3")
    assert not reinitialisation_permise("autre@exemple.fr", "203.0.113.4")
