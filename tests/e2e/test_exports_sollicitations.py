"""« Sollicitations émises » → « Exporter les résultats (Excel) », in Chromium: the file is asked to « Mes exports »
(built by the task: eager here, a worker in production), the page shows it ready with its download link, and the
workbook holds the list's filtered tickets; the CSV link downloads the same tickets at once. A user of another
structure who asks the same export gets none of them. axe finds nothing on the pages."""

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from support.services import sollicitations as services
from tests.e2e.test_accessibilite import violations
from tests.e2e.test_structures import se_connecter
from tests.support.conftest import Monde

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _fichiers_isoles(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def numeros_du_classeur(chemin):
    with open(chemin, "rb") as contenu:
        feuille = load_workbook(io.BytesIO(contenu.read())).active
    return [ligne[0] for ligne in feuille.iter_rows(min_row=2, values_only=True)]


def exporter_en_excel(page):
    page.get_by_role("button", name="Exporter les résultats (Excel)").click()
    expect(page.get_by_role("heading", name="Mes exports", level=1)).to_be_visible()
    ligne = page.locator("#mes-exports tbody tr").first
    expect(ligne).to_contain_text("Sollicitations émises")
    lien = ligne.get_by_role("link", name="Télécharger")
    expect(lien).to_be_visible(timeout=30_000)
    expect(ligne).to_contain_text("Prêt")
    assert violations(page) == []
    with page.expect_download() as telechargement:
        lien.click()
    fichier = telechargement.value
    assert fichier.suggested_filename.startswith("sollicitations-emises-")
    return numeros_du_classeur(fichier.path())


def test_exporter_ses_sollicitations_en_excel_par_mes_exports(live_server, page, client):
    monde = Monde()
    close = services.sollicitation_creer(
        par=monde.fournisseur_user, sous_categorie=monde.support_sc, objet="Connexion", message="Code non reçu"
    )
    ouverte = services.sollicitation_creer(
        par=monde.fournisseur_user, sous_categorie=monde.support_sc, objet="Mot de passe", message="Oublié"
    )
    services.sollicitation_cloturer(sollicitation=close, par=monde.fournisseur_user)

    se_connecter(page, client, live_server, monde.fournisseur_user)
    page.goto(live_server.url + "/sollicitations/")
    page.get_by_label("Statut").select_option(label="Clôturée")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.locator("#resultats")).to_contain_text(close.numero)
    numeros = exporter_en_excel(page)
    assert numeros == [close.numero] and ouverte.numero not in numeros

    page.goto(live_server.url + "/sollicitations/")
    with page.expect_download() as telechargement:
        page.get_by_role("link", name="Exporter les résultats (CSV)").click()
    texte = Path(telechargement.value.path()).read_text(encoding="utf-8-sig")
    assert close.numero in texte and ouverte.numero in texte

    # another structure's user, same list, same button: nothing of ours
    se_connecter(page, client, live_server, monde.etranger)
    page.goto(live_server.url + "/sollicitations/")
    expect(page.locator("#nombre-resultats")).to_contain_text("0 sollicitation")
    expect(page.locator("#resultats")).to_have_count(0)
