from collections import Counter

import pytest
from django.db.models import Count

from facturation.models import CompteurFactures, Facture
from tests.conftest import demo_du_module


def comptes_attendus():
    """What the counters must say, counted the slow way: COUNT(*) … GROUP BY over the live, deposited invoices."""
    base = Facture.tous.filter(archivee=False).exclude(statut="BROUILLON").order_by()
    attendus = Counter()
    cle_r = ("destinataire_id", "service_destinataire_id", "statut", "est_piece_travaux", "telechargee")
    for d, s, statut, piece, telechargee, n in base.values_list(*cle_r).annotate(n=Count("pk")):
        attendus[("R", d, s or 0, statut, piece, telechargee)] += n
    for f, statut, piece, n in base.values_list("fournisseur_id", "statut", "est_piece_travaux").annotate(
        n=Count("pk")
    ):
        attendus[("E", f, 0, statut, piece, False)] += n
    return dict(attendus)


def comptes_lus():
    lignes = CompteurFactures.objects.values_list(
        "cote", "id_structure", "id_service", "statut", "est_piece_travaux", "telechargee", "nombre"
    )
    negatifs = [ligne for ligne in lignes if ligne[-1] < 0]
    assert not negatifs, f"compteurs négatifs : {negatifs}"
    return {tuple(ligne[:-1]): ligne[-1] for ligne in lignes if ligne[-1]}


def verifier():
    lus, attendus = comptes_lus(), comptes_attendus()
    assert lus == attendus
    return lus


@pytest.fixture(scope="module")
def matelas(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo data set, deposited and processed by the real services (invoices, works pieces, validations), once
    for the module (tests/conftest.py demo_du_module: each test's writes are rolled back)."""
    yield from demo_du_module(django_db_blocker, tmp_path_factory.mktemp("matelas"))
