"""The in-progress flow of a works contract in Chromium, with its three users, as issue #5 tells it: the supplier
deposits a projet de décompte mensuel (A4); the MOE first tries « Erreur de montant » (the correction window opens,
nothing is refused), then deposits its état d'acompte (A15) from the piece; the MOA deposits the état d'acompte validé
(A19), which goes to the payer; the dossier page shows every piece with its history."""

import pytest
from playwright.sync_api import expect

from tests.e2e.test_accessibilite import violations
from tests.e2e.test_structures import se_connecter
from tests.travaux.conftest import Chantier
from travaux.models import PieceTravaux

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def montants(page, ht, tva):
    page.locator("#id_date_facture").fill("31/03/2026")
    page.locator("#id_montant_ht").fill(ht)
    page.locator("#id_montant_tva").fill(tva)
    total = str(int(ht) + int(tva))
    page.locator("#id_montant_ttc").fill(total)
    page.locator("#id_net_a_payer").fill(total)


def deposer_la_suite(page, role, structure, cadre, numero, fichier):
    """From a piece page: « Déposer la pièce suivante », then the association form."""
    page.locator("#deposer-suivante").click()
    expect(page.get_by_role("heading", name="Déposer une facture de travaux", level=1)).to_be_visible()
    page.locator("#id_role").select_option(role)
    page.locator("#id_structure").select_option(str(structure.pk))
    page.locator("#id_cadre").select_option(cadre)
    page.locator("#id_numero").fill(numero)
    montants(page, "10000", "2000")
    page.locator("#id_pdf").set_input_files(str(fichier))
    page.get_by_role("button", name="Valider et envoyer").click()
    expect(page.get_by_text(f"La pièce n° {numero} a été déposée le")).to_be_visible()


def test_a4_moe_a15_moa_a19_puis_le_dossier(live_server, page, client, tmp_path):
    chantier = Chantier()
    fichier = tmp_path / "piece.pdf"
    fichier.write_bytes(PDF)

    # 1. The supplier deposits its projet de décompte mensuel.
    se_connecter(page, client, live_server, chantier.u_fournisseur)
    page.goto(live_server.url + "/")
    page.get_by_role("button", name="Factures de travaux").click()
    page.get_by_role("link", name="Déposer", exact=True).click()
    page.locator("#id_role").select_option("fournisseur")
    page.locator("#id_structure").select_option(str(chantier.fournisseur.pk))
    page.locator("#id_cadre").select_option("A4")
    page.get_by_label("SIRET de la maîtrise d'ouvrage").fill(chantier.moa.identifiant)
    page.get_by_label("Code du service de la maîtrise d'ouvrage").fill("TRAVAUX")
    page.get_by_label("SIRET de la maîtrise d'œuvre").fill(chantier.moe.identifiant)
    page.locator("#id_numero").fill("PDM-001")
    montants(page, "10000", "2000")
    page.locator("#id_pdf").set_input_files(str(fichier))
    page.get_by_role("button", name="Valider et envoyer").click()
    expect(page.locator("#statut-piece")).to_have_text("Mise à disposition de la MOE")
    a4 = PieceTravaux.objects.get(facture__numero="PDM-001")

    # 2. The MOE: « Erreur de montant » opens the correction window and refuses nothing; then its A15.
    se_connecter(page, client, live_server, chantier.u_moe)
    page.goto(f"{live_server.url}/factures-travaux/dossiers/pieces/{a4.pk}/")
    page.get_by_label("Motif du refus").select_option("Erreur de montant")
    page.get_by_role("button", name="Refuser").click()
    modale = page.locator("#modale-correction")
    expect(modale.get_by_role("heading", name="Corriger les montants")).to_be_visible()
    assert violations(page) == []
    modale.get_by_role("button", name="Fermer").click()
    expect(page.locator("#statut-piece")).to_have_text("Mise à disposition de la MOE")
    deposer_la_suite(page, "moe", chantier.moe, "A15", "EA-001", fichier)
    expect(page.locator("#statut-piece")).to_have_text("Mise à disposition de la MOA")
    a15 = PieceTravaux.objects.get(facture__numero="EA-001")

    # 3. The MOA deposits the état d'acompte validé: it goes to the payer.
    se_connecter(page, client, live_server, chantier.u_moa)
    page.goto(f"{live_server.url}/factures-travaux/dossiers/pieces/{a15.pk}/")
    deposer_la_suite(page, "moa", chantier.moa, "A19", "EAV-001", fichier)
    expect(page.locator("#statut-piece")).to_have_text("Mise à disposition du destinataire")
    assert violations(page) == []

    # 4. The dossier page: three pieces, their states and histories.
    page.goto(f"{live_server.url}/factures-travaux/dossiers/{a4.dossier_id}/")
    expect(page.get_by_role("heading", name="Consultation d'un dossier de facturation", level=1)).to_be_visible()
    pieces = page.locator(".piece-dossier")
    expect(pieces).to_have_count(3)
    expect(pieces.nth(0)).to_contain_text("PDM-001")
    expect(pieces.nth(0)).to_contain_text("Associée")
    expect(pieces.nth(1)).to_contain_text("EA-001")
    expect(pieces.nth(1)).to_contain_text("Associée")
    expect(pieces.nth(2)).to_contain_text("EAV-001")
    expect(pieces.nth(2)).to_contain_text("Mise à disposition du destinataire")
    expect(page.locator(".piece-historique").first).to_contain_text("Mise à disposition de la MOE")
    assert violations(page) == []
