"""Private servers for the faults that stop, restart or fill PostgreSQL and Redis: the shared ones (127.0.0.1:5432
and :6379) serve other test runs and are never touched. Each module starts its own cluster (initdb, as the postgres
user: initdb refuses root) or redis-server on a free port, and the test points the portal at it."""

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg
from django.db import connection, connections

BIN_PG = next(iter(sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)), None)


def port_libre():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _en_postgres(*commande, **options):
    """As the postgres user when we are root (initdb and postgres refuse root), else as ourselves."""
    if os.geteuid() == 0:
        commande = ("runuser", "-u", "postgres", "--", *commande)
    return subprocess.run(commande, check=True, capture_output=True, **options)


def raison_sans_postgresql():
    if not BIN_PG:
        return "pas de binaires PostgreSQL (/usr/lib/postgresql/*/bin) pour un serveur privé"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "pas d'utilisateur postgres pour lancer un serveur privé"
    if connection.vendor != "postgresql":
        return (
            "PostgreSQL seulement : sur SQLite (le défaut embarqué) il n'y a pas de serveur PostgreSQL à arrêter "
            "ni à sauvegarder par pg_dump"
        )
    return None


class PostgresPrive:
    """A throw-away cluster: trust authentication, its own port, `max_connections` small enough to fill."""

    def __init__(self, max_connexions=40):
        self.dossier = Path(tempfile.mkdtemp(prefix="chorus-pg-"))
        self.donnees = self.dossier / "donnees"
        self.journal = self.dossier / "journal"
        self.port = port_libre()
        self.max_connexions = max_connexions
        if os.geteuid() == 0:
            shutil.chown(self.dossier, "postgres", "postgres")
        _en_postgres(f"{BIN_PG}/initdb", "-D", str(self.donnees), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        self.demarrer()

    def demarrer(self):
        options = f"-p {self.port} -k {self.dossier} -c listen_addresses=127.0.0.1 -c fsync=off"
        options += f" -c max_connections={self.max_connexions} -c superuser_reserved_connections=0"
        _en_postgres(
            f"{BIN_PG}/pg_ctl", "-D", str(self.donnees), "-o", options, "-l", str(self.journal), "-w", "start"
        )

    def arreter(self):
        _en_postgres(f"{BIN_PG}/pg_ctl", "-D", str(self.donnees), "-m", "fast", "-w", "stop")

    def redemarrer(self):
        # -l as at start: without it the new postmaster would keep the pipe of this call open
        _en_postgres(
            f"{BIN_PG}/pg_ctl", "-D", str(self.donnees), "-l", str(self.journal), "-m", "fast", "-w", "restart"
        )

    def url(self, base):
        return f"postgres://postgres@127.0.0.1:{self.port}/{base}"

    def executer(self, sql, base="postgres"):
        with psycopg.connect(self.url(base), autocommit=True) as c:
            c.execute(sql)

    def copier_base_de_test(self, base):
        """The test database as pytest-django made it (schema and reference rows), into `base` here."""
        d = connection.settings_dict
        source = f"postgres://{d['USER']}:{d['PASSWORD']}@{d['HOST']}:{d['PORT'] or 5432}/{d['NAME']}"
        self.executer(f'CREATE DATABASE "{base}"')
        dump = subprocess.run(["pg_dump", "-Fc", "--no-owner", source], check=True, capture_output=True).stdout
        subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", "-d", self.url(base)], input=dump, check=True)

    def fermer(self):
        with contextlib.suppress(subprocess.CalledProcessError):
            self.arreter()
        shutil.rmtree(self.dossier, ignore_errors=True)


@contextlib.contextmanager
def django_sur(prive, base):
    """The default connection (the test's own, and the workers', which read it) on `base` of the private cluster."""
    connections.close_all()
    origine = dict(connection.settings_dict)
    connection.settings_dict.update(HOST="127.0.0.1", PORT=str(prive.port), NAME=base, USER="postgres", PASSWORD="")
    try:
        yield
    finally:
        connections.close_all()
        connection.settings_dict.clear()
        connection.settings_dict.update(origine)


class RedisPrive:
    def __init__(self):
        self.dossier = Path(tempfile.mkdtemp(prefix="chorus-redis-"))
        self.port = port_libre()
        self.processus = None
        self.demarrer()

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def demarrer(self):
        self.processus = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            cwd=self.dossier,
            stdout=(self.dossier / "journal").open("ab"),
            stderr=subprocess.STDOUT,
        )
        fin = time.monotonic() + 10
        while time.monotonic() < fin:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=1):
                return
            time.sleep(0.05)
        raise RuntimeError("redis-server privé injoignable")

    def arreter(self):
        self.processus.terminate()
        self.processus.wait(timeout=10)

    def fermer(self):
        if self.processus.poll() is None:
            self.arreter()
        shutil.rmtree(self.dossier, ignore_errors=True)
