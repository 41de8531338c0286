"""The demo data set's invoices: one at each step a user meets, deposited and processed by the real services."""

import io
import re
from decimal import Decimal

import pytest
from django.core.management import call_command

from facturation.models import Facture

pytestmark = pytest.mark.django_db


def test_les_factures_de_demonstration_a_chaque_etape_et_une_seule_fois():
    call_command("charger_matelas", stdout=io.StringIO())
    sortie = io.StringIO()
    call_command("charger_matelas", stdout=sortie)
    assert "Factures de démonstration créées : 0." in sortie.getvalue()
    statuts = dict(Facture.objects.filter(piece_travaux__isnull=True).values_list("numero", "statut"))
    assert statuts == {
        "DEMO-2026-001": "MISE_A_DISPOSITION",
        "DEMO-2026-002": "MISE_A_DISPOSITION",
        "DEMO-2026-003": "SUSPENDUE",
        "DEMO-2026-004": "A_RECYCLER",
        "DEMO-2026-005": "REJETEE",
        "DEMO-2026-006": "SERVICE_FAIT",
        "DEMO-2026-007": "MISE_EN_PAIEMENT",
        "DEMO-2026-008": "MISE_A_DISPOSITION",
        "ST-2026-001": "A_VALIDER_1",
    }
    premiere = Facture.objects.get(numero="DEMO-2026-001")
    assert (premiere.destinataire.raison_sociale, premiere.service_destinataire.code) == (
        "Commune de Démoville",
        "SERVICE-ACHATS",
    )
    # real Factur-X files, as « Valider et envoyer » makes them
    assert premiere.fichier_pdf.read(5) == b"%PDF-" and premiere.fichier_xml
    # 40 × 4,20 € = 168 € + 33,60 € of VAT at 20 %; 12 × 18,50 € = 222 € + 12,21 € at 5,5 %
    assert premiere.net_a_payer == Decimal("435.81")


def test_chaque_page_de_facturation_s_ouvre_sur_les_donnees_de_demonstration(client, settings, tmp_path):
    """What a visitor of `make run` clicks first: every space and every demo invoice, as its supplier and recipient."""
    from django.urls import reverse

    from organisation.models import Utilisateur
    from tests.conftest import connecter

    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("charger_matelas", stdout=io.StringIO())
    fanny = Utilisateur.objects.get(email="fournisseur@demo.chorus-pro.example")
    paul = Utilisateur.objects.get(email="entite.publique@demo.chorus-pro.example")
    pages = {
        fanny: [
            "emises_synthese",
            "emises_rechercher",
            "emises_tableau_de_bord",
            "saisie_nouvelle",
            "saisie_brouillons",
            "depot_fichier",
            "validation_synthese",
            "validation_recherche",
        ],
        paul: ["recues_synthese", "recues_rechercher", "recues_tableau_de_bord", "delegation_liste"],
    }
    for utilisateur, noms in pages.items():
        connecter(client, utilisateur)
        for nom in noms:
            assert client.get(reverse(f"facturation:{nom}")).status_code == 200, nom
    for facture in Facture.objects.filter(piece_travaux__isnull=True):
        connecter(client, paul)
        page = client.get(reverse("facturation:recues_consulter", args=[facture.pk]))
        assert page.status_code == 200 and facture.numero in page.content.decode()
        connecter(client, fanny)
        espace = "validation_facture" if facture.valideur_1_id else "emises_consulter"
        assert client.get(reverse(f"facturation:{espace}", args=[facture.pk])).status_code == 200
    retard = client.get(reverse("facturation:emises_consulter", args=[Facture.objects.get(numero="DEMO-2026-008").pk]))
    # deposited 45 days ago for a 30-day délai (a day either way when the 45 days cross a change of summer time)
    assert re.search(r"En retard de 1[456] jours", retard.content.decode())


def test_les_pieces_de_travaux_de_demonstration(client, settings, tmp_path):
    from django.urls import reverse

    from organisation.models import Utilisateur
    from tests.conftest import connecter
    from travaux.models import PieceTravaux

    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("charger_matelas", stdout=io.StringIO())
    statuts = dict(PieceTravaux.objects.values_list("facture__numero", "facture__statut"))
    assert statuts == {
        "PDM-2026-01": "ASSOCIEE",
        "EA-2026-01": "MISE_A_DISPOSITION_MOA",
        "PDM-2026-02": "MISE_A_DISPOSITION_MOE",
        "PDM-CT-2026-01": "A_VALIDER_1",
    }
    dossier = PieceTravaux.objects.get(facture__numero="EA-2026-01").dossier
    for email in ("fournisseur@demo.chorus-pro.example", "moe@demo.chorus-pro.example", "moa@demo.chorus-pro.example"):
        connecter(client, Utilisateur.objects.get(email=email))
        for nom in (
            "listes_synthese",
            "listes_rechercher",
            "listes_tableau_de_bord",
            "listes_liste_fiscale",
            "listes_archives",
            "depot_nouveau",
            "depot_brouillons",
            "moe_a_associer",
        ):
            assert client.get(reverse(f"travaux:{nom}")).status_code == 200, (email, nom)
        page = client.get(reverse("travaux:dossier_consulter", args=[dossier.pk])).content.decode()
        assert "PDM-2026-01" in page and "EA-2026-01" in page
    # the co-contractor's A13 waits for its mandataire, the demo supplier
    connecter(client, Utilisateur.objects.get(email="fournisseur@demo.chorus-pro.example"))
    assert "PDM-CT-2026-01" in client.get(reverse("facturation:validation_synthese")).content.decode()
