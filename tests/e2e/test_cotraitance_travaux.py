"""A groupement conjoint in Chromium (S3 « Cas particulier : cotraitance »): the co-contractor deposits its projet de
décompte mensuel (A13) naming the mandataire; the mandataire validates it in « Factures à valider »; the MOE then
finds it « Mise à disposition de la MOE » and takes it into account."""

import pytest
from playwright.sync_api import expect

from tests.e2e.test_accessibilite import violations
from tests.e2e.test_parcours_travaux import PDF, montants
from tests.e2e.test_structures import se_connecter
from tests.travaux.conftest import Groupement
from travaux.models import PieceTravaux

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a13_du_cotraitant_valide_par_le_mandataire_puis_la_moe(live_server, page, client, tmp_path):
    groupement = Groupement()
    fichier = tmp_path / "a13.pdf"
    fichier.write_bytes(PDF)

    # 1. The co-contractor: the validator block appears with its role, without the sub-contractor's second level.
    se_connecter(page, client, live_server, groupement.u_cotraitant)
    page.goto(live_server.url + "/factures-travaux/deposer/")
    expect(page.locator("#bloc-valideurs")).to_be_hidden()
    page.locator("#id_role").select_option("cotraitant")
    expect(page.get_by_label("SIRET du valideur")).to_be_visible()
    expect(page.get_by_label("SIRET du second valideur")).to_be_hidden()
    page.locator("#id_structure").select_option(str(groupement.cotraitant.pk))
    page.locator("#id_cadre").select_option("A13")
    page.get_by_label("SIRET de la maîtrise d'ouvrage").fill(groupement.moa.identifiant)
    page.get_by_label("SIRET de la maîtrise d'œuvre").fill(groupement.moe.identifiant)
    page.locator("#id_numero").fill("PDM-CT-1")
    montants(page, "8000", "1600")
    page.locator("#id_pdf").set_input_files(str(fichier))
    page.get_by_role("button", name="Valider et envoyer").click()
    resume = page.locator("#resume-erreurs")
    expect(resume).to_contain_text(
        "SIRET du valideur : Le cadre A13 exige un valideur : indiquez le SIRET du mandataire du groupement."
    )
    assert violations(page) == []
    page.get_by_label("SIRET du valideur").fill(groupement.mandataire.identifiant)
    page.get_by_label("Code du service du valideur").fill("MARCHES")
    page.locator("#id_pdf").set_input_files(str(fichier))
    page.get_by_role("button", name="Valider et envoyer").click()
    expect(page.locator("#statut-piece")).to_have_text("Mise à disposition du premier valideur")
    expect(page.locator("#valideur-1")).to_contain_text("Mandataire Constructions")
    assert violations(page) == []
    a13 = PieceTravaux.objects.get(facture__numero="PDM-CT-1")

    # 2. The mandataire validates it in « Factures à valider ».
    se_connecter(page, client, live_server, groupement.v_mandataire)
    page.goto(live_server.url + "/factures/a-valider/")
    page.get_by_role("link", name="PDM-CT-1").click()
    expect(page.locator("#statut-facture")).to_have_text("Mise à disposition du premier valideur")
    page.get_by_role("button", name="Valider", exact=True).click()
    expect(page.get_by_text("Elle est mise à disposition de la maîtrise d'œuvre, Cabinet Lenoir.")).to_be_visible()
    assert violations(page) == []

    # 3. The MOE takes it into account; the history shows the validation.
    se_connecter(page, client, live_server, groupement.u_moe)
    page.goto(f"{live_server.url}/factures-travaux/dossiers/pieces/{a13.pk}/")
    expect(page.locator("#statut-piece")).to_have_text("Mise à disposition de la MOE")
    page.get_by_role("button", name="Prendre en compte").click()
    expect(page.locator("#statut-piece")).to_have_text("Prise en compte MOE")
    page.locator("#lien-dossier").click()
    historique = page.locator(".piece-historique").first
    expect(historique).to_contain_text("Validée par le premier valideur")
    expect(historique).to_contain_text("Mise à disposition de la MOE")
    assert violations(page) == []
