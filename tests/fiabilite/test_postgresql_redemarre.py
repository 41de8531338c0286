"""Fault 3: PostgreSQL restarted during a burst of deposits. The deposits the restart cuts are refused (the client
sends them again, as after a 500), the worker's task cut mid-integration leaves its flux to the sweeper, and every
invoice ends accepted once.

A private cluster (never the shared server): the test's own connection and the worker's point at a copy of the test
database there (conftest.base_privee), the broker is a private Redis."""

import threading

import pytest

from raccordement.enums import ETATS_FINAUX, EtatFlux
from raccordement.models import Flux
from tests.fiabilite.conftest import attendre
from tests.fiabilite.depots import Deposant, vieillir_flux
from tests.fiabilite.livres import verifier_livres

pytestmark = pytest.mark.django_db(transaction=True)

RAFALE = 16


def test_postgresql_redemarre_pendant_une_rafale_de_depots(systeme, base_privee, broker_prive):
    depot = Deposant("PGR")
    systeme.demarrer("un")
    redemarrage = threading.Thread(target=base_privee.redemarrer)
    for rang in range(RAFALE):
        if rang == RAFALE // 3:
            redemarrage.start()
        depot.deposer(rang)
    redemarrage.join()

    vieillir_flux()  # the flux the restart cut (deposited, or mid-integration) are the sweeper's
    assert attendre(lambda: not Flux.objects.exclude(etat__in=ETATS_FINAUX).exists(), delai=90), list(
        Flux.objects.exclude(etat__in=ETATS_FINAUX).values_list("pk", "etat")
    )
    assert set(Flux.objects.values_list("etat", flat=True)) == {EtatFlux.IN_INTEGRE}
    figures = verifier_livres("PostgreSQL redémarré pendant une rafale", numeros=depot.numeros)
    print(f"dépôts refusés pendant le redémarrage puis renvoyés : {depot.refus}")
    assert figures["acceptées"] == len(depot.numeros)
