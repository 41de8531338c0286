"""The French plural on every page: below 2 is singular, where Django's |pluralize makes 0 plural."""

import pytest
from django.template import engines


def rendre(gabarit, **contexte):
    return engines["django"].from_string(gabarit).render(contexte)


@pytest.mark.parametrize(
    ("nombre", "attendu"),
    [(0, "0 facture trouvée"), (1, "1 facture trouvée"), (2, "2 factures trouvées"), ("12", "12 factures trouvées")],
)
def test_chaque_gabarit_accorde_sans_rien_charger(nombre, attendu):
    assert rendre("{{ n }} facture{{ n|pluriel }} trouvée{{ n|pluriel }}", n=nombre) == attendu


def test_une_collection_se_compte_et_les_suffixes_se_choisissent():
    assert rendre("{{ l|length }} journ{{ l|pluriel:'al,aux' }}", l=[]) == "0 journal"
    assert rendre("{{ l|length }} journ{{ l|pluriel:'al,aux' }}", l=[1, 2]) == "2 journaux"
