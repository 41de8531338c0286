"""What the documentation says is what the API does: the OpenAPI description served by the app lists every service
of the routes, the documentation page presents it, and schemathesis generates requests from it and checks each
answer against it (no server error, only documented statuses and content types, bodies matching their schemas)."""

import re

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from raccordement.api import urls as urls_api
from raccordement.api.documentation import _description
from tests.raccordement.test_api_socle import Integrateur

DESCRIPTION = _description()
schema = schemathesis.openapi.from_dict(DESCRIPTION)


def test_chaque_service_est_decrit():
    # the REST group's path parameters: Django's <str:uuid> is OpenAPI's {uuid}
    routes = {
        "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", str(p.pattern))
        for p in urls_api.urlpatterns
        if str(p.pattern).startswith("cpro/")
    }
    routes -= {"/cpro/openapi.json", "/cpro/documentation/"}
    assert routes == set(DESCRIPTION["paths"])
    for chemin, operations in DESCRIPTION["paths"].items():
        for operation in operations.values():
            assert operation.get("description"), f"{chemin} n'a pas de description"
            assert {"200", "400", "401", "404"} <= set(operation["responses"])
    assert DESCRIPTION["components"]["securitySchemes"]["compteTechnique"]["name"] == "cpro-account"


@pytest.mark.django_db
def test_la_description_et_la_page_de_documentation(client):
    reponse = client.get("/cpro/openapi.json")
    assert reponse.status_code == 200 and reponse.json()["openapi"].startswith("3.")
    page = client.get("/cpro/documentation/")
    contenu = page.content.decode()
    assert page.status_code == 200
    for chemin in DESCRIPTION["paths"]:
        assert f"<code>{chemin}</code>" in contenu
    assert "<code>rechercheFactureParFournisseur.pageResultatDemandee</code>" in contenu
    assert not re.search(r"<script[^>]+src=\"https?://", contenu)  # offline: nothing fetched elsewhere


@pytest.fixture
def entetes(transactional_db, client):
    integrateur = Integrateur()
    return {
        "Authorization": f"Bearer {integrateur.jeton(client)}",
        "cpro-account": integrateur.entetes(client)["HTTP_CPRO_ACCOUNT"],
    }


@pytest.mark.schemathesis
@schema.parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@pytest.mark.django_db(transaction=True)
def test_l_api_fait_ce_qu_elle_documente(case, entetes, live_server):
    # over HTTP, as a client would: the server runs in its own thread with its own database connection
    case.call_and_validate(
        base_url=live_server.url,
        headers=entetes,
        checks=[not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance],
    )
