"""Fault 5: Redis — the Celery broker and the shared cache — stopped, then back. While it is down the portal keeps
serving pages (throttles without their counts let requests through) and keeps taking deposits (their tasks, refused
by the broker, wait for the sweeper); once it is back the worker reconnects and every deposit is integrated, once.

A private redis-server (never the shared one). The issue says 60 s; the outage lasts REDIS_PANNE_SECONDES (6 by
default) so that the suite stays short: what is proven is that nothing is lost, whatever the duration."""

import os
import time

import pytest
from django.urls import reverse

from raccordement.enums import ETATS_FINAUX, EtatFlux
from raccordement.models import Flux
from tests.fiabilite.conftest import attendre
from tests.fiabilite.depots import Deposant, vieillir_flux
from tests.fiabilite.livres import verifier_livres

pytestmark = pytest.mark.django_db(transaction=True)

PANNE = float(os.environ.get("REDIS_PANNE_SECONDES", "6"))


def test_redis_arrete_puis_revenu(systeme, broker_prive, client):
    depot = Deposant("REDIS")
    systeme.demarrer("un")
    for rang in range(3):
        depot.deposer(rang)
    assert attendre(lambda: not Flux.objects.exclude(etat__in=ETATS_FINAUX).exists())

    broker_prive.arreter()
    fin = time.monotonic() + PANNE
    rang, pages = 3, 0
    while time.monotonic() < fin:
        depot.deposer(rang)
        rang += 1
        assert client.get(reverse("organisation:connexion")).status_code == 200
        # the password reset counts per address and per IP in the cache: without it, the page still answers
        reponse = client.post(reverse("organisation:mot_de_passe_oublie"), {"email": f"r{rang}@exemple.fr"})
        assert reponse.status_code == 302, reponse.status_code
        pages += 2
        time.sleep(0.5)
    en_panne = Flux.objects.filter(etat=EtatFlux.IN_RECU).count()
    assert en_panne >= 1

    broker_prive.demarrer()
    depot.deposer(rang)  # published at once: the portal's producer reconnected
    vieillir_flux()  # the flux deposited during the outage have no task: the sweeper's turn
    assert attendre(lambda: not Flux.objects.exclude(etat__in=ETATS_FINAUX).exists(), delai=90), list(
        Flux.objects.exclude(etat__in=ETATS_FINAUX).values_list("pk", "etat")
    )
    assert set(Flux.objects.values_list("etat", flat=True)) == {EtatFlux.IN_INTEGRE}
    figures = verifier_livres("Redis arrêté puis revenu", numeros=depot.numeros)
    print(f"pendant la panne ({PANNE:g} s) : {pages} pages servies, {en_panne} flux déposés sans tâche")
    assert figures["acceptées"] == len(depot.numeros)
