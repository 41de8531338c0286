"""A titulaire's validator, in Chromium: the synthèse, a refusal without then with a motif, a validation, the
search and the dashboard; axe finds no violation in any of these states."""

import pytest
from playwright.sync_api import expect

from facturation.enums import DroitDelegation
from facturation.models import DelegationFactures, Facture
from tests.e2e.test_accessibilite import violations
from tests.e2e.test_structures import se_connecter
from tests.facturation.validation.conftest import Circuit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_valider_et_refuser(live_server, page, client):
    circuit = Circuit()
    a_refuser = circuit.facture(numero="ST-2026-1")
    a_valider = circuit.facture(numero="ST-2026-2")
    se_connecter(page, client, live_server, circuit.valideur)

    page.goto(live_server.url + "/factures/a-valider/")
    expect(page.get_by_role("heading", name="Titulaire Bâtiment", exact=False)).to_contain_text("2 factures à valider")
    assert violations(page) == []

    page.get_by_role("link", name="ST-2026-1").click()
    expect(page.get_by_role("heading", name="Facture ST-2026-1", level=1)).to_be_visible()
    assert violations(page) == []
    page.get_by_role("button", name="Refuser").click()
    resume = page.locator("#resume-erreurs")
    expect(resume).to_be_focused()
    expect(resume).to_contain_text("Motif du refus : Saisissez le motif du refus : il est communiqué au fournisseur.")
    assert violations(page) == []
    page.get_by_label("Motif du refus").fill("Travaux non réalisés")
    page.get_by_role("button", name="Refuser").click()
    expect(page.get_by_text("La facture ST-2026-1 est refusée.")).to_be_visible()
    expect(page.locator("#statut-facture")).to_have_text("Refusée par niveau 1")
    expect(page.locator("#facture-historique")).to_contain_text("Travaux non réalisés")
    assert Facture.objects.get(pk=a_refuser.pk).statut == "REFUSEE_1"

    page.goto(live_server.url + f"/factures/a-valider/{a_valider.pk}/")
    page.get_by_label("Commentaire").first.fill("Conforme au PV de réception")
    page.get_by_role("button", name="Valider", exact=True).click()
    expect(page.get_by_text("Elle est mise à disposition du destinataire, Commune de Valbourg.")).to_be_visible()
    expect(page.locator("#statut-facture")).to_have_text("Mise à disposition du destinataire")
    assert violations(page) == []

    page.goto(live_server.url + "/factures/a-valider/")
    expect(page.get_by_text("Aucune facture n'attend votre validation.")).to_be_visible()

    page.get_by_role("link", name="Rechercher").click()
    page.get_by_label("Statut").select_option(label="Refusée par niveau 1")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.locator("#nombre-resultats")).to_contain_text("1 facture")
    expect(page.get_by_role("link", name="ST-2026-1")).to_be_visible()
    assert violations(page) == []
    page.get_by_label("Déposée du").fill("2026-03-10")
    page.get_by_label("Déposée au").fill("2026-03-01")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.locator("#resume-erreurs")).to_contain_text("La date de fin doit être postérieure")
    assert violations(page) == []

    page.get_by_role("link", name="Tableau de bord").click()
    tableau = page.locator("#tableau-de-bord")
    expect(tableau.get_by_role("row", name="Mise en paiement")).to_contain_text("0")
    expect(tableau.get_by_role("row", name="Mise à disposition du destinataire")).to_contain_text("1")
    assert violations(page) == []


def test_le_delegue_traite_une_facture(live_server, page, client):
    circuit = Circuit()
    delegation = DelegationFactures.objects.create(
        delegant=circuit.destinataire, delegue=circuit.titulaire, droit=DroitDelegation.TRAITEMENT
    )
    facture = circuit.facture(numero="A1-2026-7", cadre="A1", delegation=delegation)
    se_connecter(page, client, live_server, circuit.valideur)
    page.goto(live_server.url + f"/factures/a-valider/{facture.pk}/")
    expect(page.locator("#delegation")).to_contain_text("Droit de traitement")
    page.get_by_label("Nouveau statut").select_option(label="Suspendue")
    page.get_by_role("button", name="Enregistrer le traitement").click()
    expect(page.locator("#resume-erreurs")).to_contain_text("Le motif est obligatoire")
    assert violations(page) == []
    page.get_by_label("Nouveau statut").select_option(label="Mise en paiement")
    page.get_by_role("button", name="Enregistrer le traitement").click()
    expect(page.locator("#statut-facture")).to_have_text("Mise en paiement")
    assert violations(page) == []


def test_un_etranger_ne_voit_rien(live_server, page, client):
    circuit = Circuit()
    facture = circuit.facture(numero="ST-SECRET")
    se_connecter(page, client, live_server, circuit.etranger)
    reponse = page.goto(live_server.url + f"/factures/a-valider/{facture.pk}/")
    assert reponse.status == 404
    page.goto(live_server.url + "/factures/a-valider/rechercher/")
    expect(page.locator("#nombre-resultats")).to_contain_text("0 facture")
    assert violations(page) == []


def test_la_synthese_page_par_page(live_server, page, client, monkeypatch):
    """A validator awaited by several structures turns the Synthèse's pages with the DSFR pager."""
    from facturation.views.validation import pages

    monkeypatch.setattr(pages, "SECTIONS_PAR_PAGE", 1)
    circuit = Circuit()
    premiere = circuit.facture(numero="ST-PAGE-1")
    seconde = circuit.facture(numero="ST-PAGE-2", cadre="A12", valideur_2=circuit.mandataire)
    Facture.objects.filter(pk=seconde.pk).update(statut="A_VALIDER_2", date_validation_1=premiere.deposee_le)
    se_connecter(page, client, live_server, circuit.valideur)

    page.goto(live_server.url + "/factures/a-valider/")
    expect(page.get_by_text("Des factures attendent la réponse de 2 structures")).to_be_visible()
    expect(page.get_by_role("heading", name="Mandataire Groupement", exact=False)).to_be_visible()
    expect(page.get_by_role("link", name="ST-PAGE-1")).to_have_count(0)
    page.get_by_role("link", name="Page suivante").click()
    expect(page.get_by_role("heading", name="Titulaire Bâtiment", exact=False)).to_contain_text("1 facture à valider")
    expect(page.get_by_role("link", name="ST-PAGE-1")).to_be_visible()
    assert violations(page) == []
