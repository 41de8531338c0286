"""The country list: ISO 3166-1 French short names, sorted as French sorts (accents ignored first)."""

import pycountry
import pytest

from organisation.forms_structures import StructureCreationForm
from organisation.pays import cle_de_tri, nom_du_pays, nom_usuel, noms_iso, pays_choix


def _rang(nom):
    return [n for _, n in pays_choix()].index(nom)


def test_chaque_code_iso_3166_1_a_son_nom_francais():
    assert set(noms_iso()) == {p.alpha_2 for p in pycountry.countries}


@pytest.mark.parametrize(
    ("code", "nom"),
    [
        ("GL", "Groenland"),
        ("BY", "Bélarus"),
        ("CI", "Côte d'Ivoire"),
        ("CW", "Curaçao"),
        ("VN", "Viet Nam"),
        ("MM", "Myanmar"),
        ("IQ", "Iraq"),
        ("SR", "Suriname"),
        ("MO", "Macao"),
        ("CZ", "Tchéquie"),
        ("TR", "Türkiye"),
        ("KY", "Îles Caïmans"),
        ("CD", "République démocratique du Congo"),
        ("RU", "Fédération de Russie"),
        ("IO", "Territoire britannique de l'océan Indien"),
        ("RE", "La Réunion"),
        ("BO", "Bolivie (État plurinational de)"),
        ("FR", "France"),
    ],
)
def test_noms_courts_francais_de_l_iso(code, nom):
    assert nom_du_pays(code) == nom


def test_nom_usuel_depuis_le_nom_iso():
    assert nom_usuel("Groenland (le)") == "Groenland"
    assert nom_usuel("Falkland (les Îles)/Malouines (les Îles)") == "Îles Falkland / Îles Malouines"
    assert nom_usuel("dominicaine (la République)") == "République dominicaine"


def test_tri_francais_sans_egard_aux_accents():
    assert pays_choix()[0] == ("FR", "France")
    assert _rang("Bélarus") < _rang("Belgique") < _rang("Belize") < _rang("Bénin") < _rang("Burundi")
    assert _rang("Costa Rica") < _rang("Côte d'Ivoire") < _rang("Croatie") < _rang("Cuba") < _rang("Curaçao")
    assert _rang("Égypte") < _rang("El Salvador") < _rang("Émirats arabes unis") < _rang("Équateur")
    assert _rang("Îles Åland") < _rang("Îles Caïmans") < _rang("Inde")
    noms = [n for _, n in pays_choix()[1:]]
    assert noms == sorted(noms, key=cle_de_tri)


def test_le_formulaire_de_structure_propose_cette_liste():
    assert list(StructureCreationForm.base_fields["pays"].choices) == pays_choix()
