"""The documentation page is built from the OpenAPI description, whatever the services: its summary links to a
section of each service of /cpro/openapi.json, under an id derived from the path (stable, so that a link to a
service keeps working when others are added), and it fetches nothing from elsewhere."""

from html.parser import HTMLParser

import pytest

from raccordement.api.documentation import ancre


class _Ancres(HTMLParser):
    def __init__(self):
        super().__init__()
        self.liens_sommaire, self.ids, self.sections, self.scripts = [], [], [], []
        self._dans_sommaire = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "nav" and attrs.get("aria-labelledby") == "sommaire-services":
            self._dans_sommaire += 1
        if self._dans_sommaire and tag == "a" and (attrs.get("href") or "").startswith("#"):
            self.liens_sommaire.append(attrs["href"][1:])
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag == "section":
            self.sections.append(attrs.get("id"))
        if tag == "script":
            self.scripts.append(attrs.get("src"))

    def handle_endtag(self, tag):
        if tag == "nav" and self._dans_sommaire:
            self._dans_sommaire -= 1


def test_l_ancre_vient_du_chemin():
    assert ancre("/cpro/factures/v1/deposer/flux", "post") == "cpro-factures-v1-deposer-flux"
    assert ancre("/cpro/x/v1/{id}", "get", seule=False) == "cpro-x-v1-id-get"


@pytest.mark.django_db
def test_chaque_chemin_a_son_lien_dans_le_sommaire_et_sa_section(client):
    description = client.get("/cpro/openapi.json").json()
    page = client.get("/cpro/documentation/")
    assert page.status_code == 200
    lecteur = _Ancres()
    lecteur.feed(page.content.decode())

    assert len(lecteur.ids) == len(set(lecteur.ids)), "un id en double : un lien mènerait à la mauvaise section"
    attendues = {
        ancre(chemin, methode, seule=len(operations) == 1)
        for chemin, operations in description["paths"].items()
        for methode in operations
    }
    assert len(attendues) == sum(len(o) for o in description["paths"].values())
    assert set(lecteur.liens_sommaire) == attendues
    assert set(lecteur.sections) == attendues
    # no external script (CSP; the page works without network)
    assert all(not src or not src.startswith(("http:", "https:", "//")) for src in lecteur.scripts)
