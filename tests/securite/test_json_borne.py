"""Breach 1 of issue #15: a deeply nested JSON body made the request fail with RecursionError (a 500). Every JSON
body is now read by one bounded parser: too deep, too big or unreadable, it is a 400 with a French message that
states the limit, in the API's envelope under /cpro/ and in the key views' own shape."""

import pytest
from django.urls import reverse

from chorus.json_borne import PROFONDEUR_MAX, JsonRefuse, lire_json
from raccordement.api import enveloppe
from raccordement.api.documentation import REGLAGES
from raccordement.api.schema import ERREURS
from tests.conftest import connecter
from tests.raccordement.test_api_socle import Integrateur

pytestmark = pytest.mark.django_db

PROFOND_TABLEAUX = "[" * 5000 + "]" * 5000
PROFOND_OBJETS = '{"a":' * 5000 + "1" + "}" * 5000
RECHERCHE = "factures/v1/rechercher/fournisseur"


@pytest.mark.parametrize("corps", [PROFOND_TABLEAUX, PROFOND_OBJETS], ids=["tableaux", "objets"])
def test_un_service_api_refuse_un_json_trop_profond(client, corps):
    integrateur = Integrateur()
    reponse = client.post(f"/cpro/{RECHERCHE}", corps, content_type="application/json", **integrateur.entetes(client))
    assert reponse.status_code == 400, reponse.content
    corps_reponse = reponse.json()
    assert corps_reponse["codeRetour"] == enveloppe.DONNEES_INVALIDES
    assert f"{PROFONDEUR_MAX} niveaux" in corps_reponse["libelle"]


def test_un_service_api_refuse_un_json_trop_gros(client, settings):
    # announced too big: refused before it is read (413, the limit stated)
    integrateur = Integrateur()
    entetes = integrateur.entetes(client)
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    reponse = client.post(
        f"/cpro/{RECHERCHE}", '{"x": "' + "a" * 2000 + '"}', content_type="application/json", **entetes
    )
    assert reponse.status_code == 413, reponse.content
    assert reponse.json()["codeRetour"] == enveloppe.FICHIER_TROP_GROS
    assert "1000 au plus" in reponse.json()["libelle"]


@pytest.mark.parametrize("corps", [PROFOND_TABLEAUX, PROFOND_OBJETS], ids=["tableaux", "objets"])
def test_la_cle_de_securite_refuse_un_json_trop_profond(client, utilisateur, corps):
    connecter(client, utilisateur)
    reponse = client.post(reverse("organisation:cle_ajout_debut"), corps, content_type="application/json")
    assert reponse.status_code == 400, reponse.content
    assert f"{PROFONDEUR_MAX} niveaux" in reponse.json()["detail"]


def test_le_parseur_borne():
    assert lire_json('{"a": [1, {"b": "[[[[ pas compté dans une chaîne \\" ]]]"}]}'.encode(), taille_max=100) == {
        "a": [1, {"b": '[[[[ pas compté dans une chaîne " ]]]'}]
    }
    juste = "[" * PROFONDEUR_MAX + "]" * PROFONDEUR_MAX
    assert lire_json(juste.encode(), taille_max=10_000) is not None
    for mauvais in ("[" * (PROFONDEUR_MAX + 1) + "]" * (PROFONDEUR_MAX + 1), "{", "\xff", '{"a": 1} x'):
        with pytest.raises(JsonRefuse) as refus:
            lire_json(mauvais.encode("latin-1"), taille_max=10_000)
        assert refus.value.message
    with pytest.raises(JsonRefuse, match="trop volumineux : 203 octets, 50 au plus"):
        lire_json(b"[" + b"1," * 100 + b"1]", taille_max=50)


def test_les_limites_sont_dites_dans_la_documentation():
    assert f"{PROFONDEUR_MAX} niveaux" in REGLAGES["DESCRIPTION"]
    assert f"{PROFONDEUR_MAX} niveaux" in ERREURS["400"]
