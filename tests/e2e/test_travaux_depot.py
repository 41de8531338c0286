"""« Déposer » of « Factures de travaux » in a browser: the supplier deposits an A4 with its PDF and sees the recap
with the PDF; an error state first. Each state passes axe."""

import pytest
from playwright.sync_api import expect

from tests.e2e.test_accessibilite import violations
from tests.e2e.test_structures import se_connecter
from tests.travaux.conftest import Chantier

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_le_fournisseur_depose_un_a4(live_server, page, client, tmp_path):
    chantier = Chantier()
    se_connecter(page, client, live_server, chantier.u_fournisseur)
    page.goto(live_server.url + "/factures-travaux/deposer/")
    expect(page.get_by_role("heading", name="Déposer une facture de travaux", level=1)).to_be_visible()
    expect(page.get_by_text("N'indiquez pas le SIRET générique de l'État")).to_be_visible()
    assert violations(page) == []

    page.locator("#id_role").select_option("fournisseur")
    # the script offers only the supplier's cadres
    assert page.locator("#id_cadre option[value='A15']").is_disabled()
    page.locator("#id_structure").select_option(str(chantier.fournisseur.pk))
    page.locator("#id_cadre").select_option("A4")
    page.get_by_label("SIRET de la maîtrise d'ouvrage").fill(chantier.moa.identifiant)
    page.get_by_label("Code du service de la maîtrise d'ouvrage").fill("TRAVAUX")
    page.get_by_label("SIRET de la maîtrise d'œuvre").fill(chantier.moe.identifiant)
    page.locator("#id_numero").fill("PDM-001")
    page.locator("#id_date_facture").fill("31/03/2026")
    page.locator("#id_montant_ht").fill("10000")
    page.locator("#id_montant_tva").fill("2000")
    page.locator("#id_montant_ttc").fill("12500")
    page.locator("#id_net_a_payer").fill("12000")
    fichier = tmp_path / "decompte.pdf"
    fichier.write_bytes(PDF)

    # error state: no PDF and a wrong TTC, both listed, the summary takes focus
    page.get_by_role("button", name="Valider et envoyer").click()
    resume = page.locator("#resume-erreurs")
    expect(resume).to_be_focused()
    expect(resume).to_contain_text("Montant TTC : 12500,00 € n'est pas égal au montant HT plus la TVA")
    expect(resume).to_contain_text("Pièce au format PDF : joignez le PDF de la pièce.")
    assert violations(page) == []

    page.locator("#id_montant_ttc").fill("12000")
    page.locator("#id_pdf").set_input_files(str(fichier))
    page.get_by_role("button", name="Valider et envoyer").click()
    expect(page.get_by_text("La pièce n° PDM-001 a été déposée le")).to_be_visible()
    expect(page.locator("#statut-piece")).to_have_text("Mise à disposition de la MOE")
    pdf = page.locator("object#pdf-depose")
    expect(pdf).to_have_attribute("type", "application/pdf")
    reponse = page.request.get(live_server.url + pdf.get_attribute("data"))
    assert reponse.status == 200 and reponse.body() == PDF
    assert violations(page) == []
