"""The invoice's whole journey in Chromium, as the issue tells it: a supplier enters an invoice with two lines at two
VAT rates and sends it; the public entity finds it in its Synthèse and suspends it with a motif; the supplier
completes it; the entity sets « Service fait » then « Mise en paiement »; the supplier sees the whole history, the
paid payment clock, and the mails it received on the way."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from organisation.enums import Application, Niveau
from tests.e2e.test_accessibilite import violations
from tests.e2e.test_structures import se_connecter
from tests.factories import UtilisateurFactory, rattacher
from tests.facturation.saisie.conftest import Monde

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def remplir_ligne(page, rang, designation, quantite, prix, taux):
    ligne = page.locator(f"#ligne-{rang}")
    ligne.get_by_label("Désignation").fill(designation)
    ligne.get_by_label("Quantité").fill(quantite)
    ligne.get_by_label("Prix unitaire HT").fill(prix)
    ligne.get_by_label("Taux de TVA").select_option(label=taux)


def traiter(page, statut, motif=None, commentaire=""):
    page.locator("#form-traiter").get_by_text(statut, exact=True).click()
    if motif:
        page.get_by_role("combobox", name="Motif").select_option(motif)
    if commentaire:
        page.get_by_label("Commentaire").fill(commentaire)
    page.get_by_role("button", name="Enregistrer le traitement").click()
    expect(page.locator("#statut-facture")).to_have_text(statut)


def test_saisie_suspension_completion_service_fait_mise_en_paiement(live_server, page, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    monde = Monde()
    monde.fournisseur.email = "compta@menuiserie-dubois.example"
    monde.fournisseur.save()
    agent = UtilisateurFactory(prenom="Agathe", nom="Comptable")
    rattacher(agent, monde.destinataire, (Application.FACTURES_RECUES, Niveau.MODIFICATION))

    # 1. The supplier enters the invoice and sends it.
    se_connecter(page, client, live_server, monde.utilisateur)
    page.goto(live_server.url + "/")
    page.get_by_role("button", name="Facturation").click()
    page.get_by_role("link", name="Saisir une facture").click()
    expect(page.get_by_role("heading", name="Saisir une facture", level=1)).to_be_visible()
    page.get_by_label("Rechercher un destinataire").fill("Mairie")
    page.get_by_role("button", name="Rechercher", exact=True).click()
    page.get_by_role("button", name=f"Mairie de Lyon – {monde.destinataire.identifiant}").click()
    # the recipient's active services arrive by script, as a list
    expect(page.locator("#exigences-destinataire")).to_contain_text("Destinataire : Mairie de Lyon.")
    page.get_by_role("combobox", name="Code du service destinataire").select_option("ACHATS")
    page.get_by_label("Numéro de facture").fill("FA-PARCOURS-1")
    page.get_by_label("Date de facture").fill("2026-11-02")
    remplir_ligne(page, 1, "Pose de fenêtres", "2", "500", "20 %")
    remplir_ligne(page, 2, "Livres", "10", "20", "5,5 %")
    page.get_by_role("button", name="Valider et envoyer").click()
    expect(page.locator("#confirmation-depot")).to_contain_text("Votre facture n° FA-PARCOURS-1 a été déposée le")

    # 2. The entity finds it in its Synthèse and suspends it with a motif.
    se_connecter(page, client, live_server, agent)
    page.goto(live_server.url + "/")
    page.get_by_role("button", name="Facturation").click()
    # the menu's entry (the home page has a « Factures reçues » space too)
    menu = page.get_by_role("navigation", name="Menu principal")
    menu.get_by_role("link", name="Factures reçues", exact=True).click()
    page.locator("#synthese").get_by_role(
        "link", name="1 Mise à disposition du destinataire, Mairie de Lyon service ACHATS"
    ).click()
    page.get_by_role("link", name="FA-PARCOURS-1").click()
    expect(page.get_by_role("heading", name="Facture n° FA-PARCOURS-1", level=1)).to_be_visible()
    expect(page.locator("#facture-net-a-payer")).to_have_text("1\u202f411,00\u00a0EUR")
    expect(page.locator("#facture-tva")).to_contain_text("5,5\u00a0%")
    traiter(page, "Suspendue", motif="Pièce justificative manquante", commentaire="Il manque le procès-verbal.")
    assert violations(page) == []

    # 3. The supplier, told by mail, completes it.
    (suspension,) = [m for m in mail.outbox if "FA-PARCOURS-1" in m.subject and "suspendue" in m.subject.lower()]
    assert suspension.to == ["compta@menuiserie-dubois.example"]
    assert "Pièce justificative manquante" in suspension.body
    se_connecter(page, client, live_server, monde.utilisateur)
    page.goto(live_server.url + "/factures/emises/")
    page.get_by_role("link", name="FA-PARCOURS-1").first.click()
    page.get_by_role("link", name="Compléter", exact=True).click()
    page.get_by_label("Commentaire").fill("Voici le procès-verbal de réception.")
    page.get_by_label("Pièces jointes").set_input_files(
        files=[{"name": "proces-verbal.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 pv"}]
    )
    page.get_by_role("button", name="Renvoyer la facture").click()
    expect(page.locator("#statut-facture")).to_have_text("Complétée")

    # 4. The entity sets « Service fait », then « Mise en paiement ».
    se_connecter(page, client, live_server, agent)
    page.goto(live_server.url + "/factures/recues/rechercher/?numero=FA-PARCOURS-1")
    page.get_by_role("link", name="FA-PARCOURS-1").click()
    expect(page.locator("#facture-pieces-jointes")).to_contain_text("proces-verbal.pdf")
    traiter(page, "Service fait")
    traiter(page, "Mise en paiement")

    # 5. The supplier sees the whole history and the clock stopped.
    se_connecter(page, client, live_server, monde.utilisateur)
    page.goto(live_server.url + "/factures/emises/rechercher/?numero=FA-PARCOURS-1")
    page.get_by_role("link", name="FA-PARCOURS-1").first.click()
    expect(page.locator("#statut-facture")).to_have_text("Mise en paiement")
    historique = page.locator("#facture-historique tbody")
    lignes = [re.sub(r"\s+", " ", t) for t in historique.locator("tr td:nth-child(2)").all_inner_texts()]
    assert lignes == [
        "Déposée",
        "Mise à disposition du destinataire",
        "Suspendue",
        "Complétée",
        "Service fait",
        "Mise en paiement",
    ]
    expect(historique).to_contain_text("Pièce justificative manquante – Il manque le procès-verbal.")
    expect(historique).to_contain_text("Agathe Comptable")
    expect(page.get_by_text("Payée dans le délai")).to_be_visible()
    # the download buttons show their words, not a bare icon (a DSFR group of icon buttons needs --icon-left)
    certificat = page.get_by_role("link", name="Télécharger le certificat de dépôt")
    assert certificat.bounding_box()["width"] > 150
    assert violations(page) == []
    paiement = [m for m in mail.outbox if "FA-PARCOURS-1" in m.subject and "paiement" in m.subject.lower()]
    assert len(paiement) == 1
