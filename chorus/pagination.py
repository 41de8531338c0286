"""Pages of a long list without counting it.

Django's Paginator counts every matching row before showing the first twenty: at a million invoices that count is
most of the page's time (even bounded at 10 000 rows it read 10 001 rows, ~300 ms), and an OFFSET far down the list
reads every skipped row. So a page here is one query: the page's rows plus one, which says whether a next page
exists. The number of results is shown only when it costs nothing:
- the last page is reached (fewer rows than asked): the count is the rows before it plus its own;
- the caller knows it (`total`, e.g. the per-status counters of an unfiltered list);
- the user asks for it (« Compter les résultats », `?compter=1`): one COUNT, exact, that the user chose to wait for.
Otherwise the page says « factures 1 à 20 affichées, d'autres suivent ». Pages stop at LIMITE rows (page 50 of 20):
past it the page says « plus de 1 000 factures » and asks for a narrower search (period, status, supplier, number),
which the indexes serve, or an export, which reads them all.

A page costs the same queries whatever its number: one, or two when the count is asked for.
"""

from collections import Counter
from functools import reduce
from operator import or_

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import F, IntegerField, Q, Value, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import RowNumber
from django.utils.functional import cached_property

LIMITE = 1_000
PARAMETRE_COMPTER = "compter"


class PageBornee:
    """What the templates read of a page (the part of django.core.paginator.Page the lists use)."""

    def __init__(self, paginator, numero, lignes):
        self.paginator = paginator
        self.number = numero
        self.object_list = lignes

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    def has_next(self):
        return self.paginator.suivante_existe

    def has_previous(self):
        return self.number > 1

    def has_other_pages(self):
        return self.has_next() or self.has_previous()

    def next_page_number(self):
        return self.number + 1

    def previous_page_number(self):
        return self.number - 1

    def start_index(self):
        return (self.number - 1) * self.paginator.per_page + 1 if self.object_list else 0

    def end_index(self):
        return (self.number - 1) * self.paginator.per_page + len(self.object_list)

    @property
    def voisines(self):
        """The page numbers the pager links: two before, and after up to the last known page."""
        derniere = self.paginator.num_pages or (self.number + 1 if self.has_next() else self.number)
        return list(range(max(1, self.number - 2), min(derniere, self.number + 2) + 1))


class PaginationBornee:
    """`get_page(numero)` reads the page's rows plus one; `count` is None until it is known (see the module's text).

    `compter`: count exactly (the user asked); `total`: a count the caller already has (counters), trusted as is.
    """

    limite = LIMITE

    def __init__(self, object_list, per_page, *, compter=False, total=None):
        self.object_list = object_list
        self.per_page = per_page
        self.compter = compter
        self.total = total
        self.suivante_existe = False
        self._depuis_la_page = None

    @property
    def pages_max(self):
        return max(1, self.limite // self.per_page)

    def _numero(self, numero):
        try:
            numero = int(numero)
        except (TypeError, ValueError):
            return 1
        return min(max(numero, 1), self.pages_max)

    def get_page(self, numero):
        numero = self._numero(numero)
        debut = (numero - 1) * self.per_page
        lignes = list(self.object_list[debut : debut + self.per_page + 1])
        if numero > 1 and not lignes:
            # past the end (a stale link, fewer results since): the first page rather than an empty one
            return self.get_page(1)
        plus = len(lignes) > self.per_page
        lignes = lignes[: self.per_page]
        self.suivante_existe = plus and numero < self.pages_max
        self.au_dela = plus and numero == self.pages_max
        if not plus and (lignes or numero == 1):
            self._depuis_la_page = debut + len(lignes)
        return PageBornee(self, numero, lignes)

    @cached_property
    def count(self):
        """The exact number of results, or None when only counting them would tell."""
        if self.total is not None:
            return self.total
        if self._depuis_la_page is not None:
            return self._depuis_la_page
        if self.compter:
            return self.object_list.order_by().count()
        return None

    @property
    def depasse(self):
        """More results than the pages show: the template asks for a narrower search."""
        if self.count is not None:
            return self.count > self.limite
        return getattr(self, "au_dela", False)

    @property
    def num_pages(self):
        """The last page offered, when the count is known; None otherwise."""
        if self.count is None:
            return None
        return max(1, min(-(-self.count // self.per_page), self.pages_max))


def page_demandee(request, object_list, per_page, *, total=None):
    """The page a list's GET asks for: `page`, and `compter=1` when the user asked for the number of results."""
    pagination = PaginationBornee(
        object_list, per_page, compter=request.GET.get(PARAMETRE_COMPTER) == "1", total=total
    )
    return pagination.get_page(request.GET.get("page"))


class ParBranches:
    """The rows of `base` that meet any of `conditions` (an OR of branches), read page by page as the union of the
    branches: PostgreSQL cannot walk two indexes in one order for an OR, so it fetches every matching row and sorts
    them all before the first page (113 000 rows for a large validator at 10 M invoices). The first `fin` rows of
    the union in the list's order are among the first `fin` of each branch (a row has no more rows before it in its
    branch than in the whole), so each branch gives its first `fin` ids on its own index, and the page is sorted
    from those few. The order must be total (the lists' sorts end with the primary key).

    Stands for the queryset where the paginators read it: slicing reads a page, `order_by()` (no field) gives the
    whole set to count; `lire` is the API's `paginer(lire_page=…)`."""

    def __init__(self, base, conditions):
        self.base = base
        self.conditions = list(conditions)

    def filter(self, *args, **kwargs):
        """A criterion more (the API's own filters, after the selector's): on every branch."""
        return ParBranches(self.base.filter(*args, **kwargs), self.conditions)

    def none(self):
        return self.base.none()

    def order_by(self, *ordre):
        if ordre:
            return ParBranches(self.base.order_by(*ordre), self.conditions)
        union = Q(pk__in=[])
        for condition in self.conditions:
            union |= condition
        return self.base.filter(union).order_by()

    def __getitem__(self, tranche):
        if not isinstance(tranche, slice) or tranche.stop is None or tranche.step:
            raise TypeError("ParBranches : une tranche bornée [début:fin] est attendue")
        return self._page(self.base.query.order_by, tranche.start or 0, tranche.stop)

    def lire(self, ordre, debut, fin):
        """(rows, total): the total when every branch ran out before `fin` (its ids are then the whole set)."""
        return self._page(ordre, debut, fin, avec_total=True)

    def _page(self, ordre, debut, fin, *, avec_total=False):
        branches = [self.base.filter(condition) for condition in self.conditions]
        lignes, total = page_par_branches(branches, self.base, ordre, debut, fin)
        return (lignes, total) if avec_total else lignes


def premiers_par_branche(branches, ordre, fin):
    """(id, branch's rank) of each branch's first `fin` rows in `ordre`: one UNION ALL of the branches' LIMITed
    reads. PostgreSQL runs `(SELECT … LIMIT n) UNION ALL (…)` as such; SQLite cannot order and limit the parts of a
    compound query, but can a subquery in FROM: each part is then read through one (`_union_de_sous_requetes`), still
    one query where a query per branch cost a round trip each (seven for rechercherDemandePaiement)."""
    parties = [
        qs.order_by(*ordre).annotate(rang=Value(rang, IntegerField())).values_list("pk", "rang")[:fin]
        for rang, qs in enumerate(branches)
    ]
    if len(parties) <= 1:
        return list(parties[0]) if parties else []
    if connections[parties[0].db].features.supports_slicing_ordering_in_compound:
        union = parties[0].union(*parties[1:], all=True)
        if union.query.combinator:  # (a union with empty parts is the one part left, already sliced)
            # no order for the union itself: a model's Meta.ordering would name columns the union does not select
            union = union.order_by()
        return list(union)
    return _union_de_sous_requetes(parties)


def _union_de_sous_requetes(parties):
    """`SELECT * FROM (<part>) UNION ALL SELECT * FROM (<part>) …`, each part compiled by the ORM as it would run it
    alone (its ORDER BY and LIMIT kept); a part that can match nothing (an empty list of ids) is left out."""
    connexion = connections[parties[0].db]
    sqls, parametres = [], []
    for rang, partie in enumerate(parties):
        try:
            sql, params = partie.query.get_compiler(connection=connexion).as_sql()
        except EmptyResultSet:
            continue
        sqls.append(f"SELECT * FROM ({sql}) AS partie_{rang}")  # noqa: S608 — the ORM's SQL, values as parameters
        parametres.extend(params)
    if not sqls:
        return []
    with connexion.cursor() as curseur:
        curseur.execute(" UNION ALL ".join(sqls), parametres)
        return curseur.fetchall()


def page_par_branches(branches, lecture, ordre, debut, fin):
    """(rows debut:fin of the union of `branches` in `ordre`, read through `lecture`; the union's size when every
    branch ran out before `fin`, else None)."""
    ids, par_branche = set(), Counter()
    for pk, rang in premiers_par_branche(branches, ordre, fin):
        ids.add(pk)
        par_branche[rang] += 1
    if not ids:
        return [], 0
    complet = all(n < fin for n in par_branche.values())
    return lire_les_lignes(lecture, ids, ordre, debut, fin), len(ids) if complet else None


def lire_les_lignes(lecture, ids, ordre, debut, fin):
    """Rows debut:fin in `ordre` of `lecture` among `ids`: the ids sorted first on the rows' own columns (a subquery,
    joining only what the order reads), then the page's rows read with their related rows. Joined and sorted whole,
    the last page (page 50: up to a thousand ids per branch) joined its related rows to every one of them, 73 ms at
    1 M invoices for the validators' list, where twenty are shown."""
    page = lecture.select_related(None).filter(pk__in=ids).order_by(*ordre).values("pk")[debut:fin]
    return list(lecture.filter(pk__in=page).order_by(*ordre))


def _tri(champ):
    return F(champ[1:]).desc() if champ.startswith("-") else F(champ).asc()


def premiers_par_groupe(qs, colonnes, groupes, ordre, fin):
    """[(group, pk)]: each group's first `fin` rows of `qs` in `ordre`, a group being a tuple of values of `colonnes`
    (fields or annotations of `qs`). On PostgreSQL one query, a LATERAL join of the groups to their LIMITed read:
    each group's first rows on the index that leads with its columns, whatever the number of groups (a UNION ALL of
    hundreds of parts would cost its planning). Elsewhere (SQLite, small tables) one window query: each group's rows
    ranked, the first `fin` kept."""
    groupes = [tuple(groupe) for groupe in groupes]
    if not groupes:
        return []
    if connections[qs.db].vendor != "postgresql":
        rangs = qs.annotate(
            _rang=Window(RowNumber(), partition_by=[F(c) for c in colonnes], order_by=[_tri(c) for c in ordre])
        )
        choisis = reduce(or_, (Q(**dict(zip(colonnes, groupe, strict=True))) for groupe in groupes))
        lignes = rangs.filter(choisis, _rang__lte=fin).values_list(*colonnes, "pk")
        return [(tuple(ligne[:-1]), ligne[-1]) for ligne in lignes]
    noms = [f"g{i}" for i in range(len(colonnes))]
    lecture = (
        qs.filter(**{c: RawSQL(f"g.{nom}", ()) for c, nom in zip(colonnes, noms, strict=True)})  # noqa: S611 — g0, g1…
        .order_by(*ordre)
        .values_list("pk", flat=True)[:fin]
    )
    sql, params = lecture.query.sql_with_params()
    valeurs = ", ".join(f"({', '.join(['%s'] * len(colonnes))})" for _ in groupes)
    # our column names and placeholders, and the ORM's SQL with its parameters: nothing of the caller's is spliced
    groupes_sql = f"(VALUES {valeurs}) AS g({', '.join(noms)})"
    requete = (
        f"SELECT {', '.join(f'g.{nom}' for nom in noms)}, s.id FROM {groupes_sql} CROSS JOIN LATERAL ({sql}) AS s(id)"  # noqa: S608
    )
    with connections[qs.db].cursor() as curseur:
        curseur.execute(requete, [v for groupe in groupes for v in groupe] + list(params))
        return [(tuple(ligne[:-1]), ligne[-1]) for ligne in curseur.fetchall()]
