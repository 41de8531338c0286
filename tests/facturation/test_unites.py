"""Units of measure are read by their French name (UN/ECE Recommendation 20/21), the XML keeps the code."""

import pytest
from django.template import Context, Template

from facturation.forms.saisie import UNITES
from facturation.unites import libelle_unite, unites


@pytest.mark.parametrize(
    ("code", "quantite", "attendu"),
    [
        ("H87", 1, "pièce"),
        ("H87", 2, "pièces"),
        ("H87", 0, "pièce"),
        ("HUR", "1.5", "heure"),
        ("HUR", 7, "heures"),
        ("KGM", None, "kilogramme"),
        ("DAY", 3, "jours"),
        ("MTR", 1, "mètre"),
        ("LTR", 2, "litres"),
        ("LS", 1, "forfait"),
        ("LO", 2, "lots"),
        ("MTK", 12, "mètres carrés"),
        ("TNE", 1, "tonne"),
        ("MON", 2, "mois"),
        ("C62", 1, "unité"),
        ("ZZZ", 1, "ZZZ"),
        ("", 1, ""),
    ],
)
def test_libelle_francais(code, quantite, attendu):
    assert libelle_unite(code, quantite) == attendu


def test_chaque_unite_de_la_saisie_a_son_libelle():
    assert [code for code, _ in UNITES if code not in unites()] == []


def test_filtre_de_gabarit():
    gabarit = Template("{% load factures %}{{ q }} {{ code|unite:q }}")
    assert gabarit.render(Context({"code": "H87", "q": 3})) == "3 pièces"
