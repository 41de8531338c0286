"""Archives (features row 50): the nightly task moves invoices closed for two years out of the live base; the live
lists lose them, the Archives pages of both sides find them read-only, another structure's user gets nothing."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from facturation import tasks
from facturation.models import Facture
from tests.conftest import connecter
from tests.facturation.recues.conftest import avec_fichiers, piece_jointe

pytestmark = pytest.mark.django_db

MAINTENANT = datetime(2026, 12, 7, 2, 30, tzinfo=UTC)
IL_Y_A_TROIS_ANS = MAINTENANT - timedelta(days=3 * 365)
IL_Y_A_UN_AN = MAINTENANT - timedelta(days=365)


def archiver():
    with time_machine.travel(MAINTENANT, tick=False):
        return tasks.archiver_factures_closes()


@pytest.fixture
def archivee(monde):
    facture = avec_fichiers(
        monde.facture(numero="F-ARCH-1", statut="MISE_EN_PAIEMENT", deposee_le=IL_Y_A_TROIS_ANS), pdf=b"%PDF archive"
    )
    assert archiver() == 1
    return facture


def test_la_tache_archive_exactement_ce_qui_est_clos_depuis_deux_ans(monde, settings):
    settings.FACTURES_ARCHIVAGE_LOT = 1  # several batches
    payee = monde.facture(numero="PAYEE", statut="MISE_EN_PAIEMENT", deposee_le=IL_Y_A_TROIS_ANS)
    rejet_traite = monde.facture(
        numero="REJ-TRAITE", statut="REJETEE", deposee_le=IL_Y_A_TROIS_ANS, rejet_traite_le=IL_Y_A_TROIS_ANS
    )
    monde.facture(numero="REJ-A-TRAITER", statut="REJETEE", deposee_le=IL_Y_A_TROIS_ANS)
    monde.facture(numero="PAYEE-RECENTE", statut="MISE_EN_PAIEMENT", deposee_le=IL_Y_A_UN_AN)
    monde.facture(numero="EN-COURS", statut="MISE_A_DISPOSITION", deposee_le=IL_Y_A_TROIS_ANS)
    monde.facture(numero="SUSPENDUE", statut="SUSPENDUE", deposee_le=IL_Y_A_TROIS_ANS)

    assert archiver() == 2
    archivees = Facture.tous.filter(archivee=True)
    assert sorted(archivees.values_list("numero", flat=True)) == ["PAYEE", "REJ-TRAITE"]
    assert {f.archivee_le for f in archivees} == {MAINTENANT}
    assert sorted(Facture.objects.values_list("numero", flat=True)) == [
        "EN-COURS",
        "PAYEE-RECENTE",
        "REJ-A-TRAITER",
        "SUSPENDUE",
    ]
    assert {payee.pk, rejet_traite.pk} == set(archivees.values_list("pk", flat=True))
    assert archiver() == 0  # the next night has nothing left


def test_les_listes_vivantes_ne_montrent_plus_la_facture_archivee(client_agent, monde, archivee):
    vivante = monde.facture(numero="F-VIVANTE", statut="MISE_EN_PAIEMENT")
    page = client_agent.get(reverse("facturation:recues_rechercher")).content.decode()
    assert "F-VIVANTE" in page and "F-ARCH-1" not in page
    assert client_agent.get(reverse("facturation:recues_consulter", args=[archivee.pk])).status_code == 404
    assert client_agent.get(reverse("facturation:recues_consulter", args=[vivante.pk])).status_code == 200
    connecter(client_agent, monde.agent_fournisseur)
    page = client_agent.get(reverse("facturation:emises_rechercher")).content.decode()
    assert "F-VIVANTE" in page and "F-ARCH-1" not in page


def test_la_page_archives_du_destinataire_la_trouve(client_agent, monde, archivee, django_assert_max_num_queries):
    url = reverse("facturation:recues_archives")
    with django_assert_max_num_queries(12):
        page = client_agent.get(url).content.decode()
    assert "F-ARCH-1" in page and "Menuiserie Dubois" in page and "1 facture archivée" in page
    for numero in ("F-ARCH-2", "F-ARCH-3"):
        monde.facture(monde.autre_fournisseur, numero=numero, statut="REFUSEE_1", deposee_le=IL_Y_A_TROIS_ANS)
    monde.facture(monde.autre_fournisseur, numero="F-ARCH-4", statut="ABANDONNEE", deposee_le=IL_Y_A_TROIS_ANS)
    assert archiver() == 1  # REFUSEE_1 waits for « Traiter le rejet »; ABANDONNEE is final
    with django_assert_max_num_queries(12):  # the same count whatever the number of rows
        page = client_agent.get(url).content.decode()
    assert "2 factures archivées" in page and "Plâtrerie Lemaire" in page
    criteres = {"numero": "f-arch", "contrepartie": "dubois", "du": IL_Y_A_TROIS_ANS.date().isoformat()}
    assert "F-ARCH-1" in client_agent.get(url, criteres).content.decode()
    assert "F-ARCH-4" not in client_agent.get(url, criteres).content.decode()
    for autres in ({"numero": "AUTRE"}, {"contrepartie": "Inconnue"}, {"au": "2020-01-01"}):
        assert "Aucune facture archivée" in client_agent.get(url, autres).content.decode()

    fiche = client_agent.get(reverse("facturation:recues_archives_consulter", args=[archivee.pk])).content.decode()
    assert "Facture n° F-ARCH-1" in fiche and "Archivée le 07/12/2026" in fiche and "Mise en paiement" in fiche
    assert "Traiter" not in fiche  # read-only: no processing action
    pdf = client_agent.get(reverse("facturation:recues_archives_telecharger", args=[archivee.pk, "pdf"]))
    assert pdf.status_code == 200 and pdf.content == b"%PDF archive"
    archivee.refresh_from_db()
    assert archivee.telechargee is False  # the archive is not written to
    piece = piece_jointe(archivee)
    url_piece = reverse("facturation:recues_archives_piece_jointe", args=[archivee.pk, piece.pk])
    fiche = client_agent.get(reverse("facturation:recues_archives_consulter", args=[archivee.pk])).content.decode()
    assert url_piece in fiche
    assert b"".join(client_agent.get(url_piece).streaming_content) == b"%PDF-1.4 bon"


def test_la_page_archives_du_fournisseur_la_trouve(client, monde, archivee):
    connecter(client, monde.agent_fournisseur)
    page = client.get(reverse("facturation:emises_archives")).content.decode()
    assert "F-ARCH-1" in page and "Commune de Valbourg" in page
    fiche = client.get(reverse("facturation:emises_archives_consulter", args=[archivee.pk]))
    assert fiche.status_code == 200
    # the supplier's Archives are not the recipient's
    assert client.get(reverse("facturation:recues_archives_consulter", args=[archivee.pk])).status_code == 404


def test_une_autre_structure_n_y_trouve_rien(client, monde, archivee):
    piece = piece_jointe(archivee)
    connecter(client, monde.etranger)
    for cote in ("recues", "emises"):
        assert "F-ARCH-1" not in client.get(reverse(f"facturation:{cote}_archives")).content.decode()
        assert client.get(reverse(f"facturation:{cote}_archives_consulter", args=[archivee.pk])).status_code == 404
        url = reverse(f"facturation:{cote}_archives_telecharger", args=[archivee.pk, "pdf"])
        assert client.get(url).status_code == 404
        url = reverse(f"facturation:{cote}_archives_piece_jointe", args=[archivee.pk, piece.pk])
        assert client.get(url).status_code == 404
