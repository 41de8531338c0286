"""Which message of « Mes messages » goes with which portal event: regles/evenements.csv, one row per mail gabarit.

The services that mail a user on an event name the same gabarit and pass the same context, so a mail and its message
say the same thing. Titles, texts and links are Django template strings; they are rendered once per event (not per
recipient) and stored as plain text, escaped when the page shows them.
"""

import csv
from functools import cache
from pathlib import Path

from django.template import engines

from communication.enums import CategorieNotification

FICHIER = Path(__file__).parent / "regles" / "evenements.csv"


@cache
def catalogue():
    with FICHIER.open(encoding="utf-8", newline="") as fichier:
        lignes = list(csv.DictReader(fichier))
    return {ligne["gabarit"]: ligne for ligne in lignes}


@cache
def _gabarit(texte):
    # plain text kept as such: the list page escapes it, like every other value it shows
    return engines["django"].from_string("{% autoescape off %}" + texte + "{% endautoescape %}")


def _rendre(texte, contexte):
    return " ".join(_gabarit(texte).render(contexte).split())


def rendre(gabarit, contexte):
    """The categorie, titre, texte and lien of the event `gabarit`; KeyError if the table does not know it."""
    ligne = catalogue()[gabarit]
    return {
        "categorie": CategorieNotification(ligne["categorie"]),
        "titre": _rendre(ligne["titre"], contexte),
        "texte": _rendre(ligne["texte"], contexte),
        "lien": _rendre(ligne["lien"], contexte),
    }
