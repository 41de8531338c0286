"""Download of the invoice (row 61): the recipient's download marks it « téléchargée » and is kept in the history;
attachments; who may download."""

import pytest
from django.urls import reverse

from facturation.models import FactureAction
from facturation.services.telechargement import facture_telecharger
from tests.conftest import connecter
from tests.facturation.recues.conftest import avec_fichiers, piece_jointe

pytestmark = pytest.mark.django_db


def url(facture, format_):
    return reverse("facturation:recues_telecharger", args=[facture.pk, format_])


def contenu(reponse):
    return b"".join(reponse.streaming_content) if reponse.streaming else reponse.content


@pytest.mark.parametrize(
    ("format_", "type_mime", "octets"),
    [("pdf", "application/pdf", b"%PDF-1.4 facture"), ("xml", "application/xml", b"<Invoice/>")],
)
def test_le_destinataire_telecharge_et_la_facture_est_marquee(client_agent, monde, format_, type_mime, octets):
    facture = avec_fichiers(monde.facture(numero="F-42"))
    reponse = client_agent.get(url(facture, format_))
    assert reponse.status_code == 200
    assert reponse["Content-Type"] == type_mime
    assert reponse["Content-Disposition"] == f'attachment; filename="F-42.{format_}"'
    assert contenu(reponse) == octets
    facture.refresh_from_db()
    assert facture.telechargee is True
    action = FactureAction.objects.get(facture=facture)
    assert (action.code, action.par, action.detail) == ("TELECHARGEMENT_FACTURE", monde.agent, format_.upper())
    page = client_agent.get(reverse("facturation:recues_consulter", args=[facture.pk])).content.decode()
    assert "Téléchargement de la facture par" in page and 'id="etat-telechargement">Téléchargée<' in page


def test_le_lecteur_en_consultation_telecharge_aussi(client, monde):
    facture = avec_fichiers(monde.facture())
    connecter(client, monde.lecteur)
    assert client.get(url(facture, "pdf")).status_code == 200
    facture.refresh_from_db()
    assert facture.telechargee


def test_un_telechargement_par_le_fournisseur_ne_marque_pas(monde):
    facture = avec_fichiers(monde.facture())
    fichier = facture_telecharger(facture=facture, par=monde.agent_fournisseur, format="pdf")
    assert fichier.contenu == b"%PDF-1.4 facture"
    facture.refresh_from_db()
    assert facture.telechargee is False
    assert not FactureAction.objects.exists()


def test_fichier_absent_explique(client_agent, monde):
    facture = avec_fichiers(monde.facture(), xml=None)
    reponse = client_agent.get(url(facture, "xml"), follow=True)
    assert "Cette facture n&#x27;a pas de fichier XML : elle a été déposée sous un autre format." in (
        reponse.content.decode()
    )
    facture.refresh_from_db()
    assert facture.telechargee is False and not FactureAction.objects.exists()
    assert client_agent.get(url(facture, "zip")).status_code == 404


def test_piece_jointe(client_agent, monde):
    facture = monde.facture()
    piece = piece_jointe(facture)
    page = client_agent.get(reverse("facturation:recues_consulter", args=[facture.pk])).content.decode()
    lien = reverse("facturation:recues_piece_jointe", args=[facture.pk, piece.pk])
    assert f'href="{lien}"' in page
    reponse = client_agent.get(lien)
    assert reponse.status_code == 200
    assert contenu(reponse) == b"%PDF-1.4 bon"
    assert 'filename="bon-de-commande.pdf"' in reponse["Content-Disposition"]
    # a piece of another invoice through this one's address
    autre = piece_jointe(monde.facture(), nom="autre.pdf")
    assert client_agent.get(reverse("facturation:recues_piece_jointe", args=[facture.pk, autre.pk])).status_code == 404


def test_etrangers_et_autre_service_404(client, monde):
    facture = avec_fichiers(monde.facture_travaux())
    piece = piece_jointe(facture)
    for user in (monde.etranger, monde.agent_achats, monde.agent_fournisseur):
        connecter(client, user)
        assert client.get(url(facture, "pdf")).status_code == 404
        assert client.get(url(facture, "xml")).status_code == 404
        assert client.get(reverse("facturation:recues_piece_jointe", args=[facture.pk, piece.pk])).status_code == 404
        assert client.get(reverse("facturation:recues_consulter", args=[facture.pk])).status_code == 404
    facture.refresh_from_db()
    assert facture.telechargee is False and not FactureAction.objects.exists()


def test_un_brouillon_n_est_pas_recu(client_agent, monde):
    brouillon = avec_fichiers(monde.facture(statut="BROUILLON"))
    assert client_agent.get(reverse("facturation:recues_consulter", args=[brouillon.pk])).status_code == 404
    assert client_agent.get(url(brouillon, "pdf")).status_code == 404
