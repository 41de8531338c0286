"""Identifiers are ASCII digits: « ٣ » (Arabic-Indic three) or « ³ » are digits to Python and int() reads the first as
3, so an identifier typed or sent with them must be refused (API: 400 naming the field), never read as another one."""

import pytest

from chorus.chiffres import que_des_chiffres
from chorus.exceptions import ApplicationError
from organisation.identifiants import verifier_siret
from raccordement.api.vues import ErreurDonnees, champ
from tests.raccordement.test_api_socle import (
    _debit_remis_a_zero,  # noqa: F401  (fixture)
    integrateur,  # noqa: F401  (fixture)
)

ARABE = "٣"  # U+0663: int("٣") == 3


@pytest.mark.parametrize("texte", ["123", "0"])
def test_chiffres_ascii_acceptes(texte):
    assert que_des_chiffres(texte)


@pytest.mark.parametrize("texte", [ARABE, "³", "１２", "", " 1", "-1", "1.0", None, 12])
def test_autres_chiffres_refuses(texte):
    assert not que_des_chiffres(texte)


@pytest.mark.parametrize("valeur", [ARABE, f"1{ARABE}", "٣٣", "-٣"])
def test_champ_refuse_un_identifiant_en_chiffres_non_ascii(valeur):
    with pytest.raises(ErreurDonnees) as erreur:
        champ({"idFacture": valeur}, "idFacture", type_=int)
    assert erreur.value.champ == "idFacture"
    assert erreur.value.message.startswith("idFacture : un nombre entier est attendu")


def test_champ_lit_toujours_les_entiers_ascii():
    assert champ({"a": "42"}, "a", type_=int) == 42
    assert champ({"a": -7}, "a", type_=int) == -7
    assert champ({"a": "-7"}, "a", type_=int) == -7


@pytest.mark.django_db
def test_l_api_repond_400_en_nommant_le_champ(client, integrateur):  # noqa: F811
    reponse = integrateur.appeler(client, "structures/v1/consulter", {"idStructureCPP": ARABE * 3})
    assert reponse.status_code == 400
    assert reponse.json()["champ"] == "idStructureCPP"
    assert "un nombre entier est attendu" in reponse.json()["libelle"]


def test_un_siret_en_chiffres_non_ascii_est_refuse():
    with pytest.raises(ApplicationError) as erreur:
        verifier_siret("٣" * 14)
    assert "14 chiffres" in erreur.value.message
