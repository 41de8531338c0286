"""A supplier enters an invoice in Chromium: recipient found by name, its service chosen from the list, two lines
at 20 % and 5.5 %, totals seen (live, then computed by the server), sent; the recap offers the certificate."""

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from facturation.models import Facture
from organisation.models import Utilisateur
from tests.e2e.test_accessibilite import violations
from tests.e2e.test_csp_factures import problemes, surveiller
from tests.e2e.test_structures import se_connecter
from tests.facturation.saisie.conftest import Monde

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def monde(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return Monde()


def remplir_ligne(page, rang, designation, quantite, prix, taux):
    ligne = page.locator(f"#ligne-{rang}")
    ligne.get_by_label("Désignation").fill(designation)
    ligne.get_by_label("Quantité").fill(quantite)
    ligne.get_by_label("Prix unitaire HT").fill(prix)
    ligne.get_by_label("Taux de TVA").select_option(label=taux)


def test_saisir_envoyer_et_telecharger_le_certificat(live_server, page, client, monde):
    se_connecter(page, client, live_server, monde.utilisateur)
    page.goto(live_server.url + "/factures/emises/saisir/")
    expect(page.get_by_role("heading", name="Saisir une facture", level=1)).to_be_visible()
    assert violations(page) == []

    # sent empty: every error is listed and the summary takes the focus
    page.get_by_role("button", name="Valider et envoyer").click()
    resume = page.locator("#resume-erreurs")
    expect(resume).to_be_focused()
    expect(resume).to_contain_text("SIRET du destinataire : indiquez le SIRET du destinataire")
    expect(resume).to_contain_text("Numéro de facture : indiquez le numéro de la facture.")
    expect(resume).to_contain_text("Lignes de la facture : saisissez au moins une ligne.")
    assert violations(page) == []

    # the recipient by its name, then its active services in a list
    page.get_by_label("Rechercher un destinataire").fill("lyon")
    page.get_by_role("button", name="Rechercher", exact=True).click()
    page.get_by_role("button", name=f"Mairie de Lyon – {monde.destinataire.identifiant}").click()
    expect(page.get_by_label("SIRET du destinataire")).to_have_value(monde.destinataire.identifiant)
    expect(page.locator("#exigences-destinataire")).to_contain_text("Destinataire : Mairie de Lyon.")
    page.get_by_label("Code du service destinataire").select_option("ACHATS")

    page.get_by_label("Numéro de facture").fill("FA-E2E-1")
    page.get_by_label("Date de facture").fill("2026-03-15")
    remplir_ligne(page, 1, "Pose de fenêtres", "2", "500", "20 %")
    remplir_ligne(page, 2, "Livres", "10", "20", "5,5 %")
    # the script's estimate while typing
    expect(page.locator("#total-ttc")).to_have_text("1\u202f411,00\u00a0€")

    page.get_by_role("button", name="Recalculer les totaux", exact=True).click()
    expect(page.locator("#total-ht")).to_have_text("1\u00a0200,00\u00a0€")
    expect(page.locator("#total-tva")).to_have_text("211,00\u00a0€")
    expect(page.locator("#net-a-payer")).to_have_text("1\u00a0411,00\u00a0€")
    expect(page.locator("#ventilation")).to_contain_text("5,5 %")

    page.get_by_role("button", name="Valider et envoyer").click()
    expect(page.get_by_role("heading", name="Récapitulatif du dépôt", level=1)).to_be_visible()
    expect(page.locator("#confirmation-depot")).to_contain_text("Votre facture n° FA-E2E-1 a été déposée le")
    expect(page.locator("#statut-facture")).to_have_text("Mise à disposition du destinataire")
    assert violations(page) == []

    with page.expect_download() as telechargement:
        page.get_by_role("link", name="Télécharger le certificat de dépôt").click()
    chemin = telechargement.value.path()
    with open(chemin, "rb") as fichier:
        assert fichier.read(5) == b"%PDF-"
    facture = Facture.objects.get(numero="FA-E2E-1")
    assert facture.statut == "MISE_A_DISPOSITION"
    assert facture.service_destinataire == monde.service


def test_remise_globale_repartie_sur_les_taux(live_server, page, client, monde):
    se_connecter(page, client, live_server, monde.utilisateur)
    page.goto(live_server.url + f"/factures/emises/saisir/?destinataire={monde.destinataire.identifiant}")
    page.get_by_label("Numéro de facture").fill("FA-E2E-REMISE")
    page.get_by_label("Date de facture").fill("2026-03-15")
    remplir_ligne(page, 1, "Pose de fenêtres", "2", "500", "20 %")
    remplir_ligne(page, 2, "Livres", "10", "20", "5,5 %")
    page.get_by_label("Remise globale TTC").fill("11")
    page.get_by_label("Motif de la remise globale").fill("Fidélité")

    page.get_by_role("button", name="Recalculer les totaux", exact=True).click()
    # 11 € TTC: 1.56 € HT off the 5.5 % base, 7.79 € HT off the 20 % base, each VAT recomputed
    expect(page.locator("#total-lignes-ht")).to_have_text("1\u00a0200,00\u00a0€")
    expect(page.locator("#totaux-facture")).to_contain_text("Remise globale HT, part du taux 20 %")
    expect(page.locator("#totaux-facture")).to_contain_text("7,79\u00a0€")
    expect(page.locator("#total-ht")).to_have_text("1\u00a0190,65\u00a0€")
    expect(page.locator("#total-tva")).to_have_text("209,35\u00a0€")
    expect(page.locator("#total-ttc")).to_have_text("1\u00a0400,00\u00a0€")
    expect(page.locator("#net-a-payer")).to_have_text("1\u00a0400,00\u00a0€")
    assert violations(page) == []

    page.get_by_role("button", name="Valider et envoyer").click()
    expect(page.get_by_role("heading", name="Récapitulatif du dépôt", level=1)).to_be_visible()
    expect(page.locator("#remise-globale")).to_have_text("11,00\u00a0€")
    expect(page.locator("#total-ht")).to_have_text("1\u00a0190,65\u00a0€")
    expect(page.locator("#net-a-payer")).to_have_text("1\u00a0400,00\u00a0€")
    assert violations(page) == []
    facture = Facture.objects.get(numero="FA-E2E-REMISE")
    assert (facture.total_ttc, facture.net_a_payer) == (1400, 1400)


def test_demo_le_fournisseur_saisit_pour_la_commune_de_demoville(live_server, page, client, settings, tmp_path):
    """On the demo data as `make run` loads it: the recipient requires a code service (and one of its services an
    engagement); the form says so before the first submit, every « (Optionnel) » field stays at its default, the
    first « Valider et envoyer » succeeds and « Factures émises » shows the invoice on arrival."""
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("charger_matelas", stdout=io.StringIO())
    fanny = Utilisateur.objects.get(email="fournisseur@demo.chorus-pro.example")
    erreurs = surveiller(page)
    se_connecter(page, client, live_server, fanny)
    page.goto(live_server.url + "/factures/emises/saisir/")
    expect(page.get_by_role("heading", name="Saisir une facture", level=1)).to_be_visible()
    # the demo supplier has a rejected invoice: its pop-up opens once after the login
    page.locator("#modale-rejets").get_by_role("button", name="Fermer", exact=True).click()
    expect(page.locator("#modale-rejets")).to_be_hidden()

    page.get_by_label("Rechercher un destinataire").fill("Démoville")
    page.get_by_role("button", name="Rechercher", exact=True).click()
    page.get_by_role("button", name=re.compile(r"^Commune de Démoville – \d{14}")).click()

    # told before any submit: the code service is required, never labelled « (Optionnel) »
    exigences = page.locator("#exigences-destinataire")
    expect(exigences).to_contain_text("Commune de Démoville exige un code service : choisissez l'un de ses services.")
    expect(exigences).to_contain_text("Le numéro d'engagement est obligatoire pour le service « SERVICE-TRAVAUX ».")
    libelle_service = page.locator("label[for=id_code_service]")
    expect(libelle_service).not_to_contain_text("Optionnel", use_inner_text=True)
    expect(libelle_service).to_contain_text("Obligatoire pour Commune de Démoville", use_inner_text=True)
    service = page.get_by_role("combobox", name="Code du service destinataire")
    expect(service).to_have_attribute("aria-required", "true")
    expect(service).to_have_value("")
    expect(service.locator("option").first).to_have_text("Choisissez un service")
    libelle_engagement = page.locator("label[for=id_numero_engagement]")
    expect(libelle_engagement).to_contain_text("(Optionnel)", use_inner_text=True)
    assert violations(page) == []

    # the service that requires an engagement marks it; the one chosen does not
    service.select_option("SERVICE-TRAVAUX")
    expect(libelle_engagement).not_to_contain_text("Optionnel", use_inner_text=True)
    expect(page.get_by_label("Numéro d'engagement")).to_have_attribute("aria-required", "true")
    service.select_option("SERVICE-ACHATS")
    expect(libelle_engagement).to_contain_text("(Optionnel)", use_inner_text=True)

    # only what is not optional; every « (Optionnel) » field keeps its default
    page.get_by_label("Numéro de facture").fill("FA-DEMO-E2E-1")
    page.get_by_label("Date de facture").fill("2026-03-15")
    remplir_ligne(page, 1, "Fournitures de bureau", "3", "4,50", "20 %")
    page.get_by_role("button", name="Valider et envoyer").click()
    expect(page.get_by_role("heading", name="Récapitulatif du dépôt", level=1)).to_be_visible()
    expect(page.locator("#confirmation-depot")).to_contain_text("Votre facture n° FA-DEMO-E2E-1 a été déposée le")
    assert problemes(page, erreurs) == []

    # « Factures émises » from the menu: the invoice just sent is the first of the list, no search needed
    page.get_by_role("button", name="Facturation", exact=True).click()
    page.get_by_role("link", name="Factures émises", exact=True).click()
    expect(page.get_by_role("heading", name="Factures émises", level=1)).to_be_visible()
    premiere = page.locator("#dernieres-factures tbody tr").first
    expect(premiere).to_contain_text("FA-DEMO-E2E-1")
    expect(premiere).to_contain_text("Commune de Démoville")
    expect(page.get_by_role("link", name="Synthèse", exact=True)).to_be_visible()
    assert violations(page) == []
    assert problemes(page, erreurs) == []
    facture = Facture.objects.get(numero="FA-DEMO-E2E-1")
    assert (facture.statut, facture.service_destinataire.code) == ("MISE_A_DISPOSITION", "SERVICE-ACHATS")
