"""Breach 4 of issue #15: with DEBUG the signing key was a public constant, so anyone could forge a ticket's
follow-up link. The embedded default now draws a random key on first run, kept private under var/; production
(neither DEBUG nor DEMO) refuses to start without SECRET_KEY: the WSGI application, the Celery worker and beat stop
at start-up, Django signs nothing, and only the commands that sign nothing (makemigrations…) run."""

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core import signing

from support import liens

ANCIENNE_CLE_PUBLIQUE = "dev-insecure-key-only-for-the-embedded-default"
RACINE = Path(__file__).resolve().parents[2]
LIRE_CLE = "from django.conf import settings; print(settings.SECRET_KEY)"


def _charger(var, code=LIRE_CLE, **env):
    environnement = {
        k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DEMO", "CELERY_QUEUE_DIR"}
    }
    environnement.update(CHORUS_VAR_DIR=str(var), DJANGO_SETTINGS_MODULE="chorus.settings.base", **env)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=RACINE, env=environnement, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize("mode", [{"DEBUG": "1"}, {"DEBUG": "0", "DEMO": "1"}], ids=["debug", "demo"])
def test_le_defaut_embarque_tire_une_cle_privee(tmp_path, mode):
    premier = _charger(tmp_path, **mode)
    assert premier.returncode == 0, premier.stderr
    cle = premier.stdout.strip()
    assert cle != ANCIENNE_CLE_PUBLIQUE and len(cle) >= 50
    fichier = tmp_path / "secret_key"
    assert fichier.read_text().strip() == cle
    assert stat.S_IMODE(fichier.stat().st_mode) == 0o600  # readable by its owner only
    # kept: sessions and links signed before a restart stay valid
    assert _charger(tmp_path, **mode).stdout.strip() == cle
    # another installation draws its own
    assert _charger(tmp_path / "autre", **mode).stdout.strip() != cle


def _lancer(var, *commande, **env):
    environnement = {
        k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DEMO", "CELERY_BROKER_URL"}
    }
    environnement.update(
        CHORUS_VAR_DIR=str(var), CELERY_QUEUE_DIR=str(var / "celery"), DJANGO_SETTINGS_MODULE="chorus.settings.base"
    )
    environnement.update(env)
    return subprocess.run(commande, cwd=RACINE, env=environnement, capture_output=True, text=True, timeout=120)


def test_la_production_refuse_de_demarrer_sans_cle(tmp_path):
    production = {"DEBUG": "0", "DEMO": "0"}
    # the servers stop at start-up (a server that started would fail on its first request instead)
    wsgi = _lancer(tmp_path, sys.executable, "-c", "import chorus.wsgi", **production)
    assert wsgi.returncode != 0 and "chorus.E005 : SECRET_KEY est obligatoire en production" in wsgi.stderr
    celery = str(Path(sys.executable).with_name("celery"))
    for serveur in (["worker", "--pool=solo"], ["beat", "--schedule", str(tmp_path / "beat")]):
        refus = _lancer(tmp_path, celery, "-A", "chorus", *serveur, **production)
        assert refus.returncode != 0, serveur
        assert "Démarrage refusé : chorus.E005" in refus.stdout + refus.stderr, serveur
    # nothing is ever signed with an empty key
    signer = _charger(tmp_path, "from django.core import signing; signing.dumps(1)", **production)
    assert signer.returncode != 0 and "SECRET_KEY" in signer.stderr
    assert not (tmp_path / "secret_key").exists()
    # the commands that sign nothing still run, as a developer or a build step runs them
    migrations = _lancer(tmp_path, sys.executable, "manage.py", "makemigrations", "--check", "--dry-run", **production)
    assert migrations.returncode == 0, migrations.stderr
    donnee = _charger(tmp_path, DEBUG="0", DEMO="0", SECRET_KEY="une-cle-de-production-assez-longue-et-secrete")
    assert donnee.returncode == 0 and donnee.stdout.strip() == "une-cle-de-production-assez-longue-et-secrete"


def test_la_cle_n_est_jamais_versionnee():
    verifie = subprocess.run(["git", "check-ignore", "-q", "var/secret_key"], cwd=RACINE)
    assert verifie.returncode == 0


def test_un_lien_de_suivi_signe_avec_l_ancienne_cle_est_refuse():
    assert settings.SECRET_KEY != ANCIENNE_CLE_PUBLIQUE
    forge = signing.TimestampSigner(key=ANCIENNE_CLE_PUBLIQUE, salt=liens.SEL_SUIVI).sign_object(
        {"s": 1, "e": "victime@exemple.fr"}
    )
    with pytest.raises(liens.LienRefuse):
        liens.lire(forge, liens.SEL_SUIVI, liens.VALIDITE_SUIVI)
