"""The demo data set's invoices: one at each step a user meets, deposited and processed by the real services."""

import datetime
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


ARCHIVEES = {
    "DEMO-2022-014": "MISE_EN_PAIEMENT",
    "DEMO-2022-031": "REJETEE",
    "DEMO-2023-007": "MISE_EN_PAIEMENT",
    "DEMO-2023-019": "MISE_EN_PAIEMENT",
    "DEMO-2024-002": "MISE_EN_PAIEMENT",
}


def test_les_factures_archivees_de_demonstration(client, settings, tmp_path):
    """Old closed invoices, archived by the nightly task (not flagged by hand): gone from the live lists, found in
    the « Archives » of both sides with their history and file, and by the API's DP_ARCHIVE search."""
    import base64
    import csv

    from django.urls import reverse
    from django.utils import timezone

    from organisation.models import Utilisateur
    from tests.conftest import connecter

    settings.MEDIA_ROOT = tmp_path / "media"
    sortie = io.StringIO()
    call_command("charger_matelas", stdout=sortie)
    assert "Factures anciennes archivées par la tâche d'archivage : 5." in sortie.getvalue()
    sortie = io.StringIO()
    call_command("charger_matelas", stdout=sortie)
    assert "Factures anciennes archivées par la tâche d'archivage : 0." in sortie.getvalue()

    archivees = Facture.tous.filter(archivee=True)
    assert dict(archivees.values_list("numero", "statut")) == ARCHIVEES
    assert not Facture.objects.filter(numero__in=ARCHIVEES).exists()
    # each archived the night after its second closed year, as the task would have done: 2022-014 paid 02/04/2022
    payee = archivees.get(numero="DEMO-2022-014")
    assert timezone.localtime(payee.archivee_le).strftime("%d/%m/%Y %H:%M") == "03/04/2024 02:30"
    rejetee = archivees.get(numero="DEMO-2022-031")
    assert rejetee.rejet_traite_le.date() == datetime.date(2022, 9, 14)

    paul = Utilisateur.objects.get(email="entite.publique@demo.chorus-pro.example")
    fanny = Utilisateur.objects.get(email="fournisseur@demo.chorus-pro.example")
    # the « Mes messages » of those old steps are dated on their day and read long since
    from django.db.models import Q

    from communication.models import Notification

    anciennes = Notification.objects.filter(destinataire=fanny, cree_le__year__lt=2025)
    assert anciennes.count() >= 6 and not anciennes.filter(lue_le__isnull=True).exists()
    for numero in ARCHIVEES:
        mentions = Notification.objects.filter(Q(titre__contains=numero) | Q(texte__contains=numero))
        assert mentions.exists() and not mentions.filter(lue_le__isnull=True).exists(), numero
    connecter(client, paul)
    page = client.get(reverse("facturation:recues_archives")).content.decode()
    assert "5 factures archivées" in page and all(numero in page for numero in ARCHIVEES)
    assert "DEMO-2023" not in client.get(reverse("facturation:recues_rechercher")).content.decode()
    page = client.get(reverse("facturation:recues_archives"), {"numero": "demo-2023"}).content.decode()
    assert "2 factures archivées" in page and "DEMO-2023-007" in page and "DEMO-2022-014" not in page
    suspendue = archivees.get(numero="DEMO-2023-007")
    page = client.get(reverse("facturation:recues_archives_consulter", args=[suspendue.pk])).content.decode()
    historique = page[page.index('id="facture-historique"') :]
    etapes = ("20/02/2023", "Suspendue", "23/02/2023", "Complétée", "26/02/2023", "Mise en paiement", "16/03/2023")
    for texte in etapes:
        assert texte in historique, texte
    fichier = client.get(reverse("facturation:recues_archives_telecharger", args=[suspendue.pk, "pdf"]))
    assert fichier.content[:5] == b"%PDF-"

    connecter(client, fanny)
    page = client.get(reverse("facturation:emises_archives")).content.decode()
    assert "5 factures archivées" in page and "Commune de Démoville" in page
    assert "DEMO-2022" not in client.get(reverse("facturation:emises_rechercher")).content.decode()

    # the API, with the demo supplier's technical account and the demo API client of var/matelas.csv
    lignes = list(csv.DictReader((settings.VAR_DIR / "matelas.csv").open(encoding="utf-8")))
    technique = next(ligne for ligne in lignes if ligne["role"] == "compte technique")
    api = next(ligne for ligne in lignes if ligne["role"] == "client API")
    jeton = client.post(
        "/api/oauth/token",
        {"grant_type": "client_credentials", "client_id": api["login"], "client_secret": api["mot_de_passe"]},
    ).json()["access_token"]
    compte = base64.b64encode(f"{technique['login']}:{technique['mot_de_passe']}".encode()).decode()

    def rechercher(corps):
        reponse = client.post(
            "/cpro/factures/v1/rechercher/demandePaiement",
            corps,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {jeton}",
            HTTP_CPRO_ACCOUNT=compte,
        )
        assert reponse.status_code == 200, reponse.content
        return {ligne["numeroDemandePaiement"]: ligne for ligne in reponse.json().get("listeDemandePaiement", [])}

    assert not set(rechercher({})) & set(ARCHIVEES)
    trouvees = rechercher({"dpOuDpArchive": "DP_ARCHIVE"})
    assert {numero: ligne["etatCourant"] for numero, ligne in trouvees.items()} == ARCHIVEES
    assert {ligne["dpOuDpArchive"] for ligne in trouvees.values()} == {"DP_ARCHIVE"}
