"""« Déposer une facture » dans Chromium : un Factur-X du corpus mal acheminé montre toutes ses erreurs, entières."""

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from facturation.models import Facture
from organisation.enums import Application, Niveau, StatutStructure
from organisation.models import Service
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
from tests.facturation.televersement.test_montants_du_fichier import avec_parties

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


ATTENDUE = "un code service actif du destinataire : ACHATS"


def test_le_refus_se_lit_en_tableau_et_se_telecharge_en_csv(live_server, page, client, deposant, vendeur):
    acheteur = structure(SIRET_ACHETEUR_FNFE, "Collectivité FNFE", est_publique=True, code_service_obligatoire=True)
    Service.objects.create(structure=acheteur, code="ACHATS", libelle="Achats")
    se_connecter(page, client, live_server, deposant)

    _deposer(page, live_server, vendeur)

    expect(page.locator("#resume-erreurs")).to_be_focused()
    tableau = page.get_by_role("table", name="Règles Chorus Pro — 1 anomalie")
    entetes = tableau.get_by_role("columnheader")
    expect(entetes).to_have_text(
        ["Couche", "Règle", "Champ (BT/BG)", "Valeur trouvée", "Valeur attendue", "Message", "Emplacement"]
    )
    ligne = tableau.get_by_role("row").nth(1)
    expect(ligne.get_by_role("rowheader")).to_have_text("ACHEMINEMENT")
    expect(ligne.get_by_role("cell", name="absent", exact=True)).to_be_visible()
    expect(ligne.get_by_role("cell", name=ATTENDUE, exact=True)).to_be_visible()
    assert violations(page) == []

    with page.expect_download() as telechargement:
        page.get_by_role("link", name="Télécharger le rapport (CSV)").click()
    fichier = telechargement.value
    assert fichier.suggested_filename == "rapport-depot-facture_fr.csv"
    contenu = Path(fichier.path()).read_bytes()
    assert contenu.startswith(b"\xef\xbb\xbf")
    entete, ligne_csv = contenu.decode("utf-8-sig").splitlines()
    assert entete.split(";")[:4] == [
        "identifiantFournisseur",
        "identifiantDestinataire",
        "numeroDP",
        "libelleErreurDP",
    ]
    debut = f"{SIRET_VENDEUR_FNFE};{SIRET_ACHETEUR_FNFE};FA-2017-0010;[Règles Chorus Pro | ACHEMINEMENT"
    assert ligne_csv.startswith(debut)
    assert f"Valeur trouvée : absent. Valeur attendue : {ATTENDUE}." in ligne_csv
    assert not Facture.objects.exists()


# Akretion's EXTENDED sample, its S 20 % base (BT-116) moved from 11,00 to 12,00 (issue #13)
BASE_S_20 = (
    "BT-116 = Σ BT-131 + Σ BT-99 − Σ BT-92 (catégorie S au même taux) = 7,00 + 11,00 − 7,00 = 11,00 EUR (à 0,06 près)"
)


def test_un_montant_refuse_dit_son_calcul_dans_le_tableau_et_le_csv(live_server, page, client, deposant, vendeur):
    structure(SIRET_ACHETEUR_FNFE, "Collectivité FNFE", est_publique=True)
    contenu = avec_parties(
        "files/akretion-factur-x/xml/factur-x-extended.xml", (b">11.00</ram:BasisAmount>", b">12.00</ram:BasisAmount>")
    ).read()
    se_connecter(page, client, live_server, deposant)
    page.goto(live_server.url + "/factures/emises/deposer/")
    page.get_by_label("Structure qui émet la facture").select_option(
        label=f"{vendeur.raison_sociale} (99999999800010)"
    )
    page.get_by_label("Fichier de la facture").set_input_files(
        files=[{"name": "extended.xml", "mimeType": "text/xml", "buffer": contenu}]
    )
    page.get_by_text("Factur-X / XML (format détecté automatiquement)").check()
    page.get_by_role("button", name="Déposer").click()

    expect(page.locator("#resume-erreurs")).to_be_focused()
    tableau = page.get_by_role("table", name=re.compile(r"^Règles EN 16931 — \d+ anomalies$"))
    ligne = tableau.get_by_role("row").filter(has=page.get_by_role("rowheader", name="BR-FXEXT-S08b", exact=True))
    expect(ligne.get_by_role("cell", name="12,00 EUR", exact=True)).to_be_visible()
    expect(ligne.get_by_role("cell", name=BASE_S_20, exact=True)).to_be_visible()
    assert violations(page) == []

    with page.expect_download() as telechargement:
        page.get_by_role("link", name="Télécharger le rapport (CSV)").click()
    lignes = list(csv.DictReader(io.StringIO(Path(telechargement.value.path()).read_text("utf-8-sig")), delimiter=";"))
    (s08,) = [ligne for ligne in lignes if ligne["regle"] == "BR-FXEXT-S08b"]
    assert s08["champ"].startswith("BT-116")
    assert (s08["valeurTrouvee"], s08["valeurAttendue"]) == ("12,00 EUR", BASE_S_20)
    assert f"Valeur trouvée : 12,00 EUR. Valeur attendue : {BASE_S_20}. Emplacement : " in s08["libelleErreurDP"]
    # the CSV lists the blocking errors only, as consulterCRDetaille does: the « ini » / « rev » warnings are not there
    assert not [ligne for ligne in lignes if ligne["regle"].endswith(("ini", "rev"))]
    assert not Facture.objects.exists()
