"""Units of measure (BT-130): UN/ECE Recommendation 20 codes (and Recommendation 21 ones, prefixed X by the EN 16931
code list) with their French names, from regles/unites.csv. The XML keeps the code; people read the name."""

from decimal import Decimal, InvalidOperation
from functools import cache

from facturation.enums import lire_table


@cache
def unites():
    """{code: (singular, plural)}."""
    return {ligne["code"]: (ligne["singulier"], ligne["pluriel"]) for ligne in lire_table("unites.csv")}


def libelle_unite(code, quantite=None):
    """« pièce », « 2 » → « pièces » (French rule: below 2 is singular); an unknown code is shown as it is."""
    if not code:
        return ""
    formes = unites().get(code.strip().upper())
    if formes is None:
        return code
    try:
        pluriel = quantite is not None and abs(Decimal(str(quantite))) >= 2
    except (InvalidOperation, ValueError):
        pluriel = False
    return formes[1] if pluriel else formes[0]
