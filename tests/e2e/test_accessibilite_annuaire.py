"""axe-core finds no violation on the directory pages and the support agents' pages."""

import re

import pytest
from django.urls import reverse

from organisation.enums import Application, Niveau, StatutStructure
from organisation.matelas import siret_fictif
from organisation.models import Service, Structure
from tests.conftest import connecter
from tests.e2e.test_accessibilite import violations
from tests.factories import StructureFactory, UtilisateurFactory, rattacher

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def donnees(db):
    agent = UtilisateurFactory(est_agent_support=True)
    gp = UtilisateurFactory()
    publique = StructureFactory(
        est_publique=True, gestionnaire=gp, raison_sociale="Mairie de Rennes", identifiant=siret_fictif(41)
    )
    Structure.objects.filter(pk=publique.pk).update(statut=StatutStructure.ACTIVE, code_service_obligatoire=True)
    Service.objects.create(structure=publique, code="FACT", libelle="Service facturier", engagement_obligatoire=True)
    rattacher(UtilisateurFactory(), publique, (Application.FACTURES_RECUES, Niveau.CONSULTATION))
    StructureFactory(est_publique=True, raison_sociale="Mairie de Vannes", identifiant=siret_fictif(42))
    return {"agent": agent, "gp": gp, "publique": publique}


def _ouvrir(page, client, live_server, utilisateur, url):
    connecter(client, utilisateur)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    reponse = page.goto(live_server.url + url)
    assert reponse.status == 200 and page.url == live_server.url + url  # the page itself, not the login page


@pytest.mark.parametrize(
    "url",
    [
        lambda d: reverse("organisation:annuaire"),
        lambda d: reverse("organisation:annuaire") + "?q=rennes&tri=-identifiant",
        lambda d: reverse("organisation:annuaire") + "?q=introuvable",
        lambda d: reverse("organisation:annuaire_structure", args=[d["publique"].pk]),
    ],
    ids=["liste", "recherche", "sans-resultat", "fiche"],
)
def test_pages_de_l_annuaire(live_server, page, client, donnees, url):
    _ouvrir(page, client, live_server, donnees["gp"], url(donnees))
    assert violations(page) == []


@pytest.mark.parametrize(
    "url",
    [
        lambda d: reverse("organisation:support_structures"),
        lambda d: reverse("organisation:support_utilisateurs"),
        lambda d: reverse("organisation:support_utilisateurs") + f"?q={d['gp'].nom}",
        lambda d: reverse("organisation:support_utilisateur", args=[d["gp"].pk]),
        lambda d: reverse("organisation:support_utilisateur_adresse", args=[d["gp"].pk]),
        lambda d: reverse("organisation:support_gestionnaire", args=[d["publique"].pk]),
        lambda d: reverse(
            "organisation:support_structure_refuser",
            args=[Structure.objects.get(raison_sociale="Mairie de Vannes").pk],
        ),
    ],
    ids=["structures", "utilisateurs", "recherche", "utilisateur", "adresse", "gestionnaire", "refuser"],
)
def test_pages_du_support(live_server, page, client, donnees, url):
    _ouvrir(page, client, live_server, donnees["agent"], url(donnees))
    assert violations(page) == []


def test_formulaire_du_support_en_erreur(live_server, page, client, donnees):
    _ouvrir(page, client, live_server, donnees["agent"], reverse("organisation:support_gestionnaire",
                                                                  args=[donnees["publique"].pk]))  # fmt: skip
    page.get_by_role("button", name="Transférer le rôle").click()
    page.wait_for_selector("#resume-erreurs")
    assert violations(page) == []


def test_page_du_doublon_et_sa_confirmation(live_server, page, client, donnees):
    doublon = Structure.objects.get(raison_sociale="Mairie de Vannes")
    _ouvrir(page, client, live_server, donnees["agent"], reverse("organisation:support_doublon", args=[doublon.pk]))
    assert violations(page) == []
    page.get_by_role("textbox", name=re.compile(r"^Identifiant de la structure d'origine")).fill(
        donnees["publique"].identifiant
    )
    page.get_by_role("textbox", name=re.compile(r"^Motif")).fill("Structure créée deux fois")
    page.get_by_role("button", name="Vérifier la structure d'origine").click()
    page.get_by_role("button", name="Confirmer le doublon").wait_for()
    assert violations(page) == []
