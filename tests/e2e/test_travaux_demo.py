"""The works chain of the demo data set in Chromium, on the data `make run` loads (manage.py charger_matelas, no
factories): the MOE takes the supplier's pending projet de décompte mensuel (PDM-2026-02) into account and deposits
its état d'acompte (A15) from it, every reference prefilled; the MOA deposits its état d'acompte validé (A19), which
goes to the payer. Each actor downloads the piece's PDF and the dossier's ZIP, and the test reads them."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from facturation.matelas import _structure
from organisation.enums import RoleDemo
from tests.e2e.test_accessibilite import violations
from tests.e2e.test_structures import se_connecter
from travaux.models import PieceTravaux

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("charger_matelas", stdout=io.StringIO())


@pytest.fixture
def erreurs_console(page):
    """Console errors and CSP violations of every page the journey visits."""
    erreurs = []
    page.on("console", lambda message: message.type == "error" and erreurs.append(message.text))
    page.on("pageerror", lambda erreur: erreurs.append(str(erreur)))
    return erreurs


def _texte_pdf(contenu):
    assert contenu.startswith(b"%PDF-")
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(contenu)).pages)


def _telecharger(page, lien):
    with page.expect_download() as telechargement:
        lien.click()
    return Path(telechargement.value.path()).read_bytes()


def _lire_piece_et_dossier(page, numero, numeros_du_dossier):
    """From the piece page: its PDF and the dossier's ZIP, each opened and read."""
    expect(page.locator("#statut-piece")).to_be_visible()
    assert violations(page) == []
    assert numero in _texte_pdf(_telecharger(page, page.locator("#telecharger-piece")))
    with zipfile.ZipFile(io.BytesIO(_telecharger(page, page.locator("#telecharger-dossier")))) as archive:
        noms = archive.namelist()
        lus = {n: _texte_pdf(archive.read(n)) for n in noms if n.endswith(".pdf")}
    for attendu in numeros_du_dossier:
        assert any(attendu in nom and attendu in texte for nom, texte in lus.items()), (attendu, noms)


def _deposer_la_suite(page, role, structure, cadre, numero):
    page.locator("#deposer-suivante").click()
    expect(page.get_by_role("heading", name="Déposer une facture de travaux", level=1)).to_be_visible()
    # the references of the dossier come prefilled; the engagement its MOA requires is there and not optional
    expect(page.get_by_label("Numéro d'engagement")).to_have_value("EJ-2026-0042")
    expect(page.locator("#id_numero_engagement")).to_have_attribute("required", "")
    expect(page.get_by_label("Numéro de marché")).to_have_value("MARCHE-TRAVAUX-COLLEGE-2026")
    assert violations(page) == []
    page.locator("#id_role").select_option(role)
    page.locator("#id_structure").select_option(str(structure.pk))
    page.locator("#id_cadre").select_option(cadre)
    page.locator("#id_numero").fill(numero)
    page.locator("#id_date_facture").fill(timezone.localdate().strftime("%d/%m/%Y"))
    # French amounts, as a person types them
    page.locator("#id_montant_ht").fill("18 500,00")
    page.locator("#id_montant_tva").fill("3700,00")
    page.locator("#id_montant_ttc").fill("22 200,00")
    page.locator("#id_net_a_payer").fill("22200.00")
    page.locator("#id_pdf").set_input_files(
        files=[{"name": f"{numero}.pdf", "mimeType": "application/pdf", "buffer": _pdf_du_depot(numero)}]
    )
    page.get_by_role("button", name="Valider et envoyer").click()
    expect(page.get_by_text(f"La pièce n° {numero} a été déposée le")).to_be_visible()
    assert violations(page) == []


def _pdf_du_depot(numero):
    from weasyprint import HTML

    return HTML(string=f"<html lang='fr'><body><h1>Pièce {numero}</h1></body></html>").write_pdf()


def test_la_chaine_moe_moa_de_la_demo_jusqu_au_payeur(live_server, page, client, demo, erreurs_console):
    moe, maelle = _structure(RoleDemo.MOE)
    moa, mathieu = _structure(RoleDemo.MOA)
    pdm = PieceTravaux.objects.get(facture__numero="PDM-2026-02")

    # 1. The MOE takes the supplier's pending piece into account, reads it, and deposits its A15 from it.
    se_connecter(page, client, live_server, maelle)
    page.goto(f"{live_server.url}/factures-travaux/dossiers/pieces/{pdm.pk}/")
    expect(page.locator("#statut-piece")).to_have_text("Mise à disposition de la MOE")
    page.get_by_role("button", name="Prendre en compte").click()
    expect(page.locator("#statut-piece")).not_to_have_text("Mise à disposition de la MOE")
    _lire_piece_et_dossier(page, "PDM-2026-02", ["PDM-2026-02"])
    _deposer_la_suite(page, "moe", moe, "A15", "EA-2026-02")
    expect(page.locator("#statut-piece")).to_have_text("Mise à disposition de la MOA")
    a15 = PieceTravaux.objects.get(facture__numero="EA-2026-02")
    page.goto(f"{live_server.url}/factures-travaux/dossiers/pieces/{a15.pk}/")
    _lire_piece_et_dossier(page, "EA-2026-02", ["PDM-2026-02", "EA-2026-02"])

    # 2. The MOA reads the MOE's piece and the dossier, then deposits its A19: it goes to the payer.
    client.logout()
    se_connecter(page, client, live_server, mathieu)
    page.goto(f"{live_server.url}/factures-travaux/dossiers/pieces/{a15.pk}/")
    _lire_piece_et_dossier(page, "EA-2026-02", ["PDM-2026-02", "EA-2026-02"])
    _deposer_la_suite(page, "moa", moa, "A19", "EAV-2026-02")
    expect(page.locator("#statut-piece")).to_have_text("Mise à disposition du destinataire")
    a19 = PieceTravaux.objects.get(facture__numero="EAV-2026-02")
    assert a19.facture.numero_engagement == "EJ-2026-0042"
    page.goto(f"{live_server.url}/factures-travaux/dossiers/pieces/{a19.pk}/")
    _lire_piece_et_dossier(page, "EAV-2026-02", ["PDM-2026-02", "EA-2026-02", "EAV-2026-02"])

    # 3. The supplier follows its dossier to the end and reads every piece.
    client.logout()
    se_connecter(page, client, live_server, _structure(RoleDemo.FOURNISSEUR)[1])
    page.goto(f"{live_server.url}/factures-travaux/dossiers/pieces/{pdm.pk}/")
    expect(page.locator("#statut-piece")).to_have_text("Associée")
    # the demo supplier has rejected invoices: their window opens on the first page after login
    rejets = page.locator("#modale-rejets")
    expect(rejets).to_be_visible()
    rejets.get_by_role("button", name="Fermer", exact=True).click()
    expect(rejets).to_be_hidden()
    _lire_piece_et_dossier(page, "PDM-2026-02", ["PDM-2026-02", "EA-2026-02", "EAV-2026-02"])
    assert erreurs_console == []
