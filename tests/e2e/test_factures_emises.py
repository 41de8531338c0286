"""The supplier's « Factures émises » in Chromium: recycle, complete, the rejection pop-up, « Traiter le rejet »;
axe-core on each state."""

import pytest
from playwright.sync_api import expect

from facturation.services.suivi import MESSAGE_TRAITER_REJET_NON_ELIGIBLE
from facturation.services.traitement import facture_traiter
from tests.e2e.test_accessibilite import violations
from tests.e2e.test_structures import se_connecter
from tests.facturation.emises.conftest import Monde

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def monde():
    return Monde()


def test_recycler_avec_un_nouveau_code_service(live_server, page, client, monde):
    f = monde.facture("A_RECYCLER", numero="F-2026-101")
    se_connecter(page, client, live_server, monde.gp)
    page.goto(f"{live_server.url}/factures/emises/")
    assert violations(page) == []
    page.get_by_role("link", name="Recycler la facture F-2026-101").click()
    expect(page.get_by_role("heading", name="Recycler la facture F-2026-101", level=1)).to_be_visible()
    assert violations(page) == []

    page.get_by_label("Code service").fill("INCONNU")
    page.get_by_role("button", name="Renvoyer la facture").click()
    resume = page.locator("#resume-erreurs")
    expect(resume).to_be_focused()
    expect(resume).to_contain_text("Le code service « INCONNU » n'existe pas chez le destinataire")
    assert violations(page) == []

    page.get_by_label("Code service").fill("ACHATS")
    page.get_by_role("button", name="Renvoyer la facture").click()
    expect(page.get_by_text("La facture F-2026-101 est renvoyée avec le même numéro")).to_be_visible()
    expect(page.locator("#statut-facture")).to_have_text("Mise à disposition du destinataire")
    expect(page.locator("#facture-historique")).to_contain_text("Code service : FIN → ACHATS")
    assert violations(page) == []
    f.refresh_from_db()
    assert (f.numero, f.service_destinataire) == ("F-2026-101", monde.achats)


def test_completer_avec_un_commentaire_et_un_pdf(live_server, page, client, monde):
    f = monde.facture("SUSPENDUE", numero="F-2026-102")
    se_connecter(page, client, live_server, monde.gp)
    page.goto(f"{live_server.url}/factures/emises/{f.pk}/")
    assert violations(page) == []
    page.get_by_role("link", name="Compléter", exact=True).click()
    page.get_by_role("button", name="Renvoyer la facture").click()
    expect(page.locator("#resume-erreurs")).to_contain_text(
        "Ajoutez un commentaire ou au moins une pièce jointe pour compléter la facture."
    )
    assert violations(page) == []

    page.get_by_label("Commentaire").fill("Voici le bon de livraison signé.")
    page.get_by_label("Pièces jointes").set_input_files(
        files=[{"name": "bon-livraison.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 bon"}]
    )
    page.get_by_role("button", name="Renvoyer la facture").click()
    expect(page.get_by_text("La facture F-2026-102 est complétée")).to_be_visible()
    expect(page.locator("#statut-facture")).to_have_text("Complétée")
    expect(page.locator("#facture-pieces-jointes")).to_contain_text("bon-livraison.pdf")
    expect(page.locator("#facture-historique")).to_contain_text("Voici le bon de livraison signé.")
    assert violations(page) == []
    f.refresh_from_db()
    assert f.statut == "COMPLETEE"


def test_le_popup_des_rejets_et_l_acquittement_de_la_selection(live_server, page, client, monde):
    premiere, seconde = monde.facture(numero="F-2026-103"), monde.facture(numero="F-2026-104")
    for f, motif in ((premiere, "Montant erroné"), (seconde, "Facture en double")):
        facture_traiter(facture=f, par=monde.agent, statut_cible="REJETEE", motif=motif)
    se_connecter(page, client, live_server, monde.gp)
    page.goto(f"{live_server.url}/factures/emises/tableau-de-bord/")

    modale = page.locator("#modale-rejets")
    expect(modale).to_be_visible()
    expect(modale.get_by_role("heading", name="Factures rejetées : 2 nouveaux rejets")).to_be_visible()
    expect(modale).to_contain_text("Montant erroné")
    expect(modale).to_contain_text("Facture en double")
    assert violations(page) == []

    # force: the DSFR draws the box on the label laid over the input, which receives the click
    modale.get_by_label("Sélectionner la facture F-2026-103").check(force=True)
    expect(modale.get_by_label("Sélectionner la facture F-2026-103")).to_be_checked()
    modale.get_by_role("button", name="Acquitter les factures sélectionnées").click()
    expect(page.get_by_text("1 rejet acquitté.")).to_be_visible()
    # the remaining rejection comes back
    expect(page.locator("#modale-rejets")).to_be_visible()
    expect(page.locator("#modale-rejets")).not_to_contain_text("F-2026-103")
    expect(page.locator("#modale-rejets")).to_contain_text("F-2026-104")
    assert violations(page) == []
    premiere.refresh_from_db(), seconde.refresh_from_db()
    assert premiere.rejet_acquitte_le is not None and seconde.rejet_acquitte_le is None

    page.locator("#modale-rejets").get_by_role("button", name="Tout acquitter et fermer").click()
    expect(page.get_by_text("1 rejet acquitté.")).to_be_visible()
    expect(page.locator("#modale-rejets")).to_have_count(0)
    seconde.refresh_from_db()
    assert seconde.rejet_acquitte_le is not None


def test_traiter_le_rejet_d_une_selection_mixte(live_server, page, client, monde):
    rejetee = monde.facture(numero="F-2026-105")
    facture_traiter(facture=rejetee, par=monde.agent, statut_cible="REJETEE", motif="Montant erroné")
    suspendue = monde.facture("SUSPENDUE", numero="F-2026-106")
    se_connecter(page, client, live_server, monde.gp)
    page.goto(f"{live_server.url}/factures/emises/tableau-de-bord/")
    page.locator("#modale-rejets").get_by_role("button", name="Tout acquitter et fermer").click()

    page.get_by_role("link", name="Synthèse").click()
    synthese = page.locator("#synthese")
    for f in (rejetee, suspendue):
        synthese.get_by_label(f"Sélectionner la facture {f.numero}").check(force=True)
        expect(synthese.get_by_label(f"Sélectionner la facture {f.numero}")).to_be_checked()
    page.get_by_role("button", name="Traiter le rejet").click()
    expect(page.get_by_text(MESSAGE_TRAITER_REJET_NON_ELIGIBLE)).to_be_visible()
    expect(page.get_by_text("1 rejet traité : la facture n'apparait plus dans la synthèse.")).to_be_visible()
    expect(page.locator("#synthese")).not_to_contain_text("F-2026-105")
    expect(page.locator("#synthese")).to_contain_text("F-2026-106")
    assert violations(page) == []
    rejetee.refresh_from_db(), suspendue.refresh_from_db()
    assert rejetee.rejet_traite_le is not None and suspendue.rejet_traite_le is None
