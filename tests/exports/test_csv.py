"""The CSV of the large lists is streamed from values_list() rows: the same number of queries for 1 or 40 rows, and
the cells a French spreadsheet reads (decimal comma, dd/mm/yyyy in the portal's time zone, formulas neutralised)."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from exports.ecriture import formateur_csv
from tests.conftest import connecter

pytestmark = pytest.mark.django_db


def lire(reponse):
    assert reponse.status_code == 200 and reponse.streaming
    texte = b"".join(reponse.streaming_content).decode("utf-8")
    assert texte.startswith("\ufeff")
    return list(csv.reader(io.StringIO(texte[1:]), delimiter=";"))


@pytest.mark.parametrize(
    ("qui", "url"),
    [
        ("agent", reverse("facturation:recues_export", args=["csv"])),
        ("agent_fournisseur", reverse("facturation:emises_export") + "?format=csv"),
    ],
)
def test_nombre_de_requetes_fixe(client, monde, django_assert_max_num_queries, qui, url):
    connecter(client, getattr(monde, qui))
    with django_assert_max_num_queries(12) as peu:
        assert len(lire(client.get(url))) == 1 + 2
    for i in range(40):
        monde.facture(numero=f"N-{i:03d}")
    with django_assert_max_num_queries(len(peu.captured_queries)):
        assert len(lire(client.get(url))) == 1 + 42


def test_un_etranger_n_exporte_rien(client, monde):
    connecter(client, monde.etranger)
    assert lire(client.get(reverse("facturation:recues_export", args=["csv"]))) == [lire_entete(client)]


def lire_entete(client):
    return lire(client.get(reverse("facturation:recues_export", args=["csv"])))[0]


def test_cellules():
    texte = formateur_csv()
    ete = datetime.datetime(2026, 7, 1, 22, 30, tzinfo=datetime.UTC)
    assert texte(ete) == "02/07/2026 00:30"  # Europe/Paris, summer time
    assert texte(datetime.date(2026, 1, 5)) == "05/01/2026"
    assert texte(__import__("decimal").Decimal("1234.50")) == "1234,50"
    assert (texte(None), texte(True), texte(False), texte(3)) == ("", "Oui", "Non", "3")
    assert [texte(v) for v in ("=1+1", "+33", "-2", "@x", "Normal")] == ["'=1+1", "'+33", "'-2", "'@x", "Normal"]
