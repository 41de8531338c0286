"""Chorus Pro's limits (sizes, lengths, delays) as data: chorus/regles/limites.csv, read once at import.

Each row gives a code, a value, its unit and the source of the figure (a reference file and its section). The code
reads a limit by its code, typed by its unit: `octets("flux_fichier_taille_max")` is an int of bytes,
`duree("oauth_jeton_duree")` a timedelta, `nombre("pj_nom_longueur_max")` an int. The modules read their limits at
import, so a code missing from the table stops the import with a message naming the table, not a KeyError at the
first deposit. This module imports nothing of Django: the settings read it.
"""

import csv
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

FICHIER = Path(__file__).resolve().parent / "regles" / "limites.csv"

# Mo and Ko are binary, as the portal has always counted them (10 Mo = 10 × 1024 × 1024 bytes)
OCTETS_PAR_UNITE = {"octets": 1, "Ko": 1024, "Mo": 1024 * 1024}
DUREES = {"secondes": "seconds", "minutes": "minutes", "heures": "hours", "jours": "days"}
NOMBRES = frozenset({"caracteres", "chiffres", "niveaux"})


class LimiteInconnue(LookupError):
    pass


@dataclass(frozen=True)
class Limite:
    code: str
    valeur: int
    unite: str
    source: str


def lire(fichier: Path = FICHIER) -> dict[str, Limite]:
    """The table's rows by code; a malformed row (unknown unit, no source, a code twice) stops the import."""
    limites: dict[str, Limite] = {}
    with fichier.open(encoding="utf-8", newline="") as f:
        for numero, ligne in enumerate(csv.DictReader(f), start=2):
            code, unite, source = ligne["code"].strip(), ligne["unite"].strip(), ligne["source"].strip()
            if unite not in OCTETS_PAR_UNITE and unite not in DUREES and unite not in NOMBRES:
                raise ValueError(f"{fichier} ligne {numero} : unité inconnue « {unite} ».")
            if not source:
                raise ValueError(f"{fichier} ligne {numero} : la limite « {code} » n'a pas de source.")
            if code in limites:
                raise ValueError(f"{fichier} ligne {numero} : la limite « {code} » figure deux fois.")
            limites[code] = Limite(code, int(ligne["valeur"]), unite, source)
    return limites


LIMITES = lire()


def _ligne(code: str, unites) -> Limite:
    try:
        ligne = LIMITES[code]
    except KeyError:
        raise LimiteInconnue(f"Limite « {code} » absente de {FICHIER} : ajoutez-la avec sa source.") from None
    if ligne.unite not in unites:
        raise LimiteInconnue(f"Limite « {code} » : l'unité « {ligne.unite} » n'est pas attendue ici.")
    return ligne


def octets(code: str) -> int:
    ligne = _ligne(code, OCTETS_PAR_UNITE)
    return ligne.valeur * OCTETS_PAR_UNITE[ligne.unite]


def duree(code: str) -> timedelta:
    ligne = _ligne(code, DUREES)
    return timedelta(**{DUREES[ligne.unite]: ligne.valeur})


def nombre(code: str) -> int:
    return _ligne(code, NOMBRES).valeur
