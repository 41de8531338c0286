"""README, Assistant and Mes messages: the button at the bottom right of every page answers a question and, logged
in, gives an invoice's status from its number; « Mes messages » (menu COMMUNICATION) lists each account's portal
notifications, read and unread. Demo objects: DEMO-2026-003 (read only), the supplier's messages."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.demo.conftest import menu, ouvrir_accueil, se_connecter

pytestmark = pytest.mark.e2e

# the menu link also says how many are unread: « Mes messages 5 non lus »
MES_MESSAGES = re.compile(r"^Mes messages")


def demander(page, question):
    page.get_by_role("button", name="Assistant virtuel").click()
    panneau = page.get_by_role("dialog", name="Assistant virtuel")
    expect(panneau).to_be_visible()
    panneau.get_by_label("Question posée à l'assistant").fill(question)
    panneau.get_by_role("button", name="Demander").click()
    return panneau


def test_l_assistant_repond_puis_donne_le_statut_d_une_facture(page, demo):
    ouvrir_accueil(page, demo)
    panneau = demander(page, "comment déposer une facture de travaux ?")
    expect(panneau.get_by_role("link").filter(has_text="travaux").first).to_be_visible()
    panneau.get_by_role("link").filter(has_text="travaux").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("travaux")

    se_connecter(page, demo, "Fournisseur")
    panneau = demander(page, "où en est DEMO-2026-003 ?")
    expect(panneau).to_contain_text("DEMO-2026-003")
    # suspended in the demo; completed once the supplier's journey has sent the missing piece
    expect(panneau).to_contain_text(re.compile("Suspendue|Complétée"))


def test_mes_messages_lus_et_non_lus(page, demo):
    se_connecter(page, demo, "Fournisseur")
    menu(page, "COMMUNICATION", MES_MESSAGES)
    expect(page.get_by_role("heading", name="Mes messages", level=1)).to_be_visible()
    messages = page.get_by_role("table", name="Mes messages")
    non_lu = messages.get_by_role("row").filter(has_text="NON LU").first
    expect(non_lu).to_be_visible()
    objet = non_lu.get_by_role("link").first.inner_text()
    non_lu.get_by_role("link").first.click()
    menu(page, "COMMUNICATION", MES_MESSAGES)
    page.get_by_label("État").select_option(label="Lus")
    page.get_by_role("button", name="Afficher").click()
    expect(page.get_by_role("table", name="Mes messages")).to_contain_text(objet.strip().splitlines()[0])
