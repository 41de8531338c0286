"""Production refuses what belongs to development or to the demo: `check --deploy` is clean with a production
environment (HTTPS, HSTS, secure cookies), and DEBUG, DEMO (its mailbox shows every login code) or a published key
on a portal served beyond localhost stop the start — runserver's checks and a WSGI server's import alike."""

import os
import secrets
import subprocess
import sys

import pytest
from django.core.checks import run_checks

from chorus.production import verifier_deploiement, verifier_production

VARIABLES_RETIREES = {
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "DEBUG",
    "DEMO",
    "COOKIES_SECURE",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
}


def _processus(tmp_path, base_dir, *args, **env):
    """A process started as production starts one: the base settings, only the given environment on top."""
    propre = {k: v for k, v in os.environ.items() if k not in VARIABLES_RETIREES}
    return subprocess.run(
        [sys.executable, *args],
        env={**propre, "CHORUS_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "chorus.settings.base", **env},
        cwd=base_dir,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {"DEBUG": "0", "ALLOWED_HOSTS": "chorus-pro.example.fr"}


def test_check_deploy_est_propre_en_production(tmp_path, settings):
    sortie = _processus(
        tmp_path,
        settings.BASE_DIR,
        "manage.py",
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=secrets.token_urlsafe(50),
        **PRODUCTION,
    )
    assert sortie.returncode == 0, sortie.stderr
    assert "no issues" in sortie.stdout


def test_la_production_est_en_https_seulement(tmp_path, settings):
    script = (
        "from chorus.settings import base as s; print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, "
        "s.SECURE_SSL_REDIRECT, s.SECURE_PROXY_SSL_HEADER, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)"
    )
    production = _processus(tmp_path, settings.BASE_DIR, "-c", script, SECRET_KEY="k" * 50, **PRODUCTION)
    assert production.stdout.split(maxsplit=3)[:3] == ["31536000", "True", "True"]
    assert "('HTTP_X_FORWARDED_PROTO', 'https') True True" in production.stdout
    # the demo (bin/run) serves plain http on localhost: no HSTS, no redirect, no trusted proxy header
    demo = _processus(tmp_path, settings.BASE_DIR, "-c", script, DEMO="1", COOKIES_SECURE="0", SECRET_KEY="k")
    assert demo.stdout.split() == ["0", "False", "False", "None", "False", "False"]


def test_le_serveur_wsgi_refuse_de_demarrer_avec_debug_sur_un_hote_public(tmp_path, settings):
    sortie = _processus(tmp_path, settings.BASE_DIR, "-c", "import chorus.wsgi", DEBUG="1", ALLOWED_HOSTS="chorus.fr")
    assert sortie.returncode != 0
    assert "chorus.E001 : DEBUG est activé alors que le portail est servi sur chorus.fr" in sortie.stderr
    # with DEBUG the key is drawn at random under var/ (chorus/settings/base.py): no published key to report
    assert "chorus.E003" not in sortie.stderr


def test_le_serveur_wsgi_demarre_en_production(tmp_path, settings):
    sortie = _processus(tmp_path, settings.BASE_DIR, "-c", "import chorus.wsgi", SECRET_KEY="k" * 50, **PRODUCTION)
    assert sortie.returncode == 0, sortie.stderr


def _ids(erreurs):
    return [e.id for e in erreurs]


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    settings.DEMO = False
    settings.ALLOWED_HOSTS = ["chorus-pro.example.fr"]
    settings.SESSION_COOKIE_SECURE = True
    settings.SECRET_KEY = "k" * 50
    return settings


def test_une_production_correcte_n_a_aucune_erreur(production):
    assert verifier_production() == [] and verifier_deploiement() == []
    assert "chorus.E001" not in _ids(run_checks(tags=["security"]))


def test_debug_en_production_est_une_erreur(production):
    production.DEBUG = True
    assert _ids(verifier_production()) == ["chorus.E001"]
    assert "chorus.E001" in _ids(run_checks(tags=["security"]))


@pytest.mark.parametrize("hotes, https", [(["chorus-pro.example.fr"], False), (["127.0.0.1"], True)])
def test_la_boite_mail_de_demo_est_refusee_en_production(production, hotes, https):
    production.DEMO = True
    production.ALLOWED_HOSTS = hotes
    production.SESSION_COOKIE_SECURE = https
    erreurs = verifier_production()
    assert _ids(erreurs) == ["chorus.E002"]
    assert "boîte mail de démonstration" in erreurs[0].msg


def test_check_deploy_refuse_demo_meme_depuis_localhost(production):
    production.DEMO = True
    production.ALLOWED_HOSTS = ["localhost"]
    production.SESSION_COOKIE_SECURE = False
    assert verifier_production() == []  # the local demo (bin/run) starts
    assert _ids(verifier_deploiement()) == ["chorus.E004"]


@pytest.mark.parametrize("cle", ["dev-insecure-key-only-for-the-embedded-default", "change-me"])
def test_une_cle_publiee_est_refusee(production, cle):
    production.SECRET_KEY = cle
    assert _ids(verifier_production()) == ["chorus.E003"]


def test_la_demo_locale_demarre(production):
    production.DEMO = True
    production.ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
    production.SESSION_COOKIE_SECURE = False
    assert verifier_production() == []


@pytest.mark.django_db
def test_debug_n_ouvre_pas_la_boite_mail(client, settings):
    settings.DEBUG = True
    settings.DEMO = False
    assert client.get("/demo/boite-mail/").status_code == 404
