"""Periods typed as days (« déposée du … au … »), filtered on timestamps by a range the indexes can read.

`deposee_le__date__gte=jour` casts every row's timestamp to a local date (`(deposee_le AT TIME ZONE 'Europe/Paris')
::date`), which no btree on `deposee_le` serves: at 10 M invoices the « période de dépôt + statut » search read the
party's whole status range and filtered it. The same period written as bounds on the column itself,
`deposee_le >= <the day's first instant, Paris time>` and `deposee_le < <the next day's first instant>`, selects the
same rows and is a range of the index. Two lookups on every DateTimeField say it once:

    qs.filter(deposee_le__depuis_le=du, deposee_le__jusqu_au=au)

Both take a `date` (a `datetime` counts for its day, an ISO text is read) in the portal's time zone, as `__date`
did; midnight exists every day in Europe/Paris (the clocks change at 2 and 3 a.m.), so the bounds are unambiguous.
"""

import datetime

from django.db import models
from django.db.models.lookups import GreaterThanOrEqual, LessThan
from django.utils import timezone


def _jour(valeur):
    if isinstance(valeur, datetime.datetime):
        return timezone.localtime(valeur).date() if timezone.is_aware(valeur) else valeur.date()
    if isinstance(valeur, str):
        return datetime.date.fromisoformat(valeur[:10])
    return valeur


def debut_du_jour(jour):
    """The first instant of `jour` in the portal's time zone."""
    return timezone.make_aware(datetime.datetime.combine(jour, datetime.time.min))


@models.DateTimeField.register_lookup
class DepuisLeJour(GreaterThanOrEqual):
    """`champ__depuis_le=jour`: from the first instant of that day on."""

    lookup_name = "depuis_le"

    def get_prep_lookup(self):
        self.rhs = debut_du_jour(_jour(self.rhs))
        return super().get_prep_lookup()

    def get_rhs_op(self, connection, rhs):
        return connection.operators["gte"] % rhs


@models.DateTimeField.register_lookup
class JusquAuJour(LessThan):
    """`champ__jusqu_au=jour`: up to that day included, i.e. before the first instant of the next one."""

    lookup_name = "jusqu_au"

    def get_prep_lookup(self):
        self.rhs = debut_du_jour(_jour(self.rhs) + datetime.timedelta(days=1))
        return super().get_prep_lookup()

    def get_rhs_op(self, connection, rhs):
        return connection.operators["lt"] % rhs
