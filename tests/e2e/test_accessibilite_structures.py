"""axe-core finds no violation on the structure pages: creation form (also in error), list, structure page and its
edit forms."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from organisation.enums import Application, Niveau
from organisation.models import CoordonneeBancaire, MandatFacturation, Service
from organisation.services.coordonnees import piece_jointe_ajouter
from organisation.services.structures import service_creer
from tests.conftest import connecter
from tests.e2e.test_accessibilite import violations
from tests.factories import StructureFactory, UtilisateurFactory, rattacher

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def structure_complete(utilisateur, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    structure = StructureFactory(gestionnaire=utilisateur, raison_sociale="Boulangerie Martin")
    Service.objects.create(structure=structure, code="COMPTA", libelle="Comptabilité")
    Service.objects.create(structure=structure, code="ANCIEN", libelle="Ancien", actif=False)
    CoordonneeBancaire.objects.create(structure=structure, titulaire="Martin", iban="FR7630006000011234567890189")
    MandatFacturation.objects.create(
        structure=structure, mandataire_identifiant="99000005100013", mandataire_raison_sociale="Cabinet",
        date_debut=date(2026, 1, 1),
    )  # fmt: skip
    piece_jointe_ajouter(structure=structure, par=utilisateur, fichier=SimpleUploadedFile("kbis.pdf", b"%PDF"))
    service_creer(structure=structure, par=utilisateur, code="ACHATS", libelle="Achats")
    return structure


def ouvrir(page, client, live_server, utilisateur, chemin):
    connecter(client, utilisateur)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto(live_server.url + chemin)


def test_formulaire_de_creation(live_server, page, client, utilisateur):
    ouvrir(page, client, live_server, utilisateur, "/organisation/structures/creer/")
    assert violations(page) == []


def test_formulaire_de_creation_en_erreur(live_server, page, client, utilisateur):
    ouvrir(page, client, live_server, utilisateur, "/organisation/structures/creer/")
    page.get_by_label("Identifiant de la structure").fill("123")
    page.get_by_role("button", name="Créer la structure").click()
    page.wait_for_selector("#resume-erreurs")
    assert violations(page) == []


def test_mes_structures(live_server, page, client, utilisateur, structure_complete):
    StructureFactory(gestionnaire=utilisateur, est_publique=True)
    ouvrir(page, client, live_server, utilisateur, "/organisation/structures/")
    assert violations(page) == []


@pytest.mark.parametrize(
    "suffixe", ["", "fiche/", "parametres/", "services/ajouter/", "coordonnees/ajouter/", "mandats/ajouter/",
                "pieces/ajouter/"],
)  # fmt: skip
def test_page_de_la_structure_et_formulaires(live_server, page, client, utilisateur, structure_complete, suffixe):
    ouvrir(page, client, live_server, utilisateur, f"/organisation/structures/{structure_complete.pk}/{suffixe}")
    assert violations(page) == []


def test_page_de_la_structure_en_consultation(live_server, page, client, structure_complete):
    lecteur = UtilisateurFactory()
    rattacher(lecteur, structure_complete, (Application.ORGANISATION, Niveau.CONSULTATION))
    ouvrir(page, client, live_server, lecteur, f"/organisation/structures/{structure_complete.pk}/")
    assert violations(page) == []
