"""rechercherDemandePaiement and the archive (features row 50): DP_ARCHIVE finds the invoices the nightly task
archived, for their supplier and their recipient only; DEMANDE_PAIEMENT, the live base, no longer does."""

from datetime import timedelta

import pytest
from django.utils import timezone

from facturation.services.archivage import archiver_factures_closes
from tests.raccordement.test_api_factures_recherches import AUCUN, DEMANDES, _ids, monde  # noqa: F401
from tests.raccordement.test_api_valideurs_travaux import appels

pytestmark = pytest.mark.django_db


def test_dp_archive_trouve_les_factures_archivees(client, monde):  # noqa: F811
    il_y_a_trois_ans = timezone.now() - timedelta(days=3 * 365)
    ancienne = monde.facture("MISE_EN_PAIEMENT", numero="ARCH-1", deposee_le=il_y_a_trois_ans)
    vivante = monde.facture("MISE_EN_PAIEMENT", numero="VIVE-1")
    assert archiver_factures_closes() == 1

    for integrateur, role in ((monde.fournisseur, "FOURNISSEUR"), (monde.commune, "DESTINATAIRE")):
        appeler = appels(integrateur, client)
        assert _ids(appeler(DEMANDES)) == [vivante.pk]
        assert _ids(appeler(DEMANDES, {"dpOuDpArchive": "DP_ARCHIVE"})) == [ancienne.pk]
        corps = appeler(DEMANDES, {"dpOuDpArchive": "DP_ARCHIVE", "roleUtilisateur": role}).json()
        [ligne] = corps["listeDemandePaiement"]
        assert (ligne["numeroDemandePaiement"], ligne["dpOuDpArchive"], ligne["etatCourant"]) == (
            "ARCH-1",
            "DP_ARCHIVE",
            "MISE_EN_PAIEMENT",
        )
        filtre = {"dpOuDpArchive": "DP_ARCHIVE", "numeroFacture": "VIVE-1"}
        assert _ids(appeler(DEMANDES, filtre)) == []

    # the supplier's archive is not searched as its recipient; another structure finds nothing
    fournisseur = appels(monde.fournisseur, client)
    assert _ids(fournisseur(DEMANDES, {"dpOuDpArchive": "DP_ARCHIVE", "roleUtilisateur": "DESTINATAIRE"})) == []
    autre = appels(monde.autre_commune, client)(DEMANDES, {"dpOuDpArchive": "DP_ARCHIVE"}).json()
    assert (autre["codeRetour"], autre["libelle"]) == AUCUN
