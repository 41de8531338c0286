"""README, Entité publique, « Commande » : the demo commune's agent opens « Engagements juridiques » from the Commande
menu, finds the EJs the demo loaded (engagements.matelas), opens one and reads its lines and totals.

Demo objects: EJ-2026-0001 (Ramettes de papier A4 ×40 at 4,20 € 20 %, Manuels scolaires ×12 at 18,50 € 5,5 %),
only read."""

import pytest
from playwright.sync_api import expect

from tests.e2e.demo.conftest import menu, se_connecter

pytestmark = pytest.mark.e2e


def test_un_agent_consulte_un_engagement_juridique_de_la_demo(page, demo):
    se_connecter(page, demo, "Entité publique")
    menu(page, "Commande", "Engagements juridiques")
    expect(page.get_by_role("heading", name="Engagements juridiques", level=1)).to_be_visible()
    liste = page.locator("#engagements")
    for numero in ("EJ-2026-0001", "EJ-2026-0002", "EJ-2026-0003"):
        expect(liste.get_by_role("row", name=numero)).to_be_visible()
    ligne = liste.get_by_role("row", name="EJ-2026-0001")
    expect(ligne).to_contain_text("SERVICE-ACHATS")
    expect(ligne).to_contain_text("390,00 EUR")
    expect(ligne).to_contain_text("435,81 EUR")

    ligne.get_by_role("link", name="EJ-2026-0001").click()
    expect(page.get_by_role("heading", name="Engagement juridique EJ-2026-0001", level=1)).to_be_visible()
    resume = page.locator("#engagement-resume")
    expect(resume).to_contain_text("Commune de Démoville")
    expect(resume).to_contain_text("390,00 HT, 45,81 de TVA, 435,81 TTC (EUR)")
    lignes = page.get_by_role("table", name="Lignes de l'engagement")
    papier = lignes.get_by_role("row", name="Ramettes de papier A4")
    expect(papier).to_contain_text("40")
    expect(papier).to_contain_text("ramette")
    expect(papier).to_contain_text("168,00")
    manuels = lignes.get_by_role("row", name="Manuels scolaires")
    expect(manuels).to_contain_text("5,5 %")
    expect(manuels).to_contain_text("222,00")

    page.get_by_role("link", name="Retour aux engagements juridiques").click()
    expect(page.get_by_role("heading", name="Engagements juridiques", level=1)).to_be_visible()
