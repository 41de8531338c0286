"""A deposit period typed as days finds exactly the invoices deposited on those days, Paris time, whatever the hour:
the lists now filter the timestamp by a range (chorus/jours.py) instead of casting each row to a date."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.facturation.recues.test_recherche import chercher

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


def _a_paris(*args):
    return datetime.datetime(*args, tzinfo=PARIS)


@pytest.mark.parametrize(
    "jour",
    [datetime.date(2026, 1, 15), datetime.date(2026, 7, 15), datetime.date(2026, 3, 29), datetime.date(2026, 10, 25)],
    ids=["hiver", "ete", "passage-a-l-heure-d-ete", "passage-a-l-heure-d-hiver"],
)
def test_la_periode_de_depot_suit_les_jours_de_paris(client_agent, monde, jour):
    veille = jour - datetime.timedelta(days=1)
    lendemain = jour + datetime.timedelta(days=1)
    # around both midnights, where a day in UTC and a day in Paris differ by one or two hours
    monde.facture(numero="VEILLE-2359", deposee_le=_a_paris(*veille.timetuple()[:3], 23, 59, 59))
    monde.facture(numero="JOUR-0000", deposee_le=_a_paris(*jour.timetuple()[:3], 0, 0, 0))
    monde.facture(numero="JOUR-0030", deposee_le=_a_paris(*jour.timetuple()[:3], 0, 30))
    monde.facture(numero="JOUR-2359", deposee_le=_a_paris(*jour.timetuple()[:3], 23, 59, 59))
    monde.facture(numero="LENDEMAIN-0000", deposee_le=_a_paris(*lendemain.timetuple()[:3], 0, 0, 0))

    le_jour = chercher(client_agent, depot_du=jour.isoformat(), depot_au=jour.isoformat())
    assert sorted(le_jour) == ["JOUR-0000", "JOUR-0030", "JOUR-2359"]
    assert sorted(chercher(client_agent, depot_au=veille.isoformat())) == ["VEILLE-2359"]
    assert sorted(chercher(client_agent, depot_du=lendemain.isoformat())) == ["LENDEMAIN-0000"]
    assert len(chercher(client_agent, depot_du=veille.isoformat(), depot_au=lendemain.isoformat())) == 5
