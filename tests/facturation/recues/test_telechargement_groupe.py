"""« Télécharger la sélection » (row 49): the ticked invoices of a search in one ZIP, PDF or XML, with or without
attachments; the recipient's download marks each one; one invoice outside the user's scope refuses the whole request;
nothing is marked when the download is refused."""

import io
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from facturation.models import Facture, FactureAction
from facturation.services import telechargement
from tests.conftest import connecter
from tests.facturation.recues.conftest import avec_fichiers, piece_jointe

pytestmark = pytest.mark.django_db

RECUES = reverse("facturation:recues_telecharger_selection")
EMISES = reverse("facturation:emises_telecharger_selection")


def _zip(reponse):
    assert reponse.status_code == 200, reponse.content[:300]
    assert reponse["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(reponse.content))


def _messages(reponse):
    return [str(m) for m in reponse.context["messages"]]


def test_le_destinataire_coche_deux_factures_et_les_telecharge(client_agent, monde):
    f1 = avec_fichiers(monde.facture(numero="F-G1"), pdf=b"%PDF-1.4 un")
    f2 = avec_fichiers(monde.facture(numero="F-G2"), pdf=b"%PDF-1.4 deux")
    piece_jointe(f2, nom="pv-reception.pdf")
    page = client_agent.get(reverse("facturation:recues_rechercher")).content.decode()
    assert f'value="{f1.pk}" id="selection-{f1.pk}" form="telechargement-groupe"' in page
    assert f'action="{RECUES}"' in page

    reponse = client_agent.post(RECUES, {"factures": [f2.pk, f1.pk], "format": "pdf", "avec_pieces_jointes": "1"})
    archive = _zip(reponse)
    assert archive.namelist() == ["F-G2.pdf", "F-G2-pieces-jointes/pv-reception.pdf", "F-G1.pdf"]
    assert archive.read("F-G1.pdf") == b"%PDF-1.4 un"
    assert reponse["Content-Disposition"].startswith('attachment; filename="factures-recues-')
    assert set(Facture.objects.values_list("telechargee", flat=True)) == {True}
    assert FactureAction.objects.filter(code="TELECHARGEMENT_FACTURE").count() == 2


def test_xml_sans_pieces_jointes(client_agent, monde):
    facture = avec_fichiers(monde.facture(numero="F-G3"))
    piece_jointe(facture)
    archive = _zip(client_agent.post(RECUES, {"factures": [facture.pk], "format": "xml"}))
    assert archive.namelist() == ["F-G3.xml"] and archive.read("F-G3.xml") == b"<Invoice/>"


def test_rien_de_coche(client_agent, monde):
    avec_fichiers(monde.facture())
    reponse = client_agent.post(RECUES, {"format": "pdf"}, follow=True)
    assert _messages(reponse) == ["Sélectionnez au moins une facture à télécharger."]
    assert reponse.redirect_chain[-1][0] == reverse("facturation:recues_rechercher")


def test_une_facture_sans_xml_refuse_tout_et_ne_marque_rien(client_agent, monde):
    complete = avec_fichiers(monde.facture(numero="F-G4"))
    pdf_seul = avec_fichiers(monde.facture(numero="F-G5"), xml=None)
    suivant = reverse("facturation:recues_rechercher") + "?numero=F-G"
    reponse = client_agent.post(
        RECUES, {"factures": [complete.pk, pdf_seul.pk], "format": "xml", "suivant": suivant}, follow=True
    )
    assert _messages(reponse) == ["Pas de fichier XML pour F-G5 : cette facture a été déposée sous un autre format."]
    assert reponse.redirect_chain[-1][0] == suivant
    assert not Facture.objects.filter(telechargee=True).exists() and not FactureAction.objects.exists()


def test_au_dela_de_120_mo(client_agent, monde, monkeypatch):
    facture = avec_fichiers(monde.facture())
    monkeypatch.setattr(telechargement, "TAILLE_GROUPE_MAX", 10)
    reponse = client_agent.post(RECUES, {"factures": [facture.pk], "format": "pdf"}, follow=True)
    assert _messages(reponse) == [
        "Les fichiers demandés pèsent 0,0 Mo : 0 Mo au plus par téléchargement. Sélectionnez moins de factures à la "
        "fois."
    ]
    facture.refresh_from_db()
    assert facture.telechargee is False


def test_format_inconnu_et_retour_hors_du_site(client_agent, monde):
    facture = avec_fichiers(monde.facture())
    reponse = client_agent.post(
        RECUES, {"factures": [facture.pk], "format": "doc", "suivant": "https://ailleurs.example/"}, follow=True
    )
    assert _messages(reponse) == ["Format de téléchargement inconnu : choisissez PDF ou XML."]
    assert reponse.redirect_chain[-1][0] == reverse("facturation:recues_rechercher")


def test_une_facture_hors_perimetre_rend_tout_introuvable(client, monde):
    """Another structure, another service, the supplier's user on the received side: 404, nothing marked."""
    a_moi = avec_fichiers(monde.facture(service=monde.achats))
    autre_service = avec_fichiers(monde.facture_travaux())
    for user, ids in (
        (monde.etranger, [a_moi.pk]),
        (monde.agent_achats, [a_moi.pk, autre_service.pk]),
        (monde.agent_fournisseur, [a_moi.pk]),
    ):
        connecter(client, user)
        assert client.post(RECUES, {"factures": ids, "format": "pdf"}).status_code == 404
    connecter(client, monde.agent)
    assert client.post(RECUES, {"factures": ["x"], "format": "pdf"}).status_code == 404
    assert client.get(RECUES).status_code == 405
    assert not Facture.objects.filter(telechargee=True).exists() and not FactureAction.objects.exists()


def test_le_fournisseur_telecharge_ses_factures_emises_sans_les_marquer(client, monde):
    f1 = avec_fichiers(monde.facture(numero="F-E1"))
    autre = avec_fichiers(monde.facture(fournisseur=monde.autre_fournisseur, numero="F-E2"))
    connecter(client, monde.agent_fournisseur)
    page = client.get(reverse("facturation:emises_rechercher")).content.decode()
    assert f'id="selection-{f1.pk}" form="telechargement-groupe"' in page
    archive = _zip(client.post(EMISES, {"factures": [f1.pk], "format": "pdf"}))
    assert archive.namelist() == ["F-E1.pdf"]
    f1.refresh_from_db()
    assert f1.telechargee is False and not FactureAction.objects.exists()
    # another supplier's invoice, alone or among its own: 404
    assert client.post(EMISES, {"factures": [autre.pk], "format": "pdf"}).status_code == 404
    assert client.post(EMISES, {"factures": [f1.pk, autre.pk], "format": "pdf"}).status_code == 404
    # and the recipient does not reach the supplier's space
    connecter(client, monde.agent)
    assert client.post(EMISES, {"factures": [f1.pk], "format": "pdf"}).status_code == 404


def test_requetes_constantes(client_agent, monde):
    """Marking and reading cost the same for 1 or 10 invoices: the recipient check and the marks are one statement
    each, the attachments one prefetch."""

    def requetes(n):
        factures = [avec_fichiers(monde.facture()) for _ in range(n)]
        for f in factures:
            piece_jointe(f)
        donnees = {"factures": [f.pk for f in factures], "format": "pdf", "avec_pieces_jointes": "1"}
        with CaptureQueriesContext(connection) as requetes:
            _zip(client_agent.post(RECUES, donnees))
        return len(requetes)

    requetes(1)  # the session's first request pays for its own bookkeeping
    assert requetes(1) == requetes(10)
