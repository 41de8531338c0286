"""Cost of an API call, measured in-process with Django's test client on the configured database and the production
password hasher (settings.PASSWORD_HASHERS, PBKDF2), at demo size (the demo as `make run` loads it): N calls of
`utilisateurs/v1/monCompte/recuperer/rattachements` with the demo supplier's technical account, then a few with a
wrong password, then N calls of each typical service of the API's groups (`APPELS`: the invoice searches and
consultations, rechercher/demandePaiement, the structures' search and consultation, a referential, the legal
commitments), each with the demo account that has rows to see. Prints, per service, the median and
p95 of the wall time, the median CPU time of this process (the part of a call that a busy machine does not inflate by
making it wait for a core; the database server's own work is not in it), the SQL queries of one call and how many
times the password hasher ran; the last line reads `api: worst p95 <ms> ms (<service>)` over the successful calls.
docs/benchmarks.md keeps the figures.

    DEBUG=1 .venv/bin/python bench/api.py                # embedded default (SQLite, file cache)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/chorus_bench DEBUG=1 .venv/bin/python bench/api.py

BENCH_TOUS=1 adds the other invoice searches (bench/recherches_api.py); BENCH_TRAVAUX=1 the works searches
(`facturesTravaux/v1/rechercher` and `rechercher/atraiter`, as the demo supplier and as the demo commune).
BENCH_SERVICES=<text> keeps the services whose name contains it.

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
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chorus.settings.base")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.contrib.auth import hashers  # noqa: E402
from django.core.cache import cache, caches  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import close_old_connections, connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from bench.recherches_api import AUTRES  # noqa: E402
from demo.comptes import charger_comptes  # noqa: E402
from raccordement.matelas import CLIENT_ID_DEMO, ROLE_COMPTE, SECRET_DEMO  # noqa: E402

REPETITIONS = int(os.environ.get("BENCH_REPETITIONS", 100))
# fewer than verrouillage.ECHECS_AVANT_VERROUILLAGE: the bench measures the refusal, not the lock
ECHECS = 5
SERVICE = "/cpro/utilisateurs/v1/monCompte/recuperer/rattachements"
FACTURES = "/cpro/factures/v1"
# The typical call of each group (name, path, account: 0 the demo supplier, 1 the demo commune, body from `Demo`).
APPELS = [
    ("monCompte/recuperer/rattachements", SERVICE, 0, lambda demo: {}),
    ("factures/rechercher/fournisseur p1", f"{FACTURES}/rechercher/fournisseur", 0, lambda demo: {}),
    ("factures/rechercher/recipiendaire p1", f"{FACTURES}/rechercher/recipiendaire", 1, lambda demo: {}),
    ("factures/rechercher/demandePaiement p1", f"{FACTURES}/rechercher/demandePaiement", 1, lambda demo: {}),
    ("factures/consulter/fournisseur", f"{FACTURES}/consulter/fournisseur", 0, lambda demo: demo.facture),
    ("factures/consulter/recipiendaire", f"{FACTURES}/consulter/recipiendaire", 1, lambda demo: demo.facture),
    ("factures/consulter/historique", f"{FACTURES}/consulter/historique", 0, lambda demo: demo.facture),
    (
        "structures/rechercher",
        "/cpro/structures/v1/rechercher",
        0,
        lambda demo: {"structure": {"raisonSocialeStructure": "Commune"}},
    ),
    ("structures/consulter", "/cpro/structures/v1/consulter", 0, lambda demo: {"idStructureCPP": demo.commune}),
    (
        "structures/rechercher/services",
        "/cpro/structures/v1/rechercher/services",
        0,
        lambda demo: {"idStructure": demo.commune},
    ),
    ("engagementsJuridiques/rechercher", "/cpro/engagementsJuridiques/v1/rechercher", 1, lambda demo: {}),
    ("transverses/recuperer/pays", "/cpro/transverses/v1/recuperer/pays", 0, lambda demo: {}),
]
# BENCH_TOUS=1: the other searches too (bench/recherches_api.py)
if os.environ.get("BENCH_TOUS") == "1":
    APPELS += [(nom, chemin, rang, lambda demo: {}) for nom, chemin, rang in AUTRES if "demandePaiement" not in chemin]
if os.environ.get("BENCH_TRAVAUX") == "1":
    APPELS += [
        ("facturesTravaux/rechercher p1 (commune)", "/cpro/facturesTravaux/v1/rechercher", 1, lambda demo: {}),
        ("facturesTravaux/rechercher/atraiter p1", "/cpro/facturesTravaux/v1/rechercher/atraiter", 0, lambda demo: {}),
        (
            "facturesTravaux/rechercher/atraiter (commune)",
            "/cpro/facturesTravaux/v1/rechercher/atraiter",
            1,
            lambda demo: {},
        ),
    ]
if filtre := os.environ.get("BENCH_SERVICES"):
    APPELS = [appel for appel in APPELS if filtre in appel[0]]
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


@dataclass(frozen=True)
class Demo:
    """The demo's ids the bodies name: an invoice the demo supplier sent to the demo commune, and the commune."""

    facture: dict
    commune: int


def appeler(client, en_tetes, service=SERVICE, corps=None):
    reponse = client.post(service, corps or {}, content_type="application/json", **en_tetes)
    # what a WSGI server does at the end of a request, and Django's test client does not: the connection is closed
    # or kept as DB_CONN_MAX_AGE says (a new PostgreSQL connection is part of a call's cost in production)
    close_old_connections()
    return reponse


def nombre_de_requetes(client, en_tetes, service=SERVICE, corps=None):
    requetes = []
    with connection.execute_wrapper(lambda execute, sql, *args: requetes.append(sql) or execute(sql, *args)):
        reponse = appeler(client, en_tetes, service, corps)
        assert reponse.status_code == 200, (service, reponse.status_code, reponse.content)
    return len(requetes)


def chronometrer(nom, client, en_tetes, repetitions, statut, service=SERVICE, corps=None):
    """Times `repetitions` calls and prints their line; returns the p95 of the wall time (ms)."""
    durees, processeur = [], []
    profil = None
    if PROFIL and statut == 200:
        from pyinstrument import Profiler

        profil = Profiler(interval=0.0002)
        profil.start()
    with Compteur() as compteur:
        for _ in range(repetitions):
            debut, debut_processeur = time.perf_counter(), time.process_time()
            reponse = appeler(client, en_tetes, service, corps)
            durees.append((time.perf_counter() - debut) * 1000)
            processeur.append((time.process_time() - debut_processeur) * 1000)
            assert reponse.status_code == statut, (reponse.status_code, reponse.content)
    if profil:
        profil.stop()
        print(profil.output_text(unicode=True, color=False))
    durees.sort()
    p95 = durees[max(int(len(durees) * 0.95) - 1, 0)]
    print(
        f"{nom:<46} {statistics.median(durees):8.2f} ms médiane  {p95:8.2f} ms p95  "
        f"{statistics.median(processeur):6.2f} ms CPU (médiane)  "
        f"{compteur.appels:4d} vérifications de mot de passe pour {repetitions} appels"
    )
    return p95


def demo(comptes):
    from facturation.enums import StatutFacture
    from facturation.models import Facture
    from raccordement.models import CompteTechnique

    fournisseur, commune = (CompteTechnique.objects.get(login=comptes[rang]["login"]).structure_id for rang in (0, 1))
    facture = (
        Facture.objects.filter(fournisseur_id=fournisseur, destinataire_id=commune)
        .exclude(statut=StatutFacture.BROUILLON)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    return Demo(facture={"idFacture": facture}, commune=commune)


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
    print(f"premier appel : {nombre_de_requetes(client, bons)} requêtes SQL")
    print(f"appel suivant : {nombre_de_requetes(client, bons)} requêtes SQL")
    faux = entetes(client, compte["login"], compte["mot_de_passe"] + "x")
    chronometrer("rattachements (mauvais mot de passe)", client, faux, ECHECS, 401)
    appeler(client, bons)  # a success forgets the failures: the account is not left half-way to its lock
    comptes = [ligne for ligne in lignes if ligne["role"] == ROLE_COMPTE]
    ids = demo(comptes)
    pires = []
    for nom, service, rang, corps in APPELS:
        corps = corps(ids)
        en_tetes = entetes(client, comptes[rang]["login"], comptes[rang]["mot_de_passe"])
        appeler(client, en_tetes, service, corps)  # warm-up (the hasher, the technical user)
        print(f"{nom} : {nombre_de_requetes(client, en_tetes, service, corps)} requêtes SQL")
        pires.append((chronometrer(nom, client, en_tetes, REPETITIONS, 200, service, corps), nom))
    p95, nom = max(pires)
    print(f"api: worst p95 {p95:.1f} ms ({nom})")


if __name__ == "__main__":
    main()
