"""Countries by their French name, for the structures' forms and the invoices' addresses.

Source: donnees/pays.csv, the ISO 3166-1 alpha-2 codes with their French short names as the ISO publishes them
(« Groenland (le) », « Côte d'Ivoire (la) », « Caïmans (les Îles) »). The name shown drops the article the ISO puts
in parentheses and puts a head noun back in front: « Groenland », « Côte d'Ivoire », « Îles Caïmans ».

The list sorts as French does, without depending on the server's locale: letters first, accents ignored
(« Bélarus » before « Belgique », « Côte d'Ivoire » before « Croatie »), then accents to break ties.
"""

import csv
import re
import unicodedata
from functools import cache
from pathlib import Path

FICHIER = Path(__file__).resolve().parent / "donnees" / "pays.csv"
FRANCE = "FR"
# « Caïmans (les Îles) », « Congo (la République démocratique du) », « Réunion (La) », « Afghanistan (l') »
_ARTICLE = re.compile(r"^(?P<base>.*?)\s*\((?P<article>les|le|la|La|l')\s*(?P<tete>[^)]*)\)$")
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss"})


def nom_usuel(nom_iso):
    """« Bélarus (le) » → « Bélarus »; « Caïmans (les Îles) » → « Îles Caïmans »; « Réunion (La) » → « La Réunion »;
    a parenthesis without article stays (« Bolivie (État plurinational de) »)."""
    parties = []
    for partie in nom_iso.split("/"):
        partie = partie.strip()
        trouve = _ARTICLE.match(partie)
        if trouve is None:
            parties.append(partie)
        elif trouve["tete"]:
            parties.append(f"{trouve['tete']} {trouve['base']}")
        elif trouve["article"] == "La":  # part of the name itself
            parties.append(f"La {trouve['base']}")
        else:
            parties.append(trouve["base"])
    return " / ".join(parties)


def cle_de_tri(nom):
    """French collation without locale: base letters first (accents and case ignored), the exact form second."""
    minuscules = nom.casefold().translate(_LIGATURES)
    sans_accents = "".join(c for c in unicodedata.normalize("NFKD", minuscules) if not unicodedata.combining(c))
    return sans_accents, minuscules


@cache
def noms_iso():
    with FICHIER.open(encoding="utf-8", newline="") as fichier:
        return {ligne["code"]: ligne["nom_iso"] for ligne in csv.DictReader(fichier)}


@cache
def pays_choix():
    """[(code, French name)], France first, then in French alphabetical order."""
    noms = {code: nom_usuel(nom) for code, nom in noms_iso().items()}
    autres = sorted(
        ((code, nom) for code, nom in noms.items() if code != FRANCE), key=lambda choix: cle_de_tri(choix[1])
    )
    return [(FRANCE, noms[FRANCE]), *autres]


def nom_du_pays(code):
    return dict(pays_choix()).get(code, code)
