"""Pages of a long list without counting it whole.

Django's Paginator counts every matching row before showing the first twenty: at a million invoices that count is
most of the page's time, and an OFFSET far down the list reads every skipped row. Large portals say « plus de
10 000 » instead: `PaginationBornee` counts at most LIMITE + 1 rows (a bounded subquery the index answers), and
pages beyond LIMITE rows are not offered — the page says to narrow the search (a period, a status, a supplier).
"""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

LIMITE = 10_000


class PaginationBornee(Paginator):
    """`total`: the number of rows when the caller knows it without counting them (a whole space, from the
    invoices' counters): no count query at all then."""

    limite = LIMITE

    def __init__(self, object_list, per_page, *args, total=None, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.total = total

    @cached_property
    def compte_borne(self):
        if self.total is not None:
            return min(self.total, self.limite + 1)
        # only the ids, unordered, at most limite + 1 of them: SELECT COUNT(*) FROM (SELECT id … LIMIT 10001)
        return self.object_list.order_by().values("pk")[: self.limite + 1].count()

    @property
    def depasse(self):
        """More rows than the pages show: the template says « plus de 10 000 » and asks for a narrower search."""
        return self.compte_borne > self.limite

    @cached_property
    def count(self):
        return min(self.compte_borne, self.limite)
