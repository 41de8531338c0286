"""In Chromium: the MOA holding an A15 asks the supplier to recycle the A4 it follows (addressed to the wrong service):
the motif is mandatory, the request is confirmed; the supplier then finds the A4 « En attente de recyclage par le
fournisseur » in « Factures émises » and recycles it to the right service. Each state passes axe."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from organisation.enums import Application, Niveau
from organisation.models import Service
from tests.e2e.test_accessibilite import violations
from tests.e2e.test_structures import se_connecter
from tests.factories import UtilisateurFactory, rattacher
from tests.travaux.conftest import Chantier
from tests.travaux.test_depot import associer, initial

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MOTIF = "Service exécutant erroné : la pièce relève du service FINANCES."


def test_la_moa_demande_le_recyclage_et_le_fournisseur_recycle(live_server, page, client):
    chantier = Chantier()
    a4 = initial(chantier)
    a15 = associer(chantier.u_moe, "moe", "A15", a4, "EA-001")
    Service.objects.create(structure=chantier.moa, code="FINANCES", libelle="Finances")
    u_emises = UtilisateurFactory()
    rattacher(u_emises, chantier.fournisseur, (Application.FACTURES_EMISES, Niveau.MODIFICATION))

    se_connecter(page, client, live_server, chantier.u_moa)
    page.goto(live_server.url + reverse("travaux:dossier_piece", args=[a15.pk]))
    expect(page.locator("#statut-piece")).to_have_text("Mise à disposition de la MOA")
    page.get_by_role("link", name="Demander le recyclage de la pièce précédente").click()
    expect(page.get_by_role("heading", name="Demander le recyclage de la pièce précédente", level=1)).to_be_visible()
    expect(page.locator("#piece-a-recycler")).to_contain_text("service TRAVAUX")
    assert violations(page) == []

    page.get_by_role("button", name="Confirmer la demande de recyclage").click()
    expect(page.locator("#resume-erreurs")).to_contain_text(
        "Motif de la demande : Indiquez le motif de la demande de recyclage."
    )
    assert violations(page) == []
    page.get_by_label("Motif de la demande").fill(MOTIF)
    page.get_by_role("button", name="Confirmer la demande de recyclage").click()
    expect(
        page.get_by_text("Le recyclage de la pièce précédente n° PDM-001 est demandé au fournisseur")
    ).to_be_visible()
    expect(page.locator("#statut-piece")).to_have_text("Mise à disposition de la MOA")
    expect(page.locator("#demander-recyclage")).to_have_count(0)
    page.locator("#piece-precedente").click()
    expect(page.locator("#statut-piece")).to_have_text("En attente de recyclage par le fournisseur")
    assert violations(page) == []

    page.context.clear_cookies()
    se_connecter(page, client, live_server, u_emises)
    page.goto(live_server.url + reverse("facturation:emises_synthese"))
    ligne = page.get_by_role("row").filter(has_text="PDM-001")
    expect(ligne).to_contain_text("En attente de recyclage par le fournisseur")
    ligne.get_by_role("link", name="Recycler").click()
    page.get_by_label("Code service").fill("FINANCES")
    page.get_by_role("button", name="Renvoyer la facture").click()
    expect(page.get_by_text("La facture PDM-001 est renvoyée avec le même numéro")).to_be_visible()
    expect(page.get_by_text("Mise à disposition du destinataire").first).to_be_visible()
    assert violations(page) == []
