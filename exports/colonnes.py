"""An export's columns read from `values_list()`: each column names the fields it needs and, if it needs more than
the raw value, a function of those values. The rows are tuples fetched in chunks (`iterator`), never model
instances, and nothing is queried per row: the query count is the same for 10 rows or 100 000.

    COLONNES = [
        Colonne("Numéro de facture", "numero"),
        Colonne("Destinataire", "destinataire__raison_sociale"),
        Colonne("Montant TTC", "total_ttc", "devise", valeur=arrondir),
    ]
    for valeurs in valeurs_lignes(queryset, COLONNES): ...
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Func, TextField, Value, When
from django.db.models.functions import Coalesce, Concat
from django.db.models.lookups import IsNull
from django.utils import timezone

from chorus.sql import dans_table

TAILLE_LOT = 2000


@dataclass(frozen=True)
class Colonne:
    libelle: str
    champs: tuple[str, ...]
    # f(*values of `champs`) -> the cell's value; None: the single field's value as it is
    valeur: Callable[..., Any] | None = None

    def __init__(self, libelle, *champs, valeur=None):
        object.__setattr__(self, "libelle", libelle)
        object.__setattr__(self, "champs", champs)
        object.__setattr__(self, "valeur", valeur)


@dataclass
class _Plan:
    champs: list[str] = field(default_factory=list)
    # per column: (index, None) for a raw field, (indexes, function) otherwise
    lecteurs: list[tuple] = field(default_factory=list)


def _plan(colonnes):
    plan = _Plan()
    position = {}
    for colonne in colonnes:
        indices = []
        for champ in colonne.champs:
            if champ not in position:
                position[champ] = len(plan.champs)
                plan.champs.append(champ)
            indices.append(position[champ])
        if colonne.valeur is None:
            plan.lecteurs.append((indices[0], None))
        else:
            plan.lecteurs.append((tuple(indices), colonne.valeur))
    return plan


def libelles(colonnes):
    return [colonne.libelle for colonne in colonnes]


def valeurs_lignes(queryset, colonnes, taille_lot=TAILLE_LOT):
    """One list of cell values per row of `queryset` (its filters, annotations and order kept)."""
    plan = _plan(colonnes)
    lecteurs = plan.lecteurs
    for ligne in queryset.values_list(*plan.champs).iterator(chunk_size=taille_lot):
        yield [ligne[i] if f is None else f(*[ligne[j] for j in i]) for i, f in lecteurs]


def sql_jumeau(sql):
    """Give a column function its SQL twin: sql(*expressions of its fields) -> an expression computing the same cell in
    PostgreSQL, for the COPY export (exports.copie). A function without one keeps its export on the Python path."""

    def donner(fonction):
        fonction.sql = sql
        return fonction

    return donner


def date_heure_locale(expression, format_pg):
    """A timestamp as text in the current time zone (Python: localtime(), then the same digits)."""
    locale = Func(Value(timezone.get_current_timezone_name()), expression, function="timezone")
    return Func(locale, Value(format_pg), function="to_char", output_field=TextField())


class choix:  # noqa: N801 (used as a function: valeur=choix(StatutFacture))
    """A column function giving a TextChoices' label (the value itself when unknown)."""

    def __init__(self, enumeration):
        self.libelles = dict(enumeration.choices)

    def __call__(self, valeur):
        return self.libelles.get(valeur, valeur)

    def sql(self, valeur):
        return Coalesce(dans_table(self.libelles, valeur), valeur, output_field=TextField())


@sql_jumeau(lambda valeur: valeur)  # NULL and "" are both an empty cell
def ou_vide(valeur):
    return valeur or ""


def _valideur_sql(raison_sociale, date):
    return Case(
        When(IsNull(raison_sociale, True), then=Value("")),
        When(IsNull(date, True), then=raison_sociale),
        default=Concat(
            raison_sociale, Value(" ("), date_heure_locale(date, "DD/MM/YYYY"), Value(")"), output_field=TextField()
        ),
        output_field=TextField(),
    )


@sql_jumeau(_valideur_sql)
def cellule_valideur(raison_sociale, date):
    """« Raison sociale (dd/mm/yyyy) »: the « Valideur 1/2 (date de validation) » cells Chorus Pro added in 07/2024."""
    if raison_sociale is None:
        return ""
    if date is None:
        return raison_sociale
    return f"{raison_sociale} ({timezone.localtime(date):%d/%m/%Y})"
