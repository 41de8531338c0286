"""Fault 2, the portal's side: the process that changed an invoice's status dies right after the commit, before its
after-commit work (the supplier's lifecycle message, the mail's task). The sweepers write and send them, once."""

import os
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from chorus.models import Courriel
from facturation.models import Facture, FactureHistorique
from raccordement.models import FicheRaccordement, MessageCycleVie
from tests.fiabilite.conftest import attendre
from tests.fiabilite.livres import verifier_livres
from tests.fiabilite.outils import Circuit
from tests.fiabilite.test_deux_agents import factures_de_flux
from tests.test_worker import RACINE, url_base_de_test

pytestmark = pytest.mark.django_db(transaction=True)


def test_un_processus_tue_apres_le_commit_d_un_changement_de_statut(systeme):
    circuit = Circuit()
    facture = factures_de_flux(circuit, nombre=1)[0]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "chorus.settings.test", "DATABASE_URL": url_base_de_test()}
    agent = subprocess.run(
        [sys.executable, "-m", "tests.fiabilite.agent_tue", str(facture.pk), str(circuit.agents[0].pk), "REJETEE"],
        cwd=RACINE,
        env=env,
        capture_output=True,
        timeout=120,
    )
    assert agent.returncode == -9, agent.stderr.decode(errors="replace")[-2000:]
    assert Facture.objects.get(pk=facture.pk).statut == "REJETEE"  # committed
    assert not MessageCycleVie.objects.filter(facture=facture, statut="REJETEE").exists()  # its message was not

    # later than the sweepers' thresholds
    with transaction.atomic():
        FicheRaccordement.objects.update(cree_le=F("cree_le") - timedelta(minutes=10))
        FactureHistorique.objects.filter(facture=facture).update(le=F("le") - timedelta(minutes=10))
        MessageCycleVie.objects.filter(facture=facture).update(date_statut=F("date_statut") - timedelta(minutes=10))
        Courriel.objects.update(cree_le=F("cree_le") - timedelta(minutes=10))
    systeme.demarrer("worker")
    assert attendre(lambda: MessageCycleVie.objects.filter(facture=facture, statut="REJETEE").exists())
    assert attendre(lambda: not Courriel.objects.filter(envoye_le__isnull=True).exists())
    time.sleep(2)  # more sweeps: nothing twice
    assert MessageCycleVie.objects.filter(facture=facture).count() == 2
    assert timezone.now() - MessageCycleVie.objects.get(statut="REJETEE").date_statut > timedelta(minutes=9)
    verifier_livres(
        "processus tué après le commit", numeros=[facture.numero], boite=systeme.boite, courriels_attendus=1
    )
