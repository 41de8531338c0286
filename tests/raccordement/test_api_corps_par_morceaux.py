"""A body sent by chunks (`Transfer-Encoding: chunked`, no Content-Length) is measured as it is read: past the limit,
the same 413 in the envelope as a body that announces its length; within it, the service reads it as any other.
Through the real WSGI stack: the live server, a raw HTTP/1.1 request from http.client."""

import http.client
import io
import json
from urllib.parse import urlsplit

import pytest

from raccordement.api.corps_par_morceaux import LecteurParMorceaux
from raccordement.api.middleware import EnveloppeApiMiddleware
from tests.raccordement.test_api_socle import Integrateur

LIMITE = 64 * 1024


def _poster_par_morceaux(live_server, chemin, morceaux, entetes=None):
    adresse = urlsplit(live_server.url)
    connexion = http.client.HTTPConnection(adresse.hostname, adresse.port, timeout=30)
    try:
        connexion.request(
            "POST",
            chemin,
            body=iter(morceaux),
            headers={"Content-Type": "application/json", **(entetes or {})},
            encode_chunked=True,
        )
        reponse = connexion.getresponse()
        return reponse.status, reponse.getheader("Content-Type"), reponse.read()
    finally:
        connexion.close()


def _corps_json_en_morceaux(taille):
    # a JSON object of about `taille` bytes, sent 8 Ko at a time
    texte = json.dumps({"bourrage": "x" * taille}).encode()
    return [texte[i : i + 8192] for i in range(0, len(texte), 8192)]


@pytest.mark.django_db(transaction=True)
def test_un_corps_par_morceaux_trop_gros_recoit_413_dans_l_enveloppe(live_server, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = LIMITE
    statut, type_contenu, corps = _poster_par_morceaux(
        live_server, "/cpro/transverses/v1/recuperer/devises", _corps_json_en_morceaux(3 * LIMITE)
    )
    assert statut == 413
    assert type_contenu.startswith("application/json")
    reponse = json.loads(corps)
    assert reponse["codeRetour"] == 20001
    assert f"{LIMITE} au plus" in reponse["libelle"] and "morceaux" in reponse["libelle"]


@pytest.mark.django_db(transaction=True)
def test_un_corps_par_morceaux_dans_la_limite_est_lu_par_le_service(live_server, settings, client):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = LIMITE
    integrateur = Integrateur()
    entetes = integrateur.entetes(client)
    entetes = {"Authorization": entetes["HTTP_AUTHORIZATION"], "cpro-account": entetes["HTTP_CPRO_ACCOUNT"]}

    # the service reads the body: what it answers depends on the identifier sent by chunks
    chemin = "/cpro/structures/v1/consulter"
    statut, _, corps = _poster_par_morceaux(live_server, chemin, [b'{"idStructure', b'CPP": "douze"}'], entetes)
    reponse = json.loads(corps)
    assert statut == 400 and "idStructureCPP" in reponse["libelle"], reponse

    identifiant = str(integrateur.structure.pk).encode()
    statut, _, corps = _poster_par_morceaux(live_server, chemin, [b'{"idStructureCPP": ', identifiant, b"}"], entetes)
    reponse = json.loads(corps)
    assert statut == 200, reponse
    assert reponse["informationGenerales"]["raisonSocialeStructure"] == "Fournisseur intégré"


def test_le_lecteur_decode_extensions_et_champs_de_fin():
    brut = io.BytesIO(b"4;nom=valeur\r\nWiki\r\n5\r\npedia\r\n0\r\nExpires: demain\r\n\r\nSUITE")
    lecteur = LecteurParMorceaux(brut)
    assert lecteur.read(3) == b"Wik" and lecteur.read() == b"ipedia" and lecteur.read() == b""
    assert brut.read() == b"SUITE"  # the next request on the connection is left untouched


def test_un_serveur_qui_ne_decode_pas_les_morceaux_recoit_411(rf):
    requete = rf.post("/cpro/transverses/v1/recuperer/devises", data=b"", content_type="application/json")
    requete.META["HTTP_TRANSFER_ENCODING"] = "chunked"
    requete.META.pop("CONTENT_LENGTH", None)
    reponse = EnveloppeApiMiddleware(lambda r: pytest.fail("the service must not run"))(requete)
    assert reponse.status_code == 411 and "Content-Length" in json.loads(reponse.content)["libelle"]
