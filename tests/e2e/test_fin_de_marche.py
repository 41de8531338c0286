"""The end-of-contract flow of a works contract in Chromium, with its three users (features row 71): the supplier
deposits its projet de décompte final (A7), which goes to the MOE; the MOE deposits the projet de décompte général
(A17) from the piece, the A7 becomes « Associée »; the MOA deposits the décompte général (A20), which waits for the
supplier on its Synthèse; the supplier finds it there, opens it and signs it by depositing the décompte général signé
(A8), which goes to the payer; the dossier page shows the four pieces in chain order with their states."""

import pytest
from playwright.sync_api import expect

from facturation.models import Facture
from tests.e2e.test_accessibilite import violations
from tests.e2e.test_parcours_travaux import PDF, deposer_la_suite, montants
from tests.e2e.test_structures import se_connecter
from tests.travaux.conftest import Chantier
from travaux.models import PieceTravaux

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a7_moe_a17_moa_a20_fournisseur_a8_puis_le_dossier(live_server, page, client, tmp_path):
    chantier = Chantier()
    fichier = tmp_path / "piece.pdf"
    fichier.write_bytes(PDF)

    # 1. The supplier deposits its projet de décompte final through the menu, as a user would.
    se_connecter(page, client, live_server, chantier.u_fournisseur)
    page.goto(live_server.url + "/")
    page.get_by_role("button", name="Factures de travaux").click()
    page.get_by_role("link", name="Déposer", exact=True).click()
    page.locator("#id_role").select_option("fournisseur")
    page.locator("#id_structure").select_option(str(chantier.fournisseur.pk))
    page.locator("#id_cadre").select_option("A7")
    page.get_by_label("SIRET de la maîtrise d'ouvrage").fill(chantier.moa.identifiant)
    page.get_by_label("Code du service de la maîtrise d'ouvrage").fill("TRAVAUX")
    page.get_by_label("SIRET de la maîtrise d'œuvre").fill(chantier.moe.identifiant)
    page.locator("#id_numero").fill("PDF-001")
    montants(page, "10000", "2000")
    page.locator("#id_pdf").set_input_files(str(fichier))
    page.get_by_role("button", name="Valider et envoyer").click()
    expect(page.locator("#statut-piece")).to_have_text("Mise à disposition de la MOE")
    a7 = PieceTravaux.objects.get(facture__numero="PDF-001")

    # 2. The MOE answers the A7 with its projet de décompte général; the A7 is then answered.
    se_connecter(page, client, live_server, chantier.u_moe)
    page.goto(f"{live_server.url}/factures-travaux/dossiers/pieces/{a7.pk}/")
    expect(page.locator("#deposer-suivante")).to_be_visible()
    assert violations(page) == []
    deposer_la_suite(page, "moe", chantier.moe, "A17", "PDG-001", fichier)
    expect(page.locator("#statut-piece")).to_have_text("Mise à disposition de la MOA")
    a17 = PieceTravaux.objects.get(facture__numero="PDG-001")
    page.goto(f"{live_server.url}/factures-travaux/dossiers/pieces/{a7.pk}/")
    expect(page.locator("#statut-piece")).to_have_text("Associée")
    # once answered, the A7 offers no second next piece
    expect(page.locator("#deposer-suivante")).to_have_count(0)

    # 3. The MOA deposits the décompte général: it goes back to the supplier for signature.
    se_connecter(page, client, live_server, chantier.u_moa)
    page.goto(f"{live_server.url}/factures-travaux/dossiers/pieces/{a17.pk}/")
    deposer_la_suite(page, "moa", chantier.moa, "A20", "DG-001", fichier)
    expect(page.locator("#statut-piece")).to_have_text("Mise à disposition du fournisseur")

    # 4. The supplier finds the A20 waiting on its Synthèse (the A7, answered, no longer waits), opens it from its
    # row and signs it with the A8.
    se_connecter(page, client, live_server, chantier.u_fournisseur)
    page.goto(f"{live_server.url}/factures-travaux/")
    synthese = page.locator("#synthese")
    expect(synthese.locator("tbody tr")).to_have_count(1)
    ligne = synthese.locator("tbody tr").filter(has_text="DG-001")
    expect(ligne).to_contain_text("A20")
    expect(ligne).to_contain_text("Mise à disposition du fournisseur")
    expect(synthese).not_to_contain_text("PDF-001")
    assert violations(page) == []
    # the row leads straight to the piece to sign
    ligne.get_by_role("link", name="DG-001").click()
    expect(page.get_by_role("heading", name="Pièce A20 n° DG-001", level=1)).to_be_visible()
    expect(page.locator("#statut-piece")).to_have_text("Mise à disposition du fournisseur")
    assert violations(page) == []
    deposer_la_suite(page, "fournisseur", chantier.fournisseur, "A8", "DGS-001", fichier)
    expect(page.locator("#statut-piece")).to_have_text("Mise à disposition du destinataire")

    # 5. The dossier page: four pieces, in chain order, each with its state.
    page.goto(f"{live_server.url}/factures-travaux/dossiers/{a7.dossier_id}/")
    expect(page.get_by_role("heading", name="Consultation d'un dossier de facturation", level=1)).to_be_visible()
    pieces = page.locator(".piece-dossier")
    expect(pieces).to_have_count(4)
    attendues = [
        ("A7", "PDF-001", "Associée"),
        ("A17", "PDG-001", "Associée"),
        ("A20", "DG-001", "Associée"),
        ("A8", "DGS-001", "Mise à disposition du destinataire"),
    ]
    for rang, (cadre, numero, statut) in enumerate(attendues):
        expect(pieces.nth(rang).locator("h3")).to_contain_text(f"{cadre} – ")
        expect(pieces.nth(rang).locator("h3")).to_contain_text(f"n° {numero}")
        expect(pieces.nth(rang).locator(".piece-statut")).to_have_text(statut)
    expect(pieces.nth(0).locator(".piece-historique")).to_contain_text("Mise à disposition de la MOE")
    expect(pieces.nth(2).locator(".piece-historique")).to_contain_text("Mise à disposition du fournisseur")
    assert violations(page) == []

    # 6. The supplier's Liste fiscale holds the signed DGD, which went to the payer; the dossier is not archived
    # before the payer puts it into payment.
    page.goto(live_server.url + "/factures-travaux/")
    page.get_by_role("link", name="Liste fiscale").last.click()
    expect(page.get_by_role("heading", name="Liste fiscale des factures de travaux", level=1)).to_be_visible()
    expect(page.locator("#liste-fiscale")).to_contain_text("DGS-001")
    expect(page.locator("#nombre-resultats")).to_contain_text("1 pièce.")
    assert violations(page) == []
    page.get_by_role("link", name="Archives").last.click()
    expect(page.locator("#nombre-resultats")).to_contain_text("0 dossier clos.")
    # the payer's processing is another application's: its outcome is set here
    Facture.objects.filter(numero="DGS-001").update(statut="MISE_EN_PAIEMENT")
    page.reload()
    expect(page.locator("#nombre-resultats")).to_contain_text("1 dossier clos.")
    expect(page.locator("#archives")).to_contain_text(a7.dossier.numero)
    assert violations(page) == []
