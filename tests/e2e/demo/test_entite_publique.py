"""README, Entité publique: « Factures reçues » : synthèse par service, recherche, export, « Traiter » une facture
(service fait, suspension, rejet, mise en paiement…) ; « Gérer délégation des factures reçues ».

Demo objects: DEMO-2026-001 (service fait then mise en paiement), DEMO-2026-002 (suspension), DEMO-2026-006
(rejet). The delegation made here is ended before the journey leaves, so other journeys' invoices still go to the
commune.
"""

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.demo.conftest import menu, se_connecter

pytestmark = pytest.mark.e2e


def ouvrir_facture_recue(page, numero):
    menu(page, "Facturation", "Factures reçues")
    page.get_by_role("link", name="Rechercher", exact=True).first.click()
    page.get_by_label("Numéro de facture").fill(numero)
    page.get_by_role("button", name="Rechercher", exact=True).click()
    page.get_by_role("link", name=numero, exact=True).first.click()
    expect(page.get_by_role("heading", name=f"Facture n° {numero}", level=1)).to_be_visible()


def traiter(page, statut, motif=None, commentaire=None):
    page.locator("label", has_text=statut).filter(has_not_text="Mise à disposition").first.click()
    if motif:
        page.get_by_role("combobox", name="Motif").select_option(label=motif)
    if commentaire:
        page.get_by_label("Commentaire").fill(commentaire)
    page.get_by_role("button", name="Enregistrer le traitement").click()
    historique = page.get_by_role("table", name="Historique des statuts")
    expect(historique.get_by_role("row").last).to_contain_text(statut)


def test_synthese_par_service_recherche_et_export(page, demo):
    se_connecter(page, demo, "Entité publique")
    menu(page, "Facturation", "Factures reçues")
    synthese = page.get_by_role("table", name="Factures à traiter par structure et service")
    expect(synthese).to_contain_text("Commune de Démoville")
    expect(synthese).to_contain_text("SERVICE-ACHATS")

    page.get_by_role("link", name="Rechercher", exact=True).first.click()
    page.get_by_label("Numéro de facture").fill("DEMO-2026")
    page.get_by_role("button", name="Rechercher", exact=True).click()
    resultats = page.get_by_role("table", name="Résultats de la recherche")
    expect(resultats).to_contain_text("DEMO-2026-002")
    with page.expect_download() as telechargement:
        page.get_by_role("link", name="Exporter les résultats (CSV)").click()
    contenu = Path(telechargement.value.path()).read_text(encoding="utf-8-sig")
    lignes = list(csv.reader(io.StringIO(contenu), delimiter=";"))
    assert len(lignes) > 1, contenu
    assert any("DEMO-2026-002" in cellule for ligne in lignes for cellule in ligne), contenu
    assert any("Fournitures Démo SAS" in cellule for ligne in lignes for cellule in ligne), contenu


def test_service_fait_puis_mise_en_paiement(page, demo):
    se_connecter(page, demo, "Entité publique")
    ouvrir_facture_recue(page, "DEMO-2026-001")
    traiter(page, "Service fait")
    traiter(page, "Mise en paiement")
    expect(page.locator("main")).to_contain_text("PAYÉE DANS LE DÉLAI", ignore_case=True)


def test_suspendre_une_facture(page, demo):
    se_connecter(page, demo, "Entité publique")
    ouvrir_facture_recue(page, "DEMO-2026-002")
    traiter(page, "Suspendue", motif="Pièce justificative manquante")
    expect(page.locator("main")).to_contain_text("DÉLAI SUSPENDU", ignore_case=True)


def test_rejeter_une_facture(page, demo):
    se_connecter(page, demo, "Entité publique")
    ouvrir_facture_recue(page, "DEMO-2026-006")
    traiter(page, "Rejetée", motif="Facture en double")


def test_gerer_delegation_des_factures_recues(page, demo):
    delegue = demo.compte("Maître d'œuvre")
    se_connecter(page, demo, "Entité publique")
    menu(page, "Facturation", "Gérer délégation des factures reçues")
    expect(page.get_by_role("heading", name="Gérer délégation des factures reçues", level=1)).to_be_visible()
    page.get_by_role("link", name="Nouvelle délégation pour Commune de Démoville").click()
    page.get_by_label("SIRET de la structure déléguée").fill(delegue["identifiant"])
    page.locator("label", has_text="Droit de validation").first.click()
    page.get_by_role("button", name="Déléguer").click()
    delegations = page.get_by_role("table", name="Délégations des factures reçues par vos structures")
    ligne = delegations.get_by_role("row").filter(has_text=delegue["structure"])
    expect(ligne).to_contain_text("Active depuis le")
    # ended at once: the other journeys' invoices must keep reaching the commune itself
    ligne.get_by_role("link", name="Terminer").click()
    page.get_by_role("button", name="Terminer la délégation").click()
    expect(ligne).to_contain_text("Terminée le")
