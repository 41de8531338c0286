"""Fault 2: the worker is killed between a status change and its mail. The change and the mail's outbox row commit
together; the worker dies inside the send, before anything leaves; the next worker's sweeper sends it, once."""

import time
from datetime import timedelta

import pytest
from django.db import transaction
from django.db.models import F

from chorus.models import Courriel
from facturation.models import Facture
from facturation.services.traitement import facture_traiter
from tests.factories import facture_deposee
from tests.fiabilite.conftest import attendre
from tests.fiabilite.livres import verifier_livres
from tests.fiabilite.outils import Circuit

pytestmark = pytest.mark.django_db(transaction=True)


def test_un_worker_tue_entre_le_changement_de_statut_et_son_courriel(systeme):
    circuit = Circuit()
    facture = facture_deposee(circuit.fournisseur, circuit.destinataire, numero="STATUT-1")
    systeme.smtp("suspendu")
    premier = systeme.demarrer("premier")
    with transaction.atomic():
        facture_traiter(facture=facture, par=circuit.agents[0], statut_cible="REJETEE", motif="Facture en double")

    assert attendre(lambda: (systeme.commandes / "atteint").exists()), "le worker n'a pas pris le courriel"
    systeme.tuer(premier)
    systeme.smtp("marche")
    assert not [m for m in systeme.courriels() if m.destinataires == "compta@fournisseur.fr"]
    assert Facture.objects.get(numero="STATUT-1").statut == "REJETEE"
    # the lost task is not redelivered before the broker's visibility timeout: the sweeper's threshold is passed
    Courriel.objects.update(cree_le=F("cree_le") - timedelta(minutes=10))

    systeme.demarrer("second")
    assert attendre(lambda: not Courriel.objects.filter(envoye_le__isnull=True).exists())
    time.sleep(2)  # more sweeps: nothing leaves twice
    (courriel,) = [m for m in systeme.courriels() if m.destinataires == "compta@fournisseur.fr"]
    assert "STATUT-1" in courriel.objet + courriel.corps
    verifier_livres("worker tué entre statut et courriel", numeros=["STATUT-1"], boite=systeme.boite)
