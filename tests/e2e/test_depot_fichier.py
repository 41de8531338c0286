"""« Déposer une facture » dans Chromium : un Factur-X du corpus mal acheminé montre toutes ses erreurs, entières."""

import pytest
from playwright.sync_api import expect

from facturation.models import Facture
from organisation.enums import Application, Niveau, StatutStructure
from tests.e2e.test_accessibilite import violations
from tests.e2e.test_structures import se_connecter
from tests.factories import UtilisateurFactory, facture_deposee, rattacher
from tests.facturation.televersement.conftest import (
    FNFE,
    SIRET_ACHETEUR_FNFE,
    SIRET_VENDEUR_FNFE,
    corpus_octets,
    structure,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def vendeur(transactional_db):
    return structure(SIRET_VENDEUR_FNFE, "Fournisseur FNFE")


@pytest.fixture
def deposant(vendeur):
    utilisateur = UtilisateurFactory()
    rattacher(utilisateur, vendeur, (Application.FACTURES_EMISES, Niveau.MODIFICATION))
    return utilisateur


def _deposer(page, live_server, vendeur):
    page.goto(live_server.url + "/factures/emises/deposer/")
    expect(page.get_by_role("heading", name="Déposer une facture", level=1)).to_be_visible()
    page.get_by_label("Structure qui émet la facture").select_option(
        label=f"{vendeur.raison_sociale} (99999999800010)"
    )
    page.get_by_label("Fichier de la facture").set_input_files(
        files=[{"name": "Facture_FR.pdf", "mimeType": "application/pdf", "buffer": corpus_octets(FNFE)}]
    )
    page.get_by_text("Factur-X / XML (format détecté automatiquement)").check()
    page.get_by_role("button", name="Déposer").click()


def test_destinataire_inconnu(live_server, page, client, deposant, vendeur):
    se_connecter(page, client, live_server, deposant)
    page.goto(live_server.url + "/factures/emises/deposer/")
    assert violations(page) == []

    _deposer(page, live_server, vendeur)

    resume = page.locator("#resume-erreurs")
    expect(resume).to_contain_text("Le fichier est refusé : 1 erreur. Rien n'a été enregistré.")
    expect(resume).to_contain_text("Règles Chorus Pro : 1 anomalie")
    expect(resume).to_be_focused()
    expect(page.get_by_role("table")).to_contain_text(
        f"Le destinataire {SIRET_ACHETEUR_FNFE} n'est pas connu de Chorus Pro."
    )
    expect(page.get_by_role("table")).to_contain_text("BT-47 (SIRET de l'acheteur, schéma 0002)")
    assert not Facture.objects.exists()


def test_destinataire_inactif_sans_code_service_et_numero_deja_utilise(
    live_server,
    page,
    client,
    deposant,
    vendeur,
):
    nom = f"{SIRET_ACHETEUR_FNFE} (Collectivité FNFE)"
    structure(
        SIRET_ACHETEUR_FNFE,
        "Collectivité FNFE",
        est_publique=True,
        statut=StatutStructure.INACTIVE,
        code_service_obligatoire=True,
        engagement_ou_service=False,
    )
    facture_deposee(vendeur, structure("12345678200010", "Autre", est_publique=True), numero="FA-2017-0010")
    se_connecter(page, client, live_server, deposant)

    _deposer(page, live_server, vendeur)

    resume = page.locator("#resume-erreurs")
    expect(resume).to_contain_text("Le fichier est refusé : 3 erreurs. Rien n'a été enregistré.")
    expect(resume).to_contain_text("Règles Chorus Pro : 3 anomalies")
    tableau = page.get_by_role("table", name="Règles Chorus Pro — 3 anomalies")
    for message in (
        "Le numéro de facture « FA-2017-0010 » a déjà été utilisé par ce fournisseur : il doit être unique.",
        f"Le destinataire {nom} n'est pas actif.",
        f"Le code service est obligatoire pour le destinataire {nom}.",
    ):
        expect(tableau.get_by_role("cell", name=message, exact=True)).to_be_visible()
    for champ in ("BT-1 (numéro de facture)", "BT-47 (SIRET de l'acheteur, schéma 0002)", "BT-10"):
        expect(tableau).to_contain_text(champ)
    assert violations(page) == []
    assert Facture.objects.count() == 1


def test_notice_de_progression_a_l_envoi(live_server, page, client, deposant, vendeur):
    se_connecter(page, client, live_server, deposant)
    page.goto(live_server.url + "/factures/emises/deposer/")
    notice = page.get_by_text("Contrôle du fichier en cours…")
    expect(notice).to_be_hidden()
    # the submission is cancelled after the page's own handler ran, so the "sending" state stays on screen
    page.evaluate("window.addEventListener('submit', function (e) { e.preventDefault(); })")
    page.get_by_label("Fichier de la facture").set_input_files(
        files=[{"name": "f.xml", "mimeType": "text/xml", "buffer": b"<a/>"}]
    )
    page.get_by_role("button", name="Déposer").click()
    expect(notice).to_be_visible()
    expect(page.get_by_role("button", name="Déposer")).to_be_disabled()
