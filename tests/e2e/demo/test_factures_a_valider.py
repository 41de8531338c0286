"""README: « Factures à valider » : la facture d'un sous-traitant (A9) dont le fournisseur de démonstration est le
titulaire ; le projet de décompte mensuel (A13) du cotraitant, validé par son mandataire, part chez la maîtrise
d'œuvre. Demo objects: ST-2026-001 (A9) and PDM-CT-2026-01 (A13)."""

import pytest
from playwright.sync_api import expect

from tests.e2e.demo.conftest import menu, se_connecter

pytestmark = pytest.mark.e2e


def valider(page, numero):
    menu(page, "Facturation", "Factures à valider")
    expect(page.get_by_role("heading", name="Factures à valider", level=1)).to_be_visible()
    page.get_by_role("link", name=numero, exact=True).first.click()
    expect(page.get_by_role("heading", name=f"Facture {numero}", level=1)).to_be_visible()
    page.get_by_role("button", name="Valider", exact=True).click()
    historique = page.get_by_role("table", name="Historique des statuts")
    expect(historique).to_contain_text("Validée par le premier valideur")


def test_le_titulaire_valide_la_facture_du_sous_traitant(page, demo):
    se_connecter(page, demo, "Fournisseur")
    valider(page, "ST-2026-001")
    expect(page.get_by_role("table", name="Historique des statuts")).to_contain_text(
        "Mise à disposition du destinataire"
    )

    # the commune receives it
    se_connecter(page, demo, "Entité publique")
    menu(page, "Facturation", "Factures reçues")
    page.get_by_role("link", name="Rechercher", exact=True).first.click()
    page.get_by_label("Numéro de facture").fill("ST-2026-001")
    page.get_by_role("button", name="Rechercher", exact=True).click()
    expect(page.get_by_role("table", name="Résultats de la recherche")).to_contain_text(
        "Mise à disposition du destinataire"
    )


def test_le_mandataire_valide_le_decompte_du_cotraitant_qui_part_chez_la_moe(page, demo):
    se_connecter(page, demo, "Fournisseur")
    valider(page, "PDM-CT-2026-01")

    se_connecter(page, demo, "Maître d'œuvre")
    menu(page, "Factures de travaux", "Synthèse")
    pieces = page.get_by_role("table", name="Pièces à traiter")
    expect(pieces.get_by_role("row").filter(has_text="PDM-CT-2026-01")).to_contain_text("Mise à disposition de la MOE")
