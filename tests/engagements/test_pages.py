"""The public entity's pages: the list (its EJs only, page by page), the loading form (errors listed by line), an EJ
of another structure not found; the menu entry for whoever holds the profile; the demo EJs."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from engagements.models import EngagementJuridique
from engagements.services import engagements_charger
from organisation.enums import Application, Niveau
from tests.conftest import connecter
from tests.engagements.outils import Monde, fichier, rangee
from tests.facturation.validation.conftest import agent, structure_publique_active

pytestmark = pytest.mark.django_db


@pytest.fixture
def monde():
    return Monde()


def test_charger_puis_lister(client, monde):
    connecter(client, monde.chargeur)
    accueil = client.get("/").content.decode()
    assert "/engagements/charger/" in accueil and "Engagements juridiques" in accueil
    mauvais = client.post(
        "/engagements/charger/",
        {
            "structure": monde.commune.pk,
            "fichier": SimpleUploadedFile("e.csv", fichier(rangee("EJ-1", monde.fournisseur.identifiant, taux="x"))),
        },
    )
    page = mauvais.content.decode()
    assert "Le fichier est refusé : 1 erreur. Aucun engagement n&#x27;a été chargé." in page
    assert "Ligne 2, colonne « taux_tva » : « x » n&#x27;est pas un nombre." in page
    rangees = [rangee(f"EJ-{n:02d}", monde.fournisseur.identifiant) for n in range(25)]
    bon = client.post(
        "/engagements/charger/",
        {"structure": monde.commune.pk, "fichier": SimpleUploadedFile("e.csv", fichier(*rangees))},
        follow=True,
    )
    page = bon.content.decode()
    assert "25 engagements juridiques chargés pour Commune de Valbourg." in page
    assert "EJ-00" in page and "EJ-19" in page and "EJ-20" not in page
    assert "EJ-24" in client.get(f"/engagements/?structure={monde.commune.pk}&page=2").content.decode()


def test_autre_structure(client, monde):
    engagements_charger(
        par=monde.chargeur,
        structure=monde.commune,
        nom_fichier="e.csv",
        contenu=fichier(rangee("EJ-1", monde.fournisseur.identifiant)),
    )
    ej = EngagementJuridique.objects.get()
    voisine = structure_publique_active(raison_sociale="Commune voisine")
    etranger = agent(voisine, (Application.ENGAGEMENTS, Niveau.MODIFICATION))
    connecter(client, etranger)
    assert client.get(f"/engagements/{ej.pk}/").status_code == 404
    assert client.get(f"/engagements/?structure={monde.commune.pk}").status_code == 404
    assert "EJ-1" not in client.get("/engagements/").content.decode()
    refuse = client.post(
        "/engagements/charger/",
        {
            "structure": monde.commune.pk,
            "fichier": SimpleUploadedFile("e.csv", fichier(rangee("EJ-2", monde.fournisseur.identifiant))),
        },
    )
    assert "Vous ne pouvez pas charger d&#x27;engagements pour cette structure." in refuse.content.decode()
    assert EngagementJuridique.objects.count() == 1
    connecter(client, monde.chargeur)
    assert "Papier" in client.get(f"/engagements/{ej.pk}/").content.decode()


def test_matelas():
    from demo.comptes import charger_comptes
    from engagements.matelas import charger_engagements
    from facturation.matelas import charger_factures
    from facturation.models import Facture

    charger_comptes()
    charger_factures()
    assert charger_engagements() == 6
    assert charger_engagements() == 0
    facture = Facture.objects.get(numero="DEMO-2026-001")
    ej = EngagementJuridique.objects.get(numero=facture.numero_engagement)
    assert (ej.structure, ej.fournisseur) == (facture.destinataire, facture.fournisseur)
    assert ej.service == facture.service_destinataire
