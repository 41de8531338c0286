"""The « Factures de travaux » lists in Chromium: « Traiter le rejet » on a mixed selection from the Synthèse, a
search with a filter, the stock; axe-core on each state."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from facturation.models import Facture
from tests.e2e.test_accessibilite import violations
from tests.e2e.test_structures import se_connecter
from tests.travaux.conftest import Chantier
from tests.travaux.test_depot import associer, initial
from travaux.rejets import MESSAGE_NON_ELIGIBLE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def chantier():
    return Chantier()


def statut(piece, code):
    Facture.objects.filter(pk=piece.facture_id).update(statut=code, statut_depuis=timezone.now())


def test_traiter_le_rejet_sur_une_selection_mixte(live_server, page, client, chantier):
    refusee, a_associer = initial(chantier, numero="PDM-001"), initial(chantier, numero="PDM-002")
    statut(refusee, "REFUSEE_MOE")
    statut(a_associer, "A_ASSOCIER_FOURNISSEUR")
    se_connecter(page, client, live_server, chantier.u_fournisseur)
    page.goto(f"{live_server.url}/factures-travaux/")
    expect(page.get_by_role("heading", name="Factures de travaux", level=1)).to_be_visible()
    expect(page.locator("#nombre-resultats")).to_contain_text("2 pièces à traiter")
    assert violations(page) == []

    page.get_by_label("Sélectionner la pièce PDM-001").check(force=True)
    page.get_by_label("Sélectionner la pièce PDM-002").check(force=True)
    page.get_by_role("button", name="Traiter le rejet").click()
    expect(page.get_by_text("1 rejet traité")).to_be_visible()
    expect(page.get_by_text(MESSAGE_NON_ELIGIBLE)).to_be_visible()
    expect(page.locator("#synthese")).not_to_contain_text("PDM-001")
    expect(page.locator("#synthese")).to_contain_text("PDM-002")
    assert violations(page) == []

    page.get_by_label("Masquer les factures téléchargées").check(force=True)
    page.get_by_role("button", name="Filtrer").click()
    expect(page.locator("#synthese")).to_contain_text("PDM-002")
    assert violations(page) == []


def test_rechercher_avec_un_filtre_puis_le_stock(live_server, page, client, chantier):
    initial(chantier, numero="PDM-001")
    a7 = initial(chantier, "A7", numero="PDF-001")
    associer(chantier.u_moe, "moe", "A17", a7, "PDG-001")
    se_connecter(page, client, live_server, chantier.u_moe)
    page.goto(f"{live_server.url}/factures-travaux/rechercher/")
    expect(page.locator("#nombre-resultats")).to_contain_text("3 pièces")
    assert violations(page) == []

    page.get_by_label("Cadre de facturation").select_option("A17")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.locator("#nombre-resultats")).to_contain_text("1 pièce")
    expect(page.locator("#resultats")).to_contain_text("PDG-001")
    expect(page.locator("#resultats")).not_to_contain_text("PDM-001")
    assert violations(page) == []

    page.get_by_label("Déposée du").fill("2030-01-02")
    page.get_by_label("Déposée au").fill("2030-01-01")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.locator("#resume-erreurs")).to_contain_text(
        "La date de fin doit être postérieure ou égale à la date de début."
    )
    assert violations(page) == []

    page.get_by_role("link", name="Tableau de bord (stock)").click()
    expect(page.locator("#stock-moe")).to_contain_text("Mise à disposition de la MOA")
    assert violations(page) == []
    page.get_by_role("link", name="1 pièce au statut Mise à disposition de la MOA (Maîtrise d'œuvre)").click()
    expect(page.locator("#resultats")).to_contain_text("PDG-001")
    expect(page.locator("#nombre-resultats")).to_contain_text("1 pièce")
