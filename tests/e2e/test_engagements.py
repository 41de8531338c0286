"""A public entity's agent, in Chromium, finds « Engagements juridiques » in the Commande menu, loads a file with a
bad line (every error listed, nothing loaded), then the corrected file, and opens one EJ; axe finds no violation."""

import pytest
from playwright.sync_api import expect

from engagements.models import EngagementJuridique
from tests.e2e.test_accessibilite import violations
from tests.e2e.test_structures import se_connecter
from tests.engagements.outils import Monde, fichier, rangee

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_charger_des_engagements(live_server, page, client, tmp_path):
    monde = Monde()
    siret = monde.fournisseur.identifiant
    mauvais = tmp_path / "engagements.csv"
    mauvais.write_bytes(fichier(rangee("EJ-1", siret), rangee("EJ-2", siret, quantite="beaucoup")))
    se_connecter(page, client, live_server, monde.chargeur)

    page.goto(live_server.url + "/")
    page.get_by_role("button", name="Commande").click()
    page.get_by_role("link", name="Engagements juridiques").click()
    expect(page.get_by_role("heading", name="Engagements juridiques", level=1)).to_be_visible()
    expect(page.locator("#nombre-resultats")).to_have_text("0 engagement juridique.")
    assert violations(page) == []

    page.get_by_role("link", name="Charger un fichier d'engagements").click()
    page.get_by_label("Fichier des engagements (CSV)").set_input_files(str(mauvais))
    page.get_by_role("button", name="Charger").click()
    resume = page.locator("#resume-erreurs")
    expect(resume).to_contain_text("Le fichier est refusé : 1 erreur. Aucun engagement n'a été chargé.")
    expect(resume).to_contain_text("Ligne 3, colonne « quantite » : « beaucoup » n'est pas un nombre.")
    assert violations(page) == []
    assert not EngagementJuridique.objects.exists()

    bon = tmp_path / "corrige.csv"
    bon.write_bytes(fichier(rangee("EJ-1", siret), rangee("EJ-2", siret, quantite="3,5")))
    page.get_by_label("Fichier des engagements (CSV)").set_input_files(str(bon))
    page.get_by_role("button", name="Charger").click()
    expect(page.get_by_text("2 engagements juridiques chargés pour Commune de Valbourg.")).to_be_visible()
    ligne = page.locator("#engagements").get_by_role("row", name="EJ-2")
    expect(ligne).to_contain_text("Papeterie Martin")
    expect(ligne).to_contain_text("17,64 EUR")
    assert violations(page) == []

    ligne.get_by_role("link", name="EJ-2").click()
    expect(page.get_by_role("heading", name="Engagement juridique EJ-2", level=1)).to_be_visible()
    expect(page.locator("#lignes")).to_contain_text("3,5")
    assert violations(page) == []
