"""A recipient in Chromium: from the Synthèse to an invoice, suspends it (forgetting the motif first), sees the new
status and the history row; steps in for its delegate; axe finds nothing on every page state of the space."""

import io
import zipfile

import pytest
from playwright.sync_api import expect

from facturation.enums import DroitDelegation
from facturation.models import DelegationFactures
from tests.e2e.test_accessibilite import violations
from tests.e2e.test_structures import se_connecter
from tests.factories import StructureFactory
from tests.facturation.recues.conftest import Monde, avec_fichiers, piece_jointe

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_suspendre_une_facture_depuis_la_synthese(live_server, page, client):
    monde = Monde()
    facture = monde.facture(numero="FAC-2026-017", service=monde.achats)
    monde.facture(numero="FAC-2026-018", statut="SERVICE_FAIT")
    se_connecter(page, client, live_server, monde.agent)

    page.goto(live_server.url + "/factures/recues/")
    expect(page.get_by_role("heading", name="Factures reçues", level=1)).to_be_visible()
    synthese = page.locator("#synthese")
    expect(synthese).to_contain_text("Service ACHATS – Service des achats")
    assert violations(page) == []

    synthese.get_by_role(
        "link", name="1 Mise à disposition du destinataire, Commune de Valbourg service ACHATS"
    ).click()
    expect(page.get_by_role("heading", name="Rechercher une facture reçue", level=1)).to_be_visible()
    expect(page.locator("#nombre-resultats")).to_have_text("1 facture trouvée.")
    assert violations(page) == []

    page.get_by_role("link", name="FAC-2026-017").click()
    expect(page.get_by_role("heading", name="Facture n° FAC-2026-017", level=1)).to_be_visible()
    expect(page.locator("#conseils-traitement")).to_contain_text(
        "Pièce justificative manquante : choisissez « Suspendue »"
    )
    # the motif and the mandate number appear only with the statuses that use them
    expect(page.locator("#bloc-motif")).to_be_hidden()
    page.locator("#form-traiter").get_by_text("Mandatée", exact=True).click()
    expect(page.get_by_label("Numéro de mandat")).to_be_visible()
    assert violations(page) == []

    page.locator("#form-traiter").get_by_text("Suspendue", exact=True).click()
    expect(page.locator("#bloc-mandat")).to_be_hidden()
    expect(page.get_by_role("combobox", name="Motif")).to_be_visible()
    page.get_by_role("button", name="Enregistrer le traitement").click()

    resume = page.locator("#resume-erreurs")
    expect(resume).to_contain_text("Le motif est obligatoire pour passer la facture au statut « Suspendue ».")
    expect(resume).to_be_focused()
    assert violations(page) == []

    page.get_by_role("combobox", name="Motif").select_option("Pièce justificative manquante")
    page.get_by_label("Commentaire").fill("Il manque le bon de livraison.")
    page.get_by_role("button", name="Enregistrer le traitement").click()

    expect(page.get_by_text("La facture n° FAC-2026-017 est passée au statut « Suspendue ».")).to_be_visible()
    expect(page.locator("#statut-facture")).to_have_text("Suspendue")
    derniere = page.locator("#facture-historique tbody tr").last
    expect(derniere).to_contain_text("Suspendue")
    expect(derniere).to_contain_text("Pièce justificative manquante – Il manque le bon de livraison.")
    expect(derniere).to_contain_text(f"{monde.agent.prenom} {monde.agent.nom}")
    facture.refresh_from_db()
    assert facture.statut == "SUSPENDUE"


def test_tableau_de_bord_accessible_et_ouvre_la_liste(live_server, page, client):
    monde = Monde()
    monde.facture(numero="FAC-1")
    monde.facture(numero="FAC-2", statut="MANDATEE")
    se_connecter(page, client, live_server, monde.agent)
    page.goto(live_server.url + "/factures/recues/tableau-de-bord/")
    expect(page.get_by_role("heading", name="Tableau de bord des factures reçues", level=1)).to_be_visible()
    assert violations(page) == []
    page.locator("#tableau-de-bord").get_by_role("link", name="1 Mandatée").click()
    expect(page.locator("#resultats")).to_contain_text("FAC-2")
    expect(page.locator("#resultats")).not_to_contain_text("FAC-1")


def test_le_destinataire_valide_a_la_place_de_son_delegue(live_server, page, client):
    monde = Monde()
    delegue = StructureFactory(raison_sociale="Cabinet Délégué")
    delegation = DelegationFactures.objects.create(
        delegant=monde.destinataire, delegue=delegue, droit=DroitDelegation.VALIDATION
    )
    facture = monde.facture(numero="FAC-2026-030", statut="A_VALIDER_1", valideur_1=delegue, delegation=delegation)
    se_connecter(page, client, live_server, monde.agent)

    page.goto(f"{live_server.url}/factures/recues/{facture.pk}/")
    expect(page.locator("#chez-le-valideur")).to_contain_text("Vous pouvez vous substituer à lui à tout moment")
    assert violations(page) == []

    page.get_by_role("button", name="Refuser").click()
    resume = page.locator("#form-refuser #resume-erreurs")
    expect(resume).to_contain_text("Motif du refus : Saisissez le motif du refus")
    assert violations(page) == []

    page.locator("#form-valider").get_by_label("Commentaire").fill("Prestation vérifiée sur place.")
    page.get_by_role("button", name="Valider", exact=True).click()
    expect(page.get_by_text("La facture n° FAC-2026-030 est validée à la place du valideur délégué")).to_be_visible()
    expect(page.locator("#statut-facture")).to_have_text("Mise à disposition du destinataire")
    expect(page.locator("#facture-historique")).to_contain_text("Prestation vérifiée sur place.")
    expect(page.locator("#form-traiter")).to_be_visible()
    assert violations(page) == []
    facture.refresh_from_db()
    assert facture.statut == "MISE_A_DISPOSITION"


def test_telecharger_la_selection_en_zip(live_server, page, client):
    """Tick two invoices of a search, choose XML with the attachments, get one ZIP; both are now « téléchargée »."""
    monde = Monde()
    avec_fichiers(monde.facture(numero="FAC-2026-101"))
    f2 = avec_fichiers(monde.facture(numero="FAC-2026-102"))
    piece_jointe(f2, nom="bon-de-livraison.pdf")
    avec_fichiers(monde.facture(numero="FAC-2026-103"))
    se_connecter(page, client, live_server, monde.agent)

    page.goto(live_server.url + "/factures/recues/rechercher/")
    # nothing ticked: the page says so
    page.get_by_role("button", name="Télécharger la sélection").click()
    expect(page.locator(".fr-alert--error")).to_contain_text("Sélectionnez au moins une facture à télécharger.")

    page.get_by_label("Sélectionner la facture FAC-2026-101").check(force=True)
    page.get_by_label("Sélectionner la facture FAC-2026-102").check(force=True)
    groupe = page.locator("#telechargement-groupe")
    groupe.get_by_text("XML", exact=True).click()
    groupe.get_by_text("Avec les pièces jointes").click()
    expect(groupe.get_by_label("XML", exact=True)).to_be_checked()
    assert violations(page) == []
    with page.expect_download() as attente:
        page.get_by_role("button", name="Télécharger la sélection").click()
    telechargement = attente.value
    assert telechargement.suggested_filename.startswith("factures-recues-")
    archive = zipfile.ZipFile(io.BytesIO(telechargement.path().read_bytes()))
    assert sorted(archive.namelist()) == [
        "FAC-2026-101.xml",
        "FAC-2026-102-pieces-jointes/bon-de-livraison.pdf",
        "FAC-2026-102.xml",
    ]
    page.reload()
    lignes = page.locator("#resultats tbody tr")
    expect(lignes.filter(has_text="FAC-2026-101")).to_contain_text("Oui")
    expect(lignes.filter(has_text="FAC-2026-103")).to_contain_text("Non")


def test_une_longue_liste_se_compte_a_la_demande(live_server, page, client):
    """Issue #16: a list of more than one page is not counted until the user asks; the pager goes on meanwhile."""
    monde = Monde()
    for i in range(23):
        monde.facture(numero=f"LOT-{i:02d}")
    se_connecter(page, client, live_server, monde.agent)

    page.goto(live_server.url + "/factures/recues/rechercher/?numero=LOT&tri=numero")
    nombre = page.locator("#nombre-resultats")
    expect(nombre).to_have_text("Factures 1 à 20 affichées, d'autres suivent. Compter les résultats")
    expect(page.locator("#resultats tbody tr")).to_have_count(20)
    assert violations(page) == []

    page.get_by_role("link", name="Compter les résultats").click()
    expect(nombre).to_have_text("23 factures trouvées.")
    expect(page.get_by_role("link", name="Dernière page")).to_be_visible()

    page.get_by_role("link", name="Page suivante").click()
    expect(page.locator("#resultats tbody tr")).to_have_count(3)
    expect(page.locator("#resultats")).to_contain_text("LOT-22")
    expect(nombre).to_have_text("23 factures trouvées.")
    assert violations(page) == []
