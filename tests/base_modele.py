"""One migrated test database per run, copied by each pytest-xdist worker, instead of each worker migrating its own.

Migrating from scratch costs about 15 s of CPU (SQLite) per worker. Under xdist the first worker to take the lock
migrates a model database (`test_…_modele` on PostgreSQL, `var/test/modele.sqlite3` on SQLite) once per run (the run's
PYTEST_XDIST_TESTRUNUID, written next to it, says it is this run's); every worker then copies it into its own test
database (CREATE DATABASE … TEMPLATE, or SQLite's backup) and pytest-django opens it as an existing one: its
`migrate` finds nothing to apply. The model is migrated as pytest-django migrates a test database (create_test_db),
so what a test sees is the same (issue #17).
"""

import fcntl
import os
import sqlite3
import time
import warnings
from contextlib import contextmanager
from pathlib import Path

from django.db import connections


def en_parallele():
    """Several xdist workers share this run: the copy saves a migration per worker beyond the first."""
    return int(os.environ.get("PYTEST_XDIST_WORKER_COUNT") or 0) > 1


@contextmanager
def _verrou(chemin):
    with open(chemin, "a") as fichier:
        fcntl.flock(fichier, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fichier, fcntl.LOCK_UN)


def _nom_du_modele(connexion, dossier):
    if connexion.vendor == "sqlite":
        return str(dossier / "modele.sqlite3")
    return f"test_{connexion.settings_dict['NAME']}_modele"


def _migrer_le_modele(connexion, nom):
    """The model migrated by Django's own create_test_db, then the connection given back its settings."""
    nom_d_origine, test_d_origine = connexion.settings_dict["NAME"], dict(connexion.settings_dict["TEST"])
    connexion.settings_dict["TEST"]["NAME"] = nom
    try:
        connexion.creation.create_test_db(verbosity=0, autoclobber=True)
    finally:
        connexion.close()
        connexion.settings_dict["NAME"], connexion.settings_dict["TEST"] = nom_d_origine, test_d_origine


def _copier(connexion, modele, cible):
    if connexion.vendor == "sqlite":
        Path(cible).unlink(missing_ok=True)
        with sqlite3.connect(modele) as source, sqlite3.connect(cible) as copie:
            source.backup(copie)
        return
    quoter = connexion.ops.quote_name
    for essai in range(10):
        try:
            with connexion.creation._nodb_cursor() as curseur:
                curseur.execute(f"DROP DATABASE IF EXISTS {quoter(cible)}")
                curseur.execute(f"CREATE DATABASE {quoter(cible)} TEMPLATE {quoter(modele)}")
            return
        except Exception:
            # « source database is being accessed by other users »: another worker's copy starting at this instant
            if essai == 9:
                raise
            time.sleep(0.5)


def preparer_les_bases(dossier):
    """Each test database of this worker, a copy of this run's model (migrated here if no worker did yet)."""
    dossier.mkdir(parents=True, exist_ok=True)
    execution = os.environ.get("PYTEST_XDIST_TESTRUNUID", "")
    for connexion in connections.all():
        modele = _nom_du_modele(connexion, dossier)
        marque = dossier / f"modele-{connexion.alias}-{connexion.vendor}.execution"
        with _verrou(dossier / "modele.verrou"):
            if not marque.is_file() or marque.read_text() != execution:
                _migrer_le_modele(connexion, modele)
                marque.write_text(execution)
        _copier(connexion, modele, connexion.creation._get_test_db_name())


def supprimer_les_bases():
    """At the session's end, what pytest-django does without --reuse-db: this worker's copies dropped."""
    for connexion in connections.all():
        nom = connexion.settings_dict["NAME"]
        connexion.close()
        try:
            connexion.creation._destroy_test_db(nom, verbosity=0)
        except Exception as erreur:  # as pytest-django: a database left behind is no failure of the suite
            warnings.warn(f"base de test {nom} non supprimée : {erreur!r}", stacklevel=1)
