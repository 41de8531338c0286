"""A public entity's agent, in Chromium, delegates the validation of its received invoices for one service (an error
first), sees the delegation, then ends it; axe finds no violation in any of these states."""

import pytest
from playwright.sync_api import expect

from facturation.models import DelegationFactures
from organisation.enums import Application, Niveau
from organisation.models import Service
from tests.e2e.test_accessibilite import violations
from tests.e2e.test_structures import se_connecter
from tests.factories import StructureFactory
from tests.facturation.validation.conftest import agent, structure_publique_active

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_deleguer_puis_terminer(live_server, page, client):
    commune = structure_publique_active(raison_sociale="Commune de Valbourg")
    Service.objects.create(structure=commune, code="ACHATS", libelle="Achats")
    Service.objects.create(structure=commune, code="VOIRIE", libelle="Voirie")
    cabinet = StructureFactory(raison_sociale="Cabinet Délégué")
    gestionnaire = agent(commune, (Application.FACTURES_RECUES, Niveau.MODIFICATION))
    se_connecter(page, client, live_server, gestionnaire)

    page.goto(live_server.url + "/factures/delegations/")
    expect(page.get_by_role("heading", name="Gérer délégation des factures reçues", level=1)).to_be_visible()
    assert violations(page) == []
    page.get_by_role("link", name="Nouvelle délégation pour Commune de Valbourg").click()
    assert violations(page) == []

    page.get_by_label("SIRET de la structure déléguée").fill("1234")
    page.get_by_role("button", name="Déléguer").click()
    resume = page.locator("#resume-erreurs")
    expect(resume).to_be_focused()
    expect(resume).to_contain_text("Le formulaire contient 1 erreur")
    expect(resume).to_contain_text("Choisissez le droit accordé")
    assert violations(page) == []

    page.locator("label", has_text="Droit de traitement").click()  # DSFR draws the radio in its label
    page.get_by_role("button", name="Déléguer").click()
    expect(page.locator("#resume-erreurs")).to_contain_text(
        "Le SIRET doit comporter 14 chiffres (4 caractères saisis)."
    )

    page.get_by_label("SIRET de la structure déléguée").fill(cabinet.identifiant)
    page.locator("label", has_text="ACHATS – Achats").click()
    page.get_by_role("button", name="Déléguer").click()
    expect(
        page.get_by_text("Cabinet Délégué est valideur délégué des factures reçues par Commune de Valbourg")
    ).to_be_visible()
    ligne = page.locator("#delegations-donnees").get_by_role("row", name="Cabinet Délégué")
    expect(ligne).to_contain_text("ACHATS")
    expect(ligne).to_contain_text("Droit de traitement")
    expect(ligne).to_contain_text("Active depuis le")
    assert violations(page) == []

    ligne.get_by_role("link", name="Terminer").click()
    assert violations(page) == []
    page.get_by_role("button", name="Terminer la délégation").click()
    expect(page.get_by_text("La délégation à Cabinet Délégué est terminée.")).to_be_visible()
    expect(page.locator("#delegations-donnees")).to_contain_text("Terminée le")
    assert not DelegationFactures.objects.get().active
    assert violations(page) == []


def test_un_etranger_recoit_404(live_server, page, client):
    commune = structure_publique_active(raison_sociale="Commune de Valbourg")
    etranger = structure_publique_active(raison_sociale="Autre commune").rattachements.get().utilisateur
    se_connecter(page, client, live_server, etranger)
    assert page.goto(live_server.url + f"/factures/delegations/structures/{commune.pk}/creer/").status == 404
    page.goto(live_server.url + "/factures/delegations/")
    expect(page.get_by_text("Commune de Valbourg")).to_have_count(0)
    assert violations(page) == []
