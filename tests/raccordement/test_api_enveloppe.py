"""Every error under /cpro/ and /api/ is the API's JSON envelope, whichever layer answered it: the service, Django's
resolver, a decorator, the size limit, a crash — with and without DEBUG (a developer's `runserver` as the demo)."""

import pytest
from django.core.cache import cache

from raccordement.api.vues import DebitParCompteTechnique
from tests.raccordement.test_api_socle import JETON, Integrateur

pytestmark = pytest.mark.django_db


@pytest.fixture(params=[False, True], ids=["sans_debug", "avec_debug"])
def client_api(request, client, settings):
    settings.DEBUG = request.param
    settings.ROOT_URLCONF = "tests.urls_erreurs"
    client.raise_request_exception = False
    cache.clear()
    return client


def enveloppe(reponse, statut, code_retour):
    assert reponse.status_code == statut, reponse.content
    assert reponse["Content-Type"].startswith("application/json")
    corps = reponse.json()
    assert corps["codeRetour"] == code_retour, corps
    assert isinstance(corps["libelle"], str) and corps["libelle"]
    # no debug page nor Django's English in the answer
    for fuite in ["Traceback", "URLconf", "Page not found", "<html"]:
        assert fuite not in reponse.content.decode()
    return corps


@pytest.mark.parametrize("methode", ["get", "post", "put", "delete"])
@pytest.mark.parametrize(
    "url", ["/cpro/service/inconnu", "/cpro/", "/cpro", "/cpro/factures/v1/", "/api/inconnu", "/api/"]
)
def test_404_adresse_inconnue(client_api, url, methode):
    corps = enveloppe(getattr(client_api, methode)(url), 404, 20003)
    assert corps["libelle"].startswith("Service inconnu")


def test_400_corps_illisible_et_requete_mal_formee(client_api):
    integrateur = Integrateur()
    entetes = integrateur.entetes(client_api)
    reponse = client_api.post("/cpro/structures/v1/rechercher", "{pas", content_type="application/json", **entetes)
    assert "JSON illisible" in enveloppe(reponse, 400, 20002)["libelle"]
    enveloppe(client_api.get("/cpro/echec/400/"), 400, 20002)
    # the token endpoint keeps OAuth2's own fields (RFC 6749 §5.2) and gains the envelope
    corps = enveloppe(client_api.post(JETON, {"grant_type": "password"}), 400, 20002)
    assert corps["error"] == "unsupported_grant_type" and corps["libelle"] == corps["error_description"]


def test_401_sans_jeton_et_client_inconnu(client_api):
    enveloppe(client_api.post("/cpro/structures/v1/rechercher", {}, content_type="application/json"), 401, 20010)
    reponse = client_api.post(JETON, {"grant_type": "client_credentials", "client_id": "x", "client_secret": "y"})
    corps = enveloppe(reponse, 401, 20010)
    assert corps["error"] == "invalid_client" and reponse["WWW-Authenticate"]


def test_403(client_api):
    enveloppe(client_api.get("/cpro/echec/403/"), 403, 20004)


@pytest.mark.parametrize(
    "methode, url",
    [
        ("get", JETON),
        ("put", "/cpro/openapi.json"),
        ("get", "/cpro/structures/v1/rechercher"),
        ("post", "/cpro/transverses/v1/health-check"),
    ],
)
def test_405_methode_non_admise(client_api, methode, url):
    integrateur = Integrateur()
    reponse = getattr(client_api, methode)(url, **integrateur.entetes(client_api))
    corps = enveloppe(reponse, 405, 20002)
    assert "Méthode" in corps["libelle"]


def test_413_corps_trop_gros(client_api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    integrateur = Integrateur()
    entetes = integrateur.entetes(client_api)
    corps = {"fichierFlux": "A" * 2000}
    reponse = client_api.post("/cpro/factures/v1/deposer/flux", corps, content_type="application/json", **entetes)
    assert "1000 au plus" in enveloppe(reponse, 413, 20001)["libelle"]
    grand = {"grant_type": "client_credentials", "client_id": "x" * 2000, "client_secret": "y"}
    enveloppe(client_api.post(JETON, grand), 413, 20001)


def test_429_trop_d_appels(client_api, monkeypatch):
    monkeypatch.setattr(DebitParCompteTechnique, "rate", "1/min")
    integrateur = Integrateur()
    entetes = integrateur.entetes(client_api)
    appel = "/cpro/utilisateurs/v1/monCompte/recuperer/rattachements"
    assert client_api.post(appel, {}, content_type="application/json", **entetes).status_code == 200
    reponse = client_api.post(appel, {}, content_type="application/json", **entetes)
    enveloppe(reponse, 429, 20011)
    assert int(reponse["Retry-After"]) >= 1


def test_500_panne(client_api):
    corps = enveloppe(client_api.get("/cpro/echec/500/"), 500, 20099)
    assert corps["libelle"] == "Erreur technique du portail : réessayez plus tard."


def test_la_documentation_reste_une_page(client_api):
    assert client_api.get("/cpro/documentation/")["Content-Type"].startswith("text/html")
