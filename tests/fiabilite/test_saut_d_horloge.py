"""Fault 10: the worker's clock steps (NTP) back and forward around a delayed change and a 7-day reminder. Nothing
is applied before its time as the worker sees it, and nothing twice when the clock passes the same hour again."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from chorus.models import ModificationDifferee
from organisation.models import CoordonneeBancaire
from tests.fiabilite.conftest import attendre
from tests.fiabilite.livres import verifier_livres
from tests.fiabilite.outils import modification_programmer
from tests.fiabilite.test_beat_double import pieces_chez_la_moe
from travaux.models import RelanceMoe

pytestmark = pytest.mark.django_db(transaction=True)

HEURE, JOUR = 3600, 86400


def test_un_saut_d_horloge_n_avance_ni_ne_double_rien(systeme, settings):
    (piece,) = pieces_chez_la_moe(6, nombre=1)  # within its 7 days
    systeme.decaler_horloge(-HEURE)  # the worker's clock is an hour behind
    modification, structure_iban = modification_programmer(settings, 2)
    systeme.demarrer("worker", horloge=True)
    time.sleep(5)  # due for the test, not for the worker
    assert not CoordonneeBancaire.objects.filter(structure=structure_iban).exists()
    assert not RelanceMoe.objects.exists()

    systeme.decaler_horloge(0)  # stepped forward: the change is due
    assert attendre(lambda: CoordonneeBancaire.objects.filter(structure=structure_iban).exists())

    systeme.decaler_horloge(2 * JOUR)  # two days on: the piece is at its 8th day, reminded once
    assert attendre(lambda: len(systeme.courriels()) >= 2)
    systeme.decaler_horloge(0)  # back: within the deadline again
    time.sleep(3)
    systeme.decaler_horloge(2 * JOUR)  # the same day again: its reminder already went
    time.sleep(3)

    assert list(RelanceMoe.objects.filter(piece=piece).values_list("jour", flat=True)) == [
        timezone.localdate() + timedelta(days=2)
    ]
    assert CoordonneeBancaire.objects.filter(structure=structure_iban).count() == 1
    modification.refresh_from_db()
    assert modification.statut == ModificationDifferee.Statut.APPLIQUEE
    verifier_livres("saut d'horloge", numeros=[piece.facture.numero], boite=systeme.boite, courriels_attendus=2)
