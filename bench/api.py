"""Cost of an API call, measured in-process with Django's test client on the configured database and the production
password hasher (settings.PASSWORD_HASHERS, PBKDF2): N calls of `utilisateurs/v1/monCompte/recuperer/rattachements`
with the demo supplier's technical account, then a few with a wrong password, then N calls of each of the two invoice
searches, `factures/v1/rechercher/fournisseur` (the demo supplier's account) and `rechercher/recipiendaire` (the demo
commune's), page 1 with no criterion. Prints the median and p95 of the wall time, the median CPU time of this process
(the part of a call that a busy machine does not inflate by making it wait for a core; the database server's own
work is not in it), the SQL queries of one call and how many times the password hasher ran; docs/benchmarks.md keeps
the figures.

    DEBUG=1 .venv/bin/python bench/api.py                # embedded default (SQLite, file cache)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/chorus_bench DEBUG=1 .venv/bin/python bench/api.py

BENCH_TRAVAUX=1 adds the works searches (`facturesTravaux/v1/rechercher` and `rechercher/atraiter`, as the demo
supplier and as the demo commune).

BENCH_PROFIL=1 adds, for each service, where the calls' time went (pyinstrument, not in requirements:
`.venv/bin/pip install pyinstrument`).
"""

import base64
import io
import logging
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chorus.settings.base")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.contrib.auth import hashers  # noqa: E402
from django.core.cache import cache, caches  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from bench.recherches_api import AUTRES  # noqa: E402
from demo.comptes import charger_comptes  # noqa: E402
from raccordement.matelas import CLIENT_ID_DEMO, ROLE_COMPTE, SECRET_DEMO  # noqa: E402

REPETITIONS = int(os.environ.get("BENCH_REPETITIONS", 100))
# fewer than verrouillage.ECHECS_AVANT_VERROUILLAGE: the bench measures the refusal, not the lock
ECHECS = 5
SERVICE = "/cpro/utilisateurs/v1/monCompte/recuperer/rattachements"
RECHERCHES = [
    ("rechercher/fournisseur (page 1)", "/cpro/factures/v1/rechercher/fournisseur", 0),
    ("rechercher/recipiendaire (page 1)", "/cpro/factures/v1/rechercher/recipiendaire", 1),
]
# BENCH_TOUS=1: the other searches too (bench/recherches_api.py)
if os.environ.get("BENCH_TOUS") == "1":
    RECHERCHES += AUTRES
if os.environ.get("BENCH_TRAVAUX") == "1":
    RECHERCHES += [
        ("facturesTravaux/rechercher p1 (commune)", "/cpro/facturesTravaux/v1/rechercher", 1),
        ("facturesTravaux/rechercher/atraiter p1", "/cpro/facturesTravaux/v1/rechercher/atraiter", 0),
        ("facturesTravaux/rechercher/atraiter (commune)", "/cpro/facturesTravaux/v1/rechercher/atraiter", 1),
    ]
PROFIL = os.environ.get("BENCH_PROFIL") == "1"


class Compteur:
    """Counts the runs of the configured hasher's verify(), which still does its work."""

    def __init__(self):
        self.appels = 0
        self.classe = type(hashers.get_hasher())
        self.verifier = self.classe.verify

    def __enter__(self):
        compteur = self

        def verify(hasher, password, encoded):
            compteur.appels += 1
            return compteur.verifier(hasher, password, encoded)

        self.classe.verify = verify
        return self

    def __exit__(self, *exc):
        self.classe.verify = self.verifier


def entetes(client, login, mot_de_passe):
    reponse = client.post(
        "/api/oauth/token",
        {"grant_type": "client_credentials", "client_id": CLIENT_ID_DEMO, "client_secret": SECRET_DEMO},
    )
    assert reponse.status_code == 200, reponse.content
    return {
        "HTTP_AUTHORIZATION": f"Bearer {reponse.json()['access_token']}",
        "HTTP_CPRO_ACCOUNT": base64.b64encode(f"{login}:{mot_de_passe}".encode()).decode(),
    }


def appeler(client, en_tetes, service=SERVICE):
    return client.post(service, {}, content_type="application/json", **en_tetes)


def nombre_de_requetes(client, en_tetes, service=SERVICE):
    requetes = []
    with connection.execute_wrapper(lambda execute, sql, *args: requetes.append(sql) or execute(sql, *args)):
        assert appeler(client, en_tetes, service).status_code == 200
    return len(requetes)


def chronometrer(nom, client, en_tetes, repetitions, statut, service=SERVICE):
    durees, processeur = [], []
    profil = None
    if PROFIL and statut == 200:
        from pyinstrument import Profiler

        profil = Profiler(interval=0.0002)
        profil.start()
    with Compteur() as compteur:
        for _ in range(repetitions):
            debut, debut_processeur = time.perf_counter(), time.process_time()
            reponse = appeler(client, en_tetes, service)
            durees.append((time.perf_counter() - debut) * 1000)
            processeur.append((time.process_time() - debut_processeur) * 1000)
            assert reponse.status_code == statut, (reponse.status_code, reponse.content)
    if profil:
        profil.stop()
        print(profil.output_text(unicode=True, color=False))
    durees.sort()
    p95 = durees[max(int(len(durees) * 0.95) - 1, 0)]
    print(
        f"{nom:<40} {statistics.median(durees):8.2f} ms médiane  {p95:8.2f} ms p95  "
        f"{statistics.median(processeur):6.2f} ms CPU (médiane)  "
        f"{compteur.appels:4d} vérifications de mot de passe pour {repetitions} appels"
    )


def main():
    from raccordement.api.vues import DebitParCompteTechnique

    # thousands of calls of one account in a minute: the rate is still counted on each call, never reached
    DebitParCompteTechnique.rate = "1000000/min"
    setup_test_environment()
    logging.getLogger("django.request").setLevel(logging.ERROR)  # the refused calls are expected
    # the demo as `make run` loads it (invoices, works pieces, archives…): the searches run at demo size
    call_command("charger_matelas", stdout=io.StringIO())
    lignes = charger_comptes()
    compte = next(ligne for ligne in lignes if ligne["role"] == ROLE_COMPTE)
    cache.clear()  # no credential remembered from an earlier run: the first call pays the hasher
    client = Client()
    bons = entetes(client, compte["login"], compte["mot_de_passe"])
    memoire = type(caches["default"]).__name__
    print(f"base : {connection.vendor}, cache : {memoire}, hacheur : {hashers.get_hasher().algorithm}")
    requetes = []
    with connection.execute_wrapper(lambda execute, sql, *args: requetes.append(sql) or execute(sql, *args)):
        assert appeler(client, bons).status_code == 200
    print(f"premier appel : {len(requetes)} requêtes SQL")
    requetes.clear()
    with connection.execute_wrapper(lambda execute, sql, *args: requetes.append(sql) or execute(sql, *args)):
        assert appeler(client, bons).status_code == 200
    print(f"appel suivant : {len(requetes)} requêtes SQL")
    chronometrer("rattachements (bon mot de passe)", client, bons, REPETITIONS, 200)
    faux = entetes(client, compte["login"], compte["mot_de_passe"] + "x")
    chronometrer("rattachements (mauvais mot de passe)", client, faux, ECHECS, 401)
    appeler(client, bons)  # a success forgets the failures: the account is not left half-way to its lock
    comptes = [ligne for ligne in lignes if ligne["role"] == ROLE_COMPTE]
    for nom, service, rang in RECHERCHES:
        en_tetes = entetes(client, comptes[rang]["login"], comptes[rang]["mot_de_passe"])
        appeler(client, en_tetes, service)  # warm-up (the hasher, the technical user)
        print(f"{nom} : {nombre_de_requetes(client, en_tetes, service)} requêtes SQL")
        chronometrer(nom, client, en_tetes, REPETITIONS, 200, service)


if __name__ == "__main__":
    main()
