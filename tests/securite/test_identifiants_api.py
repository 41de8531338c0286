"""Breach 3 of issue #15: a wrong password and an unknown technical login answered different reasons, the logins are
predictable (TECH_<SIRET>_n), nothing held a guesser back; the token endpoint likewise told an unknown client from a
wrong secret. Now a refusal names the header that failed (cpro-account, client_id) but not which half of it; a
technical account is locked after repeated failures (its structure's gestionnaires get one mail per lock), and the
token endpoint throttles failures per client id and per IP. Counts live in the shared cache, across processes."""

import base64
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from chorus import debits
from organisation.enums import Application, Niveau
from organisation.services.rattachements import gestionnaires
from raccordement.services.verrouillage import (
    DUREE_VERROUILLAGE,
    ECHECS_AVANT_VERROUILLAGE,
    ECHECS_JETON_PAR_CLIENT,
    ECHECS_JETON_PAR_IP,
)
from tests.factories import UtilisateurFactory, rattacher
from tests.raccordement.test_api_socle import JETON, RATTACHEMENTS, Integrateur

pytestmark = pytest.mark.django_db
RACINE = Path(__file__).resolve().parents[2]


def _refus(reponse):
    assert reponse.status_code == 401, reponse.content
    corps = reponse.json()
    return corps["identifiantRefuse"], corps["motif"], corps["libelle"]


def _avec_compte(integrateur, jeton, login, mot_de_passe):
    return {
        "HTTP_AUTHORIZATION": f"Bearer {jeton}",
        "HTTP_CPRO_ACCOUNT": base64.b64encode(f"{login}:{mot_de_passe}".encode()).decode(),
    }


def test_login_inconnu_et_mauvais_mot_de_passe_repondent_pareil(client):
    integrateur = Integrateur()
    jeton = integrateur.jeton(client)
    inconnu = integrateur.compte.login.replace("_1@", "_9@")
    mauvais = _refus(integrateur.appeler(client, RATTACHEMENTS, **_avec_compte(integrateur, jeton, inconnu, "x")))
    faux = _refus(
        integrateur.appeler(client, RATTACHEMENTS, **_avec_compte(integrateur, jeton, integrateur.compte.login, "x"))
    )
    assert mauvais == faux
    assert faux[:2] == ("cpro-account", "IDENTIFIANTS_INCORRECTS")
    assert integrateur.compte.login not in faux[2] and inconnu not in faux[2]


def test_un_compte_technique_se_verrouille_et_ses_gestionnaires_sont_prevenus(
    client, django_capture_on_commit_callbacks
):
    integrateur = Integrateur()
    gestionnaire = UtilisateurFactory()
    rattacher(gestionnaire, integrateur.structure, (Application.ORGANISATION, Niveau.MODIFICATION))
    jeton = integrateur.jeton(client)
    mauvais = _avec_compte(integrateur, jeton, integrateur.compte.login, "mauvais")
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(ECHECS_AVANT_VERROUILLAGE):
            assert _refus(integrateur.appeler(client, RATTACHEMENTS, **mauvais))[1] == "IDENTIFIANTS_INCORRECTS"
        # locked: even the right password is refused, and more failures send no second mail
        bon = _avec_compte(integrateur, jeton, integrateur.compte.login, integrateur.mot_de_passe)
        identifiant, motif, libelle = _refus(integrateur.appeler(client, RATTACHEMENTS, **bon))
        _refus(integrateur.appeler(client, RATTACHEMENTS, **mauvais))
    assert (identifiant, motif) == ("cpro-account", "COMPTE_VERROUILLE")
    assert f"{int(DUREE_VERROUILLAGE.total_seconds() // 60)} minutes" in libelle
    # one mail to each gestionnaire of the structure (its creator's and the one added here), once for the lock
    destinataires = sorted(m.to[0] for m in mail.outbox)
    assert destinataires == sorted(g.email for g in gestionnaires(integrateur.structure))
    assert gestionnaire.email in destinataires and len(set(destinataires)) == len(destinataires)
    for message in mail.outbox:
        assert integrateur.compte.login in message.body and integrateur.structure.raison_sociale in message.body

    with time_machine.travel(timezone.now() + DUREE_VERROUILLAGE + timedelta(seconds=1)):
        assert integrateur.appeler(client, RATTACHEMENTS, **bon).status_code == 200


def test_un_login_inconnu_se_verrouille_pareil(client, django_capture_on_commit_callbacks):
    integrateur = Integrateur()
    jeton = integrateur.jeton(client)
    inconnu = _avec_compte(integrateur, jeton, "TECH_00000000000000_1", "x")
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(ECHECS_AVANT_VERROUILLAGE):
            _refus(integrateur.appeler(client, RATTACHEMENTS, **inconnu))
        assert _refus(integrateur.appeler(client, RATTACHEMENTS, **inconnu))[1] == "COMPTE_VERROUILLE"
    assert mail.outbox == []


def _jeton(client, client_id, secret, ip="192.0.2.20"):
    return client.post(
        JETON, {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}, REMOTE_ADDR=ip
    )


def test_le_point_jeton_ne_distingue_pas_client_inconnu_et_mauvais_secret(client):
    integrateur = Integrateur()
    inconnu = _jeton(client, "client-inconnu", "secret")
    mauvais = _jeton(client, integrateur.client_api.client_id, "secret")
    assert inconnu.status_code == mauvais.status_code == 401
    assert inconnu.json()["error"] == mauvais.json()["error"] == "invalid_client"
    assert inconnu.json()["error_description"] == mauvais.json()["error_description"]


def test_le_point_jeton_freine_par_client_id(client):
    integrateur = Integrateur()
    client_id = integrateur.client_api.client_id
    for rang in range(ECHECS_JETON_PAR_CLIENT):
        assert _jeton(client, client_id, "faux", ip=f"198.51.100.{rang}").status_code == 401
    freine = _jeton(client, client_id, integrateur.secret, ip="203.0.113.9")
    assert freine.status_code == 429 and int(freine["Retry-After"]) > 0
    assert freine.json()["error"] == "invalid_client" and "réessayez" in freine.json()["error_description"]
    # an unknown client id is held back the same way
    for _ in range(ECHECS_JETON_PAR_CLIENT):
        _jeton(client, "client-inconnu", "faux", ip="203.0.113.10")
    assert _jeton(client, "client-inconnu", "faux", ip="203.0.113.11").status_code == 429


def test_le_point_jeton_freine_par_ip(client):
    integrateur = Integrateur()
    for rang in range(ECHECS_JETON_PAR_IP):
        assert _jeton(client, f"client-{rang}", "faux").status_code == 401
    assert _jeton(client, integrateur.client_api.client_id, integrateur.secret).status_code == 429
    assert _jeton(client, integrateur.client_api.client_id, integrateur.secret, ip="203.0.113.50").status_code == 200


def test_les_compteurs_sont_partages_entre_processus():
    cle = debits.cle("essai-partage", "compte")
    assert debits.compter(cle, DUREE_VERROUILLAGE) == 1
    code = (
        "import django; django.setup(); from datetime import timedelta; from chorus import debits; "
        f"print(debits.compter({cle!r}, timedelta(minutes=15)), debits.premiere_fois({cle!r} + 'p', timedelta(1)))"
    )
    fait = subprocess.run(
        [sys.executable, "-c", code],
        cwd=RACINE,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "chorus.settings.test"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert fait.returncode == 0, fait.stderr
    assert fait.stdout.split()[-2:] == ["2", "True"]
    assert debits.compter(cle, DUREE_VERROUILLAGE) == 3
    assert not debits.premiere_fois(cle + "p", timedelta(1))
