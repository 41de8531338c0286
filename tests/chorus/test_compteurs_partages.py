"""The API's rate per technical account and the portal's lock-outs count across processes: production serves with
several web processes (gunicorn -w 3), and a limit counted in one process's memory would multiply by their number.

Each test starts two Python processes of the portal, one after the other, sharing only what the settings share:
the first spends the allowance, the second must find it spent.
"""

import json
import os
import socket
import subprocess
import sys
import textwrap
import uuid

import pytest
from django.conf import settings as reglages
from django.db import connection

REDIS = ("127.0.0.1", 6379)

DEBIT = textwrap.dedent(
    """
    import json, os, sys
    import django
    from django.conf import settings
    if os.environ.get("CACHES_ESSAI"):
        settings.CACHES = json.loads(os.environ["CACHES_ESSAI"])
    django.setup()
    from types import SimpleNamespace
    from raccordement.api.vues import DebitParCompteTechnique
    DebitParCompteTechnique.rate = "3/min"
    from django.test import RequestFactory
    requete = RequestFactory().post("/")
    requete.auth = SimpleNamespace(pk=sys.argv[1])
    print(json.dumps([DebitParCompteTechnique().allow_request(requete, None) for _ in range(int(sys.argv[2]))]))
    """
)


def _processus(script, *args, **env):
    sortie = subprocess.run(
        [sys.executable, "-c", script, *map(str, args)],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "chorus.settings.test", **env},
        cwd=reglages.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert sortie.returncode == 0, sortie.stderr
    return json.loads(sortie.stdout.strip().splitlines()[-1])


def _redis_joignable():
    try:
        socket.create_connection(REDIS, timeout=1).close()
    except OSError:
        return False
    return True


def _debit_entre_deux_processus(**env):
    compte = f"essai-{uuid.uuid4().hex}"  # a key nobody else uses, in a cache other runs may share
    assert _processus(DEBIT, compte, 3, **env) == [True, True, True]
    return _processus(DEBIT, compte, 1, **env)


def test_le_debit_par_compte_tient_entre_deux_processus_avec_le_cache_du_parametrage():
    assert _debit_entre_deux_processus() == [False]


@pytest.mark.skipif(not _redis_joignable(), reason="pas de Redis sur 127.0.0.1:6379")
def test_le_debit_par_compte_tient_entre_deux_processus_avec_redis():
    # production's shared cache (Redis): the throttle's key is the account, not the process
    caches = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6379/11"}
    }
    assert _debit_entre_deux_processus(CACHES_ESSAI=json.dumps(caches)) == [False]


VERROUILLAGE = textwrap.dedent(
    """
    import json, sys
    import django
    django.setup()
    from axes.handlers.proxy import AxesProxyHandler
    from django.contrib.auth import authenticate
    from django.test import RequestFactory
    def requete():
        return RequestFactory().post("/", REMOTE_ADDR="10.9.8.7", HTTP_USER_AGENT="essai")
    for _ in range(int(sys.argv[2])):
        authenticate(requete(), username=sys.argv[1], password="mauvais mot de passe")
    print(json.dumps(AxesProxyHandler.is_locked(requete(), {"username": sys.argv[1]})))
    """
)


def _url_base_de_test():
    reglage = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{reglage['NAME']}"
    return f"postgres://{reglage['USER']}:{reglage['PASSWORD']}@{reglage['HOST']}:{reglage['PORT']}/{reglage['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_le_verrouillage_du_portail_tient_entre_deux_processus(settings):
    assert settings.AXES_HANDLER == "axes.handlers.database.AxesDatabaseHandler"
    base = {"DATABASE_URL": _url_base_de_test()}
    nom = f"{uuid.uuid4().hex}@exemple.fr"
    # the first process fails one login short of the lock-out, the second fails the last one and is locked
    assert _processus(VERROUILLAGE, nom, settings.AXES_FAILURE_LIMIT - 1, **base) is False
    assert _processus(VERROUILLAGE, nom, 1, **base) is True
