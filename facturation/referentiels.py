"""The referential lists of an invoice, in one place: the entry forms (facturation.forms.saisie, travaux.forms.depot)
offer them, the API lists them (transverses/v1/recuperer/devises, …/tauxtva, …/pays) and reads them back
(soumettreFacture's units by name), so a value the API lists is a value the portal takes.

Countries are organisation.pays's (ISO 3166-1 with French names: a structure's address needs them first, and
organisation imports no invoice module); they are re-exported here so an invoice module reads every list from here.
The names of the units (singular and plural, the whole UN/ECE table) are facturation.unites's; UNITES below is the
short list the entry form offers.
"""

from organisation.pays import nom_du_pays, pays_choix

__all__ = [
    "DEVISES",
    "TAUX_TVA",
    "UNITES",
    "devise_connue",
    "nom_du_pays",
    "pays_choix",
    "taux_ecrit",
    "unite_du_libelle",
]

DEVISES = [
    ("EUR", "EUR – Euro"),
    ("XPF", "XPF – Franc CFP"),
    ("USD", "USD – Dollar des États-Unis"),
    ("GBP", "GBP – Livre sterling"),
    ("CHF", "CHF – Franc suisse"),
    ("JPY", "JPY – Yen"),
    ("CAD", "CAD – Dollar canadien"),
]
# UN/ECE Recommendation 20 codes: the CII writes them as they are (BT-130).
UNITES = [
    ("C62", "Unité"),
    ("H87", "Pièce"),
    ("LS", "Forfait"),
    ("HUR", "Heure"),
    ("DAY", "Jour"),
    ("MON", "Mois"),
    ("ANN", "Année"),
    ("KGM", "Kilogramme"),
    ("TNE", "Tonne"),
    ("MTR", "Mètre"),
    ("MTK", "Mètre carré"),
    ("MTQ", "Mètre cube"),
    ("LTR", "Litre"),
    ("KWH", "Kilowattheure"),
]
# Rates of metropolitan France, Corsica and the overseas departments.
TAUX_TVA = ["20", "13", "10", "8.5", "5.5", "2.1", "1.75", "1.05", "0.9", "0"]

_UNITE_DU_LIBELLE = {libelle.lower(): code for code, libelle in UNITES} | {code.lower(): code for code, _ in UNITES}


def taux_ecrit(taux):
    """A rate as TAUX_TVA writes it: Decimal("5.50") → « 5.5 », Decimal("20.0") → « 20 »."""
    texte = format(taux, "f")
    if "." in texte:
        texte = texte.rstrip("0").rstrip(".")
    return texte


def devise_connue(devise):
    return devise in dict(DEVISES)


def unite_du_libelle(texte):
    """The unit's code from its code or its name, either case (« Heure », « hur » → HUR); unknown: as given."""
    return _UNITE_DU_LIBELLE.get(texte.lower(), texte)
