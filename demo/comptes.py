"""The demo accounts, every domain's: organisation's structures and users, then raccordement's technical accounts and
API clients for the structures organisation names. What `charger_matelas` writes to var/matelas.csv, and what a test
or a bench that logs in as the demo users loads."""

from organisation.matelas import charger_structures_et_comptes
from raccordement.matelas import charger_raccordement


def charger_comptes():
    """Create (or reset) every demo account; running it twice gives the same data. Returns the table's rows."""
    lignes, raccordees = charger_structures_et_comptes()
    return lignes + charger_raccordement(raccordees)
