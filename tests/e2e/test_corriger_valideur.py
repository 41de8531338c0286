"""The supplier corrects the validator of its A9 invoice in Chromium (chorus-pro-features.md row 65): from the
consult page, an unknown SIRET first, then the right titulaire; axe-core on each state."""

import pytest
from playwright.sync_api import expect

from tests.e2e.test_accessibilite import violations
from tests.e2e.test_structures import se_connecter
from tests.factories import StructureFactory
from tests.facturation.emises.conftest import Monde

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_corriger_le_valideur_d_une_facture_a9(live_server, page, client):
    monde = Monde()
    faux = StructureFactory(raison_sociale="Bâtiment Erroné")
    bon = StructureFactory(raison_sociale="Titulaire Bâtiment")
    facture = monde.facture("A_VALIDER_1", numero="F-2026-201", cadre="A9", valideur_1=faux)
    se_connecter(page, client, live_server, monde.gp)

    page.goto(f"{live_server.url}/factures/emises/{facture.pk}/")
    expect(page.locator("#alerte-valideur")).to_contain_text("La facture attend la validation de Bâtiment Erroné")
    assert violations(page) == []
    page.get_by_role("link", name="Corriger le valideur").click()
    expect(page.get_by_role("heading", name="Corriger le valideur de la facture F-2026-201", level=1)).to_be_visible()
    expect(page.get_by_label("SIRET du valideur")).to_have_value(faux.identifiant)
    assert violations(page) == []

    page.get_by_label("SIRET du valideur").fill("99999999999999")
    page.get_by_role("button", name="Corriger le valideur").click()
    resume = page.locator("#resume-erreurs")
    expect(resume).to_be_focused()
    expect(resume).to_contain_text(
        "SIRET du valideur : Le SIRET du valideur 99999999999999 n'est celui d'aucune structure de Chorus Pro."
    )
    assert violations(page) == []

    page.get_by_label("SIRET du valideur").fill(bon.identifiant)
    page.get_by_role("button", name="Corriger le valideur").click()
    expect(page.get_by_text("Le valideur de la facture F-2026-201 est corrigé")).to_be_visible()
    expect(page.locator("#statut-facture")).to_have_text("Mise à disposition du premier valideur")
    expect(page.locator("#facture-historique tbody tr").last).to_contain_text(
        f"Valideur : Bâtiment Erroné ({faux.identifiant}) → Titulaire Bâtiment ({bon.identifiant})"
    )
    assert violations(page) == []
    facture.refresh_from_db()
    assert (facture.statut, facture.valideur_1) == ("A_VALIDER_1", bon)
