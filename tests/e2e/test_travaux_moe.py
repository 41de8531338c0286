"""« Pièces à associer à une MOE » in Chromium, on the demo data set (manage.py charger_matelas): the demo supplier's
ERP sends a works Factur-X (A4, FSO1137A) by flux without its maîtrise d'œuvre; the demo supplier finds it under the
« Factures de travaux » menu, mistypes the MOE's SIRET (the error names the field), then names the demo MOE, checks
it against the directory and confirms: the piece is « Mise à disposition de la MOE »."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from facturation.matelas import _structure
from organisation.enums import RoleDemo
from raccordement.enums import CanalFlux, EtatFlux
from raccordement.services.flux import flux_recevoir
from tests.e2e.test_accessibilite import violations
from tests.e2e.test_structures import se_connecter
from tests.raccordement.flux_travaux_donnees import facturx_travaux
from travaux.matelas import ENGAGEMENT, MARCHE
from travaux.models import PieceTravaux

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("charger_matelas", stdout=io.StringIO())


def test_le_fournisseur_de_la_demo_associe_la_moe_d_une_piece_recue_par_flux(live_server, page, client, demo):
    fournisseur, fanny = _structure(RoleDemo.FOURNISSEUR)
    moe, _maelle = _structure(RoleDemo.MOE)
    moa, _mathieu = _structure(RoleDemo.MOA)
    contenu = facturx_travaux(
        "PDM-FLUX-2026-03",
        vendeur=fournisseur.identifiant,
        acheteur=moa.identifiant,
        code_service="DIR-PATRIMOINE",
        engagement=ENGAGEMENT,
        marche=MARCHE,
    )
    flux = flux_recevoir(
        structure=fournisseur, contenu=contenu, nom_fichier="PDM-FLUX-2026-03.pdf", canal=CanalFlux.PORTAIL, par=fanny
    )
    flux.refresh_from_db()
    assert flux.etat == EtatFlux.IN_INTEGRE, list(flux.erreurs.values_list("message", flat=True))
    piece = PieceTravaux.objects.get(facture__numero="PDM-FLUX-2026-03")

    se_connecter(page, client, live_server, fanny)
    page.goto(f"{live_server.url}/factures-travaux/")
    # the demo supplier has rejected invoices: their window opens on the first page after login
    rejets = page.locator("#modale-rejets")
    expect(rejets).to_be_visible()
    rejets.get_by_role("button", name="Fermer", exact=True).click()
    page.get_by_role("button", name="Factures de travaux").click()
    page.get_by_role("link", name="Pièces à associer à une MOE", exact=True).click()
    expect(page.get_by_role("heading", name="Pièces à associer à une MOE", level=1)).to_be_visible()
    expect(page.locator("#nombre-resultats")).to_have_text("1 pièce à associer à une maîtrise d'œuvre.")
    expect(page.locator("#pieces-a-associer")).to_contain_text("PDM-FLUX-2026-03")
    assert violations(page) == []

    page.get_by_role("link", name="Associer une MOE à la pièce PDM-FLUX-2026-03").click()
    expect(page.locator("#statut-piece")).to_have_text("À associer par la MOE")
    page.get_by_label("SIRET de la maîtrise d'œuvre").fill("12345678200010")
    page.get_by_role("button", name="Vérifier la maîtrise d'œuvre").click()
    expect(page.locator("#resume-erreurs")).to_contain_text(
        "SIRET de la maîtrise d'œuvre : Aucune structure active de l'annuaire ne porte le SIRET 12345678200010"
    )
    assert violations(page) == []

    page.get_by_label("SIRET de la maîtrise d'œuvre").fill(moe.identifiant)
    page.get_by_role("button", name="Vérifier la maîtrise d'œuvre").click()
    expect(page.locator("#confirmation")).to_contain_text(moe.raison_sociale)
    assert violations(page) == []
    page.get_by_role("button", name="Confirmer l'association").click()

    expect(page.get_by_text(f"La maîtrise d'œuvre {moe.raison_sociale} est associée")).to_be_visible()
    expect(page.locator("#statut-piece")).to_have_text("Mise à disposition de la MOE")
    assert violations(page) == []
    piece.dossier.refresh_from_db()
    assert piece.dossier.moe == moe
