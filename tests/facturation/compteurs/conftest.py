from collections import Counter

import pytest
from django.db.models import Count

from facturation.models import CompteurFactures, CompteurValidation, Facture
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


CLE_VALIDATION = ("valideur_1", "service_valideur_1", "valideur_2", "service_valideur_2", "second_ouvert", "statut")


def validation_attendue():
    """What the validators' counters must say: COUNT(*) … GROUP BY over the live invoices that name a validator."""
    base = Facture.tous.filter(archivee=False).exclude(valideur_1=None, valideur_2=None).order_by()
    attendus = Counter()
    cle = ("valideur_1_id", "service_valideur_1_id", "valideur_2_id", "service_valideur_2_id", "date_validation_1")
    for v1, s1, v2, s2, date_1, statut, n in base.values_list(*cle, "statut").annotate(n=Count("pk")):
        attendus[(v1 or 0, s1 or 0, v2 or 0, s2 or 0, date_1 is not None, statut)] += n
    return dict(attendus)


def validation_lue():
    lignes = CompteurValidation.objects.values_list(*CLE_VALIDATION, "nombre")
    negatifs = [ligne for ligne in lignes if ligne[-1] < 0]
    assert not negatifs, f"compteurs de validation négatifs : {negatifs}"
    return {tuple(ligne[:-1]): ligne[-1] for ligne in lignes if ligne[-1]}


def verifier():
    """Both counter tables equal their COUNT … GROUP BY; returns the parties' counters (CompteurFactures)."""
    lus, attendus = comptes_lus(), comptes_attendus()
    assert lus == attendus
    assert validation_lue() == validation_attendue()
    return lus


@pytest.fixture(scope="module")
def matelas(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo data set, deposited and processed by the real services (invoices, works pieces, validations), once
    for the module (tests/conftest.py demo_du_module: each test's writes are rolled back)."""
    yield from demo_du_module(django_db_blocker, tmp_path_factory.mktemp("matelas"))
