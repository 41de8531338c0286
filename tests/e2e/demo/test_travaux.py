"""README, Maîtrise d'œuvre et maîtrise d'ouvrage: menu « Factures de travaux » : le projet de décompte mensuel du
fournisseur chez la MOE (PDM-2026-02) est pris en compte, la MOE dépose son état d'acompte (A15) à partir de la
pièce, la MOA dépose l'état d'acompte validé (A19), qui part chez le payeur ; chacun télécharge et lit la pièce et
les pièces du dossier de facturation. Demo objects: PDM-2026-02 and its dossier; new pieces EA-2026-02, EAV-2026-02.
"""

import io
import zipfile
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.demo.conftest import menu, se_connecter

pytestmark = pytest.mark.e2e

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def ouvrir_piece(page, numero):
    menu(page, "Factures de travaux", "Synthèse")
    page.get_by_role("table", name="Pièces à traiter").get_by_role("link", name=numero, exact=True).click()
    expect(page.get_by_role("heading", name=numero)).to_be_visible()


def telecharger(page, lien):
    with page.expect_download() as telechargement:
        lien.click()
    return Path(telechargement.value.path()).read_bytes()


def deposer_la_suite(page, role, structure, cadre, numero, fichier):
    page.get_by_role("link", name="Déposer la pièce suivante").click()
    expect(page.get_by_role("heading", name="Déposer une facture de travaux", level=1)).to_be_visible()
    # the references of the dossier come prefilled; the engagement its MOA requires is there and not optional
    expect(page.locator("#id_numero_engagement")).to_have_value("EJ-2026-0042")
    expect(page.locator("#id_numero_engagement")).to_have_attribute("required", "")
    expect(page.locator("#id_numero_marche")).to_have_value("MARCHE-TRAVAUX-COLLEGE-2026")
    page.get_by_label("Je dépose en tant que").select_option(label=role)
    # its only structure, named with its SIRET in the list
    champ = page.locator("#id_structure")
    champ.select_option(index=1)
    expect(champ.locator("option:checked")).to_contain_text(structure)
    page.get_by_label("Cadre de facturation").select_option(value=cadre)
    page.get_by_label("Numéro de la pièce").fill(numero)
    page.get_by_label("Date de la pièce").fill(timezone.localdate().strftime("%d/%m/%Y"))
    # amounts as a French user writes them (by id: each label also holds its help, naming the other amounts)
    page.locator("#id_montant_ht").fill("18500,00")
    page.locator("#id_montant_tva").fill("3700,00")
    page.locator("#id_montant_ttc").fill("22200,00")
    page.get_by_label("Net à payer").fill("22200,00")
    page.get_by_label("Pièce au format PDF").set_input_files(str(fichier))
    page.get_by_role("button", name="Valider et envoyer").click()
    expect(page.get_by_text(f"La pièce n° {numero} a été déposée le")).to_be_visible()


def test_de_la_moe_a_la_moa_puis_au_payeur(page, demo, tmp_path):
    fichier = tmp_path / "etat-acompte.pdf"
    fichier.write_bytes(PDF)

    # 1. The MOE takes the supplier's projet de décompte into account and reads its PDF.
    se_connecter(page, demo, "Maître d'œuvre")
    ouvrir_piece(page, "PDM-2026-02")
    page.get_by_role("button", name="Prendre en compte").click()
    expect(page.locator("#statut-piece")).to_have_text("Prise en compte MOE")
    # the piece deposited as a PDF on the portal is offered for download, not reported as missing
    expect(page.locator("main")).to_contain_text("Pièce déposée")
    pdf = telecharger(
        page,
        page.locator("main").get_by_role("link", name="PDM-2026-02", exact=False).filter(has_text="Télécharger").first,
    )
    assert pdf.startswith(b"%PDF-") and len(pdf) > 500, pdf[:100]

    # 2. Its état d'acompte from the piece.
    deposer_la_suite(page, "Maîtrise d'œuvre", "Cabinet Démo Maîtrise d'œuvre", "A15", "EA-2026-02", fichier)
    expect(page.locator("#statut-piece")).to_have_text("Mise à disposition de la MOA")

    # 3. The MOA deposits the état d'acompte validé: it goes to the payer.
    se_connecter(page, demo, "Maître d'ouvrage")
    ouvrir_piece(page, "EA-2026-02")
    deposer_la_suite(page, "Maîtrise d'ouvrage", "Département de Démo", "A19", "EAV-2026-02", fichier)
    expect(page.locator("#statut-piece")).to_have_text("Mise à disposition du destinataire")

    # 4. The dossier: every piece, and their PDFs in the ZIP.
    page.locator("#lien-dossier").click()
    pieces = page.locator(".piece-dossier")
    expect(pieces).to_have_count(3)
    archive = telecharger(page, page.get_by_role("link", name="Télécharger les pièces du dossier de facturation"))
    with zipfile.ZipFile(io.BytesIO(archive)) as zip_:
        noms = zip_.namelist()
        assert len([n for n in noms if n.lower().endswith(".pdf")]) >= 3, noms
        for nom in noms:
            if nom.lower().endswith(".pdf"):
                assert zip_.read(nom).startswith(b"%PDF-"), nom
    assert any("PDM-2026-02" in nom for nom in noms), noms
