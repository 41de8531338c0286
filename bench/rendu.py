"""Server time of the list pages at demo size (issue #16, « what remains is Python time »): the median of N requests
of the Django test client, wall and process CPU time, the query count, and on demand where the time went.

    DEBUG=1 .venv/bin/python bench/rendu.py                    # the configured database (SQLite under var/)
    DATABASE_URL=postgres://… DEBUG=1 .venv/bin/python bench/rendu.py
    RENDU_PROFIL="reçues : rechercher" …                       # pyinstrument profile of one page (installed in dev)
    RENDU_GABARITS=1 …                                         # time of each template rendered, summed per name

The demo data set must be loaded (`manage.py charger_matelas`). docs/benchmarks.md keeps the figures.
"""

import os
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chorus.settings.base")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.template.base import PartialTemplate, Template  # noqa: E402
from django.test.utils import _TestState, setup_test_environment  # noqa: E402

from bench.run import client_connecte  # noqa: E402
from organisation.matelas import COMPTES  # noqa: E402
from organisation.models import Utilisateur  # noqa: E402

REPETITIONS = int(os.environ.get("RENDU_REPETITIONS", 20))

PAGES = [
    # (name, account index in COMPTES, url)
    ("reçues : rechercher", 1, "/factures/recues/rechercher/"),
    ("reçues : synthèse", 1, "/factures/recues/"),
    ("reçues : tableau de bord", 1, "/factures/recues/tableau-de-bord/"),
    ("émises : rechercher", 0, "/factures/emises/rechercher/"),
    ("émises : arrivée", 0, "/factures/emises/"),
    ("émises : synthèse", 0, "/factures/emises/synthese/"),
    ("émises : tableau de bord", 0, "/factures/emises/tableau-de-bord/"),
]


def mesurer(nom, client, url):
    client.get(url)  # warm-up (templates, caches)
    requetes = []
    with connection.execute_wrapper(lambda execute, sql, *args: requetes.append(sql) or execute(sql, *args)):
        reponse = client.get(url)
    assert reponse.status_code == 200, (url, reponse.status_code)
    murs, cpus = [], []
    for _ in range(REPETITIONS):
        debut, debut_cpu = time.perf_counter(), time.process_time()
        client.get(url)
        murs.append((time.perf_counter() - debut) * 1000)
        cpus.append((time.process_time() - debut_cpu) * 1000)
    print(
        f"{nom:<26} {statistics.median(murs):6.1f} ms ({statistics.median(cpus):5.1f} CPU)  "
        f"{len(requetes):2d} SQL  {len(reponse.content):6d} octets"
    )


def profiler(client, url):
    from pyinstrument import Profiler

    client.get(url)
    profileur = Profiler(interval=0.0005)
    profileur.start()
    for _ in range(REPETITIONS):
        client.get(url)
    profileur.stop()
    print(profileur.output_text(unicode=True, color=False, show_all=False))


def minuter_gabarits(client, url):
    """Each Template.render, its CPU time summed per template name (nested templates counted in their parent too)."""
    durees = defaultdict(float)
    nombres = defaultdict(int)
    original = Template.render

    def render(self, context):
        debut = time.process_time()
        try:
            return original(self, context)
        finally:
            durees[self.origin.template_name] += time.process_time() - debut
            nombres[self.origin.template_name] += 1

    client.get(url)
    Template.render = render
    try:
        for _ in range(REPETITIONS):
            client.get(url)
    finally:
        Template.render = original
    for nom, duree in sorted(durees.items(), key=lambda x: -x[1])[:25]:
        print(f"  {duree * 1000 / REPETITIONS:7.2f} ms  ×{nombres[nom] // REPETITIONS:3d}  {nom}")


def main():
    setup_test_environment()
    if not os.environ.get("RENDU_SIGNAUX"):
        # A server renders templates without the test signal, through which the test client copies every template's
        # context for response.context: a cost of the measure, not of the page.
        Template._render = _TestState.saved_data.template_render
        PartialTemplate._render = _TestState.saved_data.partial_template_render
    clients = {}
    print(f"base : {connection.vendor}, médiane de {REPETITIONS} requêtes (mur, CPU du processus)")
    for nom, compte, url in PAGES:
        if compte not in clients:
            clients[compte] = client_connecte(Utilisateur.objects.get(email=COMPTES[compte].login))
        client = clients[compte]
        if os.environ.get("RENDU_PROFIL"):
            if os.environ["RENDU_PROFIL"] == nom:
                profiler(client, url)
            continue
        mesurer(nom, client, url)
        if os.environ.get("RENDU_GABARITS"):
            minuter_gabarits(client, url)


if __name__ == "__main__":
    main()
