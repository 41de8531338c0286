"""Countries by their French name (ISO 3166-1), for the structures' forms and the invoices' addresses."""

import gettext
from functools import cache

import pycountry


@cache
def pays_choix():
    """ISO 3166 countries by their French name, France first."""
    francais = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"], fallback=True).gettext
    autres = sorted(
        ((p.alpha_2, francais(p.name)) for p in pycountry.countries if p.alpha_2 != "FR"),
        key=lambda choix: choix[1].casefold(),
    )
    return [("FR", "France"), *autres]


def nom_du_pays(code):
    return dict(pays_choix()).get(code, code)
