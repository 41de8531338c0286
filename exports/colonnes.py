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

from django.utils import timezone

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


def choix(enumeration):
    """A column function giving a TextChoices' label (the value itself when unknown)."""
    libelles_choix = dict(enumeration.choices)
    return lambda valeur: libelles_choix.get(valeur, valeur)


def cellule_valideur(raison_sociale, date):
    """« Raison sociale (dd/mm/yyyy) »: the « Valideur 1/2 (date de validation) » cells Chorus Pro added in 07/2024."""
    if raison_sociale is None:
        return ""
    if date is None:
        return raison_sociale
    return f"{raison_sociale} ({timezone.localtime(date):%d/%m/%Y})"
