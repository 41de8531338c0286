"""The reliability suite's frame: real worker processes (with beat) on the test database and the configured broker,
a file mailbox behind a mail server the test can break, and the books checked after each fault (livres.py)."""

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from chorus.celery import app as celery_app
from chorus.mail import lire_boite
from tests.fiabilite.serveurs import PostgresPrive, RedisPrive, django_sur, raison_sans_postgresql
from tests.test_worker import RACINE, url_base_de_test

ICI = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    for item in items:
        if Path(str(item.fspath)).is_relative_to(ICI):
            item.add_marker(pytest.mark.fiabilite)
            item.add_marker(pytest.mark.worker)
            # under pytest-xdist (`--dist loadgroup`) a module's tests stay on one worker: its private PostgreSQL and
            # Redis servers (module fixtures) are started once
            item.add_marker(pytest.mark.xdist_group(f"fiabilite-{Path(str(item.fspath)).stem}"))


class Systeme:
    """The workers of one test, its mailbox and the switches of its mail server and clock."""

    def __init__(self, dossier):
        self.dossier = dossier
        self.boite = dossier / "boite"
        self.commandes = dossier / "smtp"
        self.commandes.mkdir()
        self.horloge = dossier / "horloge"
        self.processus = []

    def demarrer(self, nom, *, beat=True, horloge=False, concurrence=None, balayage=1):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "chorus.settings.test",
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "DATABASE_URL": url_base_de_test(),
            "MAIL_DIR": str(self.boite),
            "EMAIL_BACKEND": "tests.fiabilite.boites.BoiteCommandee",
            "SMTP_COMMANDES": str(self.commandes),
            "HORLOGE_DECALAGE": str(self.horloge),
            "BALAYAGE_SECONDES": str(balayage),
        }
        entree = ["-m", "tests.fiabilite.worker_horloge"] if horloge else ["-m", "celery"]
        options = ["--pool=threads", f"--concurrency={concurrence}"] if concurrence else ["--pool=solo"]
        if beat:
            options += ["--beat", "--schedule", str(self.dossier / f"beat-{nom}")]
        journal = (self.dossier / f"worker-{nom}.log").open("wb")
        p = subprocess.Popen(
            [sys.executable, *entree, "-A", "chorus", "worker", "--loglevel=WARNING", *options],
            cwd=RACINE,
            env=env,
            stdout=journal,
            stderr=subprocess.STDOUT,
            # its own process group: the embedded beat is a child process, killed with the worker
            start_new_session=True,
        )
        self.processus.append(p)
        return p

    def tuer(self, p):
        """SIGKILL to the worker and its beat, as when the machine loses them."""
        os.killpg(p.pid, signal.SIGKILL)
        p.wait(timeout=30)

    def arreter(self):
        # the books are checked: a warm shutdown would only cost seconds per test
        for p in self.processus:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(p.pid, signal.SIGKILL)
            p.wait(timeout=30)

    def smtp(self, etat):
        """« marche », « panne » or « suspendu »."""
        for nom in ("panne", "suspendu", "atteint"):
            (self.commandes / nom).unlink(missing_ok=True)
        if etat != "marche":
            (self.commandes / etat).touch()

    def decaler_horloge(self, secondes):
        self.horloge.write_text(str(secondes))

    def courriels(self):
        """The mailbox, oldest first."""
        return list(reversed(lire_boite(self.boite, limite=100_000)))


@pytest.fixture
def systeme(tmp_path, monkeypatch):
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    s = Systeme(tmp_path)
    yield s
    s.arreter()
    for journal in sorted(tmp_path.glob("worker-*.log")):
        texte = journal.read_text(errors="replace").strip()
        if "Traceback" in texte:
            print(f"--- {journal.name}\n{texte[-4000:]}")


def attendre(condition, delai=60, pas=0.2):
    fin = time.monotonic() + delai
    while time.monotonic() < fin:
        if condition():
            return True
        time.sleep(pas)
    return False


@pytest.fixture(scope="module")
def redis_prive():
    """A redis-server of the module's own: the faults stop it, never the shared one."""
    if not shutil.which("redis-server"):
        pytest.skip("pas de redis-server pour un Redis privé")
    serveur = RedisPrive()
    yield serveur
    serveur.fermer()


@pytest.fixture
def broker_prive(redis_prive, monkeypatch, settings):
    """The test process (the portal) and the workers it starts on the private Redis, as broker and cache."""
    monkeypatch.setenv("CELERY_BROKER_URL", redis_prive.url)
    monkeypatch.setenv("CACHE_URL", redis_prive.url)
    monkeypatch.setitem(celery_app.conf, "broker_url", redis_prive.url)
    # the workers started here read chorus/settings/test.py, which prefixes the Redis keys under xdist: the same here
    xdist = os.environ.get("PYTEST_XDIST_WORKER")
    options = {"global_keyprefix": f"{xdist}:"} if xdist else {}
    monkeypatch.setitem(celery_app.conf, "broker_transport_options", options)
    monkeypatch.setattr(celery_app, "_pool", None)
    monkeypatch.setattr(celery_app.amqp, "_producer_pool", None)
    settings.CACHES = {"default": {"BACKEND": "chorus.cache.CacheRedisTolerante", "LOCATION": redis_prive.url}}
    yield redis_prive
    celery_app._pool = None  # the private pool must not outlive its server


@pytest.fixture(scope="module")
def postgres_prive():
    """A PostgreSQL cluster of the module's own, holding a copy of the test database as its template."""
    raison = raison_sans_postgresql()
    if raison:
        pytest.skip(raison)
    serveur = PostgresPrive()
    try:
        serveur.copier_base_de_test("modele")
        yield serveur
    finally:
        serveur.fermer()


@pytest.fixture
def base_privee(postgres_prive, transactional_db, request):
    """A fresh database of the private cluster (from the template) for this test: the test's own connection and
    the workers' (they read it) go there; the shared test database is given back before pytest-django flushes it."""
    nom = f"t{abs(hash(request.node.nodeid)) % 10**8}"
    postgres_prive.executer(f'DROP DATABASE IF EXISTS "{nom}"')
    postgres_prive.executer(f'CREATE DATABASE "{nom}" TEMPLATE modele')
    with django_sur(postgres_prive, nom):
        yield postgres_prive
