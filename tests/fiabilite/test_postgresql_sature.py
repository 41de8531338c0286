"""Fault 4: PostgreSQL refusing connections (max_connections reached) for a while, during deposits and integration.
New connections are refused (« too many clients »): the deposits are sent again by the client, the worker's tasks
that could not connect leave their flux to the sweeper; once connections are free again every invoice is accepted,
once.

A private cluster (never the shared server), started with a small max_connections that the test fills itself. The
issue says 30 s; the saturation lasts PG_SATURE_SECONDES (5 by default) to keep the suite short."""

import os
import threading
import time

import psycopg
import pytest
from django.db import connections

from raccordement.enums import ETATS_FINAUX, EtatFlux
from raccordement.models import Flux
from tests.fiabilite.conftest import attendre
from tests.fiabilite.depots import Deposant, vieillir_flux
from tests.fiabilite.livres import verifier_livres

pytestmark = pytest.mark.django_db(transaction=True)

SATURATION = float(os.environ.get("PG_SATURE_SECONDES", "5"))


def remplir(serveur):
    """Every free connection slot of the cluster, taken: returns them, to be closed to end the fault."""
    prises = []
    while True:
        try:
            prises.append(psycopg.connect(serveur.url("postgres"), autocommit=True, connect_timeout=5))
        except psycopg.OperationalError as erreur:
            assert "too many clients" in str(erreur), erreur
            return prises


def test_postgresql_refuse_les_connexions(systeme, base_privee, broker_prive):
    depot = Deposant("PGS")
    systeme.demarrer("un")
    for rang in range(3):
        depot.deposer(rang)
    connections.close_all()  # the portal's connection too: its next request asks for a new one
    prises = remplir(base_privee)  # while the worker integrates what was just deposited
    liberation = threading.Timer(SATURATION, lambda: [prise.close() for prise in prises])
    liberation.start()
    debut = time.monotonic()
    for rang in range(3, 6):
        depot.deposer(rang)  # refused until the slots free up, sent again
    attente = time.monotonic() - debut
    liberation.join()

    vieillir_flux()
    assert attendre(lambda: not Flux.objects.exclude(etat__in=ETATS_FINAUX).exists(), delai=90), list(
        Flux.objects.exclude(etat__in=ETATS_FINAUX).values_list("pk", "etat")
    )
    assert set(Flux.objects.values_list("etat", flat=True)) == {EtatFlux.IN_INTEGRE}
    figures = verifier_livres("PostgreSQL saturé (max_connections)", numeros=depot.numeros)
    print(f"saturation de {SATURATION:g} s : {len(prises)} connexions prises, {depot.refus} dépôts refusés")
    assert depot.refus > 0 and attente >= SATURATION * 0.8
    assert figures["acceptées"] == len(depot.numeros)
