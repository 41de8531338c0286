"""The production path for mails: a real Celery worker process, on the configured broker (Redis in CI, the file
broker on the embedded default), sends what the portal queued after commit, and the sweeper catches a lost task."""

import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from chorus.celery import app as celery_app
from chorus.courriels import courriel_programmer
from chorus.mail import lire_boite
from chorus.models import Courriel, ModificationDifferee
from organisation.models import CoordonneeBancaire
from organisation.services import coordonnees
from tests.factories import StructureFactory, UtilisateurFactory

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

RACINE = Path(__file__).resolve().parent.parent


def url_base_de_test():
    d = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{d['NAME']}"
    return f"postgres://{d['USER']}:{d['PASSWORD']}@{d['HOST']}:{d['PORT'] or 5432}/{d['NAME']}"


@pytest.fixture
def worker(tmp_path, monkeypatch):
    """A worker process (with beat) on the test database, writing mails to a file mailbox."""
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    boite = tmp_path / "boite"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "chorus.settings.test",
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "DATABASE_URL": url_base_de_test(),
        "MAIL_DIR": str(boite),
        "EMAIL_BACKEND": "chorus.mail.BoiteFichiersBackend",
        "BALAYAGE_SECONDES": "2",
    }
    processus = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "chorus",
            "worker",
            "--beat",
            "--pool=solo",
            "--loglevel=WARNING",
            "--schedule",
            str(tmp_path / "beat-schedule"),
        ],
        cwd=RACINE,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        yield boite
    finally:
        processus.terminate()
        sortie, _ = processus.communicate(timeout=30)
        if processus.returncode not in (0, -15):
            print(sortie.decode(errors="replace"))


def attendre_courriels(boite, nombre, delai=30):
    fin = time.monotonic() + delai
    while time.monotonic() < fin:
        messages = lire_boite(boite)
        if len(messages) >= nombre:
            return messages
        time.sleep(0.2)
    raise AssertionError(f"{nombre} courriel(s) attendu(s), {len(lire_boite(boite))} reçu(s) en {delai} s")


def test_le_worker_envoie_le_courriel_apres_le_commit(worker):
    utilisateur = UtilisateurFactory(prenom="Wanda", nom="Worker")
    with transaction.atomic():
        courriel = courriel_programmer(
            gabarit="organisation/email/tentative_connexion",
            destinataire=utilisateur.email,
            contexte={"utilisateur": utilisateur},
        )
    (message,) = attendre_courriels(worker, 1)
    assert message.destinataires == utilisateur.email
    assert "Bonjour Wanda Worker," in message.corps
    courriel.refresh_from_db()
    assert courriel.envoye_le is not None and courriel.corps == ""


def test_le_balayeur_du_worker_rattrape_une_tache_perdue(worker):
    utilisateur = UtilisateurFactory()
    # a mail row whose task never reached the broker (process killed between commit and publish)
    perdu = Courriel.objects.create(
        gabarit="organisation/email/tentative_connexion",
        destinataire=utilisateur.email,
        objet="Chorus Pro – Tentative de connexion à votre compte",
        corps="Bonjour,\n",
    )
    Courriel.objects.filter(pk=perdu.pk).update(cree_le=perdu.cree_le.replace(year=perdu.cree_le.year - 1))
    (message,) = attendre_courriels(worker, 1, delai=30)
    assert message.destinataires == utilisateur.email


@pytest.fixture
def delai_court(settings):
    settings.MODIFICATIONS_DIFFEREES_DELAI = timedelta(seconds=3)


def attendre(condition, delai=30):
    fin = time.monotonic() + delai
    while time.monotonic() < fin:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_le_worker_applique_une_modification_differee_a_son_heure(worker, delai_court):
    structure = StructureFactory()
    gp = structure.rattachements.get().utilisateur
    with transaction.atomic():
        modification = coordonnees.coordonnee_bancaire_ajouter(
            structure=structure, par=gp, titulaire="Démo", iban="FR7630006000011234567890189"
        )
    time.sleep(1)
    assert not CoordonneeBancaire.objects.filter(structure=structure).exists()  # still pending
    assert attendre(lambda: CoordonneeBancaire.objects.filter(structure=structure).exists())
    modification.refresh_from_db()
    assert modification.statut == ModificationDifferee.Statut.APPLIQUEE
    assert modification.appliquee_le >= modification.effective_le


def test_le_balayeur_applique_une_modification_dont_la_tache_est_perdue(worker, delai_court):
    structure = StructureFactory()
    gp = structure.rattachements.get().utilisateur
    # the row exists but its task never reached the broker
    ligne = ModificationDifferee.objects.create(
        operation="coordonnee_bancaire.ajouter",
        libelle="Ajout perdu",
        content_type=ContentType.objects.get_for_model(structure),
        object_id=str(structure.pk),
        donnees={"titulaire": "Perdu", "iban": "FR7630006000011234567890189", "bic": "", "affactureur": False},
        demandee_par=gp,
        demandee_le=timezone.now(),
        effective_le=timezone.now() + timedelta(seconds=2),
    )
    assert attendre(lambda: CoordonneeBancaire.objects.filter(structure=structure, titulaire="Perdu").exists())
    ligne.refresh_from_db()
    assert ligne.statut == ModificationDifferee.Statut.APPLIQUEE
