"""An integrator in Chromium (issue #6, Raccordement): creates a technical account, notes its password (shown once,
gone after a reload), renews it, disables it; creates an EDI connection record, is refused an expired certificate,
uploads a valid one and puts the fiche in production. axe at each state."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.e2e.test_accessibilite import violations
from tests.e2e.test_structures import se_connecter
from tests.raccordement.outils_comptes import certificat, integrateur

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _medias(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_compte_technique_puis_fiche_edi(live_server, page, client, tmp_path, settings):
    settings.MODIFICATIONS_DIFFEREES_DELAI = timedelta(minutes=30)
    user, structure = integrateur()
    se_connecter(page, client, live_server, user)
    page.goto(live_server.url + "/raccordement/")
    expect(page.get_by_role("heading", name="Raccordement", level=1)).to_be_visible()
    assert violations(page) == []
    page.get_by_role("link", name=structure.designation, exact=True).click()

    # 1. A technical account: the password once
    expect(page.get_by_role("heading", name="Comptes techniques", level=1)).to_be_visible()
    page.get_by_role("link", name="Créer un compte technique").click()
    page.get_by_label("Libellé (facultatif)").fill("ERP comptabilité")
    page.get_by_role("button", name="Créer le compte technique").click()
    secret = page.locator("#secret-unique")
    expect(secret).to_contain_text("notez son mot de passe maintenant")
    expect(page.locator("#secret-dates")).to_contain_text(
        re.compile(r"Utilisable à partir du \d\d/\d\d/\d{4} à \d\d h \d\d")
    )
    mot_de_passe = page.locator("#secret-mot-de-passe").inner_text()
    login = page.locator("#secret-login").inner_text()
    assert len(mot_de_passe) >= 20 and login.startswith("TECH_")
    expect(page.locator("#comptes-techniques")).to_contain_text("En attente")
    assert violations(page) == []

    page.reload()
    expect(page.get_by_role("heading", name="Comptes techniques", level=1)).to_be_visible()
    expect(page.locator("#secret-unique")).to_have_count(0)
    assert mot_de_passe not in page.content()

    # 2. Renew: a new password, once
    page.get_by_role("link", name=f"Renouveler le mot de passe de {login}").click()
    expect(page.locator("#confirmation")).to_contain_text("L'ancien cesse aussitôt de fonctionner")
    assert violations(page) == []
    page.get_by_role("button", name="Renouveler le mot de passe").click()
    expect(page.locator("#secret-unique")).to_contain_text("Compte technique renouvelé")
    nouveau = page.locator("#secret-mot-de-passe").inner_text()
    assert nouveau != mot_de_passe

    # 3. Disable, confirmed
    page.get_by_role("link", name=f"Désactiver {login}").click()
    page.get_by_role("button", name="Désactiver le compte").click()
    expect(page.get_by_text(f"Le compte technique {login} est désactivé")).to_be_visible()
    expect(page.locator("#comptes-techniques")).to_contain_text("Désactivé")
    expect(page.get_by_role("link", name=f"Désactiver {login}")).to_have_count(0)
    assert violations(page) == []

    # 4. An EDI connection record
    page.get_by_role("link", name="Fiches de raccordement").click()
    page.get_by_role("link", name="Créer une fiche de raccordement").click()
    page.get_by_role("button", name="Créer la fiche").click()
    expect(page.locator("#resume-erreurs")).to_contain_text("Type de raccordement : choisissez EDI ou API.")
    assert violations(page) == []
    page.get_by_label("EDI", exact=True).check(force=True)
    page.get_by_label("Protocole (EDI)").select_option("AS2")
    page.get_by_label("Adresse du partenaire (EDI)").fill("https://as2.fournisseur.exemple/as2")
    page.get_by_label("UBL Invoice / CreditNote (FSO1140A)").check(force=True)
    page.get_by_label("Cycle de vie CDAR (codes de la réforme 2026)").check(force=True)
    page.get_by_role("button", name="Créer la fiche").click()
    expect(page.locator("#etat-fiche")).to_have_text("En qualification")
    expect(page.locator("#sans-certificat")).to_be_visible()
    assert violations(page) == []

    # 5. An expired certificate is refused, with the field named
    fin = datetime(2025, 6, 30, 10, 0, tzinfo=UTC)
    perime = tmp_path / "perime.pem"
    perime.write_bytes(certificat(debut=fin - timedelta(days=365), fin=fin))
    page.get_by_label("Certificat de la plateforme (X.509, PEM ou DER)").set_input_files(str(perime))
    page.get_by_role("button", name="Déposer le certificat").click()
    expect(page.locator("#resume-erreurs")).to_contain_text("Certificat : ce certificat a expiré le 30/06/2025")
    assert violations(page) == []

    # 6. A valid one, then production
    valide = tmp_path / "valide.der"
    from cryptography.hazmat.primitives import serialization

    valide.write_bytes(certificat(encodage=serialization.Encoding.DER))
    page.get_by_label("Certificat de la plateforme (X.509, PEM ou DER)").set_input_files(str(valide))
    page.get_by_role("button", name="Déposer le certificat").click()
    expect(page.get_by_text("Le certificat est enregistré.")).to_be_visible()
    expect(page.locator("#certificat-sujet")).to_contain_text("CN=as2.fournisseur.exemple")
    expect(page.locator("#certificat-empreinte")).to_have_text(re.compile(r"^([0-9A-F]{2}:){31}[0-9A-F]{2}$"))
    page.get_by_role("button", name="Passer en production").click()
    expect(page.get_by_text("La fiche de raccordement est passée en production.")).to_be_visible()
    expect(page.locator("#etat-fiche")).to_have_text("En production")
    assert violations(page) == []
