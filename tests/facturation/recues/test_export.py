"""Export of received invoices (row 59): the same filtered set as the page, CSV streamed and XLSX, with the
« Valideur 1 (date de validation) » and « Valideur 2 (date de validation) » columns."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import connecter
from tests.exports.outils import exporter_xlsx

pytestmark = pytest.mark.django_db

VALIDEE_1 = datetime.datetime(2026, 3, 4, 10, 0, tzinfo=timezone.get_default_timezone())
VALIDEE_2 = datetime.datetime(2026, 3, 9, 16, 30, tzinfo=timezone.get_default_timezone())


def export(client, format_, **criteres):
    return client.get(reverse("facturation:recues_export", args=[format_]), criteres)


def lignes_csv(reponse):
    assert reponse.streaming
    texte = b"".join(reponse.streaming_content).decode("utf-8")
    assert texte.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(texte[1:]), delimiter=";"))


def lignes(client, format_, **criteres):
    if format_ == "xlsx":
        return exporter_xlsx(client, "factures_recues", criteres)
    return lignes_csv(export(client, format_, **criteres))


@pytest.fixture
def factures(monde):
    titulaire = monde.autre_fournisseur
    mandataire = monde.autre_destinataire
    monde.facture(
        numero="V-1",
        cadre="A12",
        montant_ht="1234.50",
        valideur_1=titulaire,
        date_validation_1=VALIDEE_1,
        valideur_2=mandataire,
        date_validation_2=VALIDEE_2,
        telechargee=True,
    )
    monde.facture(numero="V-2", statut="A_VALIDER_1", cadre="A9", valideur_1=titulaire, service=monde.travaux)
    monde.facture(numero="=HYPERLINK(1)", statut="SERVICE_FAIT", montant_ht="10")


def test_export_csv_colonnes_valideurs_et_memes_criteres(client_agent, factures):
    reponse = export(client_agent, "csv", cadre="A12")
    assert reponse["Content-Type"] == "text/csv; charset=utf-8"
    assert reponse["Content-Disposition"].startswith('attachment; filename="factures-recues-')
    (ligne,) = lignes_csv(reponse)
    assert ligne["Numéro de facture"] == "V-1"
    assert ligne["Valideur 1 (date de validation)"] == "Plâtrerie Lemaire (04/03/2026)"
    assert ligne["Valideur 2 (date de validation)"] == "Département du Nord-Ouest (09/03/2026)"
    assert ligne["Montant TTC"] == "1481,40"
    assert ligne["Téléchargée"] == "Oui"


def test_export_csv_sans_critere_toutes_et_sans_formule(client_agent, factures):
    lignes = lignes_csv(export(client_agent, "csv"))
    assert [ligne["Numéro de facture"] for ligne in lignes] == ["'=HYPERLINK(1)", "V-2", "V-1"]
    v2 = lignes[1]
    # validator not answered yet: its name without a date; no second validator
    assert v2["Valideur 1 (date de validation)"] == "Plâtrerie Lemaire"
    assert v2["Valideur 2 (date de validation)"] == ""
    assert v2["Service destinataire"] == "TRAVAUX – Service travaux"


def test_export_xlsx(client_agent, factures):
    (ligne,) = lignes(client_agent, "xlsx", telechargee="oui")
    assert ligne["Numéro de facture"] == "V-1"
    assert ligne["Valideur 1 (date de validation)"] == "Plâtrerie Lemaire (04/03/2026)"
    assert ligne["Valideur 2 (date de validation)"] == "Département du Nord-Ouest (09/03/2026)"
    assert ligne["Montant TTC"] == pytest.approx(1481.40)
    # a formula stays text
    (formule,) = lignes(client_agent, "xlsx", statut="SERVICE_FAIT")
    assert formule["Numéro de facture"] == "=HYPERLINK(1)"


def test_export_suit_le_tri_de_la_page(client_agent, factures):
    trie = lignes(client_agent, "xlsx", tri="numero")
    assert [ligne["Numéro de facture"] for ligne in trie] == ["=HYPERLINK(1)", "V-1", "V-2"]


def test_export_format_inconnu(client_agent, factures):
    assert export(client_agent, "pdf").status_code == 404


@pytest.mark.parametrize("format_", ["csv", "xlsx"])
def test_export_etranger_et_autre_service(client, monde, factures, format_):
    connecter(client, monde.etranger)
    assert lignes(client, format_) == []
    assert lignes(client, format_, destinataire=monde.destinataire.pk) == []
    connecter(client, monde.agent_achats)
    assert lignes(client, format_) == []
    assert lignes(client, format_, service=monde.travaux.pk) == []
