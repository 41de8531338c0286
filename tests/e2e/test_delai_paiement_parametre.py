"""The gestionnaire of a public structure sets its délai global de paiement to 50 days on the parameters page, in
Chromium; the form and the structure page pass axe."""

import pytest
from playwright.sync_api import expect

from chorus.models import ModificationDifferee
from organisation.enums import StatutStructure
from organisation.models import Structure
from tests.e2e.test_accessibilite import violations
from tests.e2e.test_structures import se_connecter
from tests.factories import StructureFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_passer_le_delai_global_de_paiement_a_50_jours(live_server, page, client, utilisateur):
    hopital = StructureFactory(gestionnaire=utilisateur, est_publique=True, raison_sociale="Centre hospitalier")
    Structure.objects.filter(pk=hopital.pk).update(statut=StatutStructure.ACTIVE)
    se_connecter(page, client, live_server, utilisateur)
    page.goto(f"{live_server.url}/organisation/structures/{hopital.pk}/")
    expect(page.locator("#delai-global-paiement")).to_have_text("30 jours")

    page.get_by_role("link", name="Modifier les paramètres").click()
    delai = page.get_by_role("combobox", name="Délai global de paiement (jours)")
    expect(delai).to_have_value("30")
    assert violations(page) == []
    delai.select_option(label="50 jours (établissements publics de santé)")
    page.get_by_role("button", name="Enregistrer les paramètres").click()

    expect(page.get_by_text("La modification des paramètres de la structure est enregistrée.")).to_be_visible()
    expect(page.get_by_text("Modification en attente : Modification des paramètres de la structure")).to_be_visible()
    assert violations(page) == []
    modification = ModificationDifferee.objects.get()
    assert modification.donnees == {"delai_global_paiement": 50}
