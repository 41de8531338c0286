"""« Suivi des flux » in Chromium: deposit a tar.gz of a good and a bad invoice, watch the page follow the flux from
« Reçu » to « Intégré partiellement » by itself, read the report (the bad invoice's error under its number); axe."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from chorus.celery import app as celery_app
from organisation.enums import Application, Niveau
from organisation.models import Service
from raccordement.models import Flux
from raccordement.services.flux import flux_integrer
from tests.e2e.test_accessibilite import violations
from tests.e2e.test_structures import se_connecter
from tests.factories import UtilisateurFactory, rattacher
from tests.facturation.televersement.conftest import structure
from tests.raccordement.flux_donnees import SIRET_ACHETEUR_FNFE, SIRET_VENDEUR_FNFE, facture_cii, tar_gz

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def deposant(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    vendeur = structure(SIRET_VENDEUR_FNFE, "Fournisseur FNFE")
    acheteur = structure(SIRET_ACHETEUR_FNFE, "Collectivité FNFE", est_publique=True)
    Service.objects.create(structure=acheteur, code="SERV-ACHATS", libelle="Achats")
    utilisateur = UtilisateurFactory()
    rattacher(utilisateur, vendeur, (Application.FACTURES_EMISES, Niveau.MODIFICATION))
    return utilisateur


def test_deposer_un_flux_et_suivre_son_integration(live_server, page, client, deposant, monkeypatch):
    # no worker here: the task waits in the broker and the test plays the worker, so the page is seen « Reçu » first
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    archive = tar_gz(
        [
            ("bonne.xml", facture_cii("E2E-OK", vendeur=SIRET_VENDEUR_FNFE, acheteur=SIRET_ACHETEUR_FNFE)),
            (
                "mauvaise.xml",
                facture_cii(
                    "E2E-KO", vendeur=SIRET_VENDEUR_FNFE, acheteur=SIRET_ACHETEUR_FNFE, code_service="SERV-FANTOME"
                ),
            ),
        ]
    )
    se_connecter(page, client, live_server, deposant)
    page.goto(live_server.url + "/raccordement/flux/")
    expect(page.get_by_role("heading", name="Suivi des flux", level=1)).to_be_visible()
    assert violations(page) == []

    page.get_by_role("link", name="Déposer un flux").click()
    expect(page.get_by_role("heading", name="Déposer un flux", level=1)).to_be_visible()
    assert violations(page) == []
    page.get_by_label("Fichier du flux").set_input_files(
        files=[{"name": "lot.tar.gz", "mimeType": "application/gzip", "buffer": archive}]
    )
    page.get_by_role("button", name="Déposer le flux").click()

    flux = Flux.objects.get()
    expect(page.get_by_role("heading", name=f"Flux {flux.numero}", level=1)).to_be_visible()
    expect(page.locator("#etat-libelle")).to_have_text("Reçu")
    expect(page.get_by_text("se met à jour seule")).to_be_visible()
    assert violations(page) == []

    flux_integrer(flux_id=flux.pk)  # what the worker does

    expect(page.locator("#etat-libelle")).to_have_text("Intégré partiellement", timeout=15000)
    expect(page.locator("#flux-comptes")).to_have_text("2 lues, 1 intégrée, 1 rejetée")
    mauvaise = page.locator("#facture-2")
    expect(mauvaise.get_by_role("heading")).to_contain_text("Facture E2E-KO")
    expect(mauvaise).to_contain_text("Le code service « SERV-FANTOME » n'existe pas chez le destinataire")
    expect(mauvaise).to_contain_text("BT-10")
    page.locator("#facture-1").get_by_role("link", name="Consulter la facture E2E-OK").click()
    expect(page.get_by_text("E2E-OK").first).to_be_visible()
    page.go_back()
    assert violations(page) == []

    with page.expect_download() as telechargement:
        page.get_by_role("link", name="Télécharger le rapport (CSV)").click()
    assert telechargement.value.suggested_filename == f"rapport-flux-{flux.numero}.csv"
    entete, ligne = Path(telechargement.value.path()).read_text(encoding="utf-8-sig").splitlines()
    assert entete.startswith("identifiantFournisseur;identifiantDestinataire;numeroDP;libelleErreurDP;")
    assert ligne.startswith(f"{SIRET_VENDEUR_FNFE};{SIRET_ACHETEUR_FNFE};E2E-KO;") and "SERV-FANTOME" in ligne
