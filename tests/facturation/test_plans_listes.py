"""Every filter and sort of « Factures reçues » and « Factures émises » is served by an index (issue #16).

PostgreSQL only (skipped on SQLite): the test seeds a table where the user's structure holds a small share of the
invoices, as it does at national scale, runs ANALYZE so that the planner knows it, and asks EXPLAIN for the plan of
each search's page and bounded count. A sequential scan of facturation_facture fails the test: a new filter or sort
without its index is caught here rather than in production at a million rows.
"""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Count

from chorus.pagination import PaginationBornee
from facturation.selectors import emises, recues
from organisation.enums import Application, Niveau, StatutStructure
from organisation.models import Structure
from tests.factories import StructureFactory, UtilisateurFactory, facture_deposee, rattacher

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN plans are PostgreSQL's"),
]

AUTRES_STRUCTURES = 200
FACTURES = 20_000
STATUTS = ["MISE_A_DISPOSITION", "SERVICE_FAIT", "MANDATEE", "MISE_EN_PAIEMENT", "REJETEE", "SUSPENDUE"]


@pytest.fixture
def echelle(db):
    destinataire = StructureFactory(est_publique=True, raison_sociale="Commune de Plans")
    fournisseur = StructureFactory(raison_sociale="Fournisseur des plans")
    Structure.objects.filter(pk__in=[destinataire.pk, fournisseur.pk]).update(statut=StatutStructure.ACTIVE)
    modele = facture_deposee(fournisseur, destinataire)
    recipiendaire = UtilisateurFactory()
    rattacher(recipiendaire, destinataire, (Application.FACTURES_RECUES, Niveau.CONSULTATION))
    emetteur = UtilisateurFactory()
    rattacher(emetteur, fournisseur, (Application.FACTURES_EMISES, Niveau.CONSULTATION))
    with connection.cursor() as c:
        # other structures, copies of the recipient, that receive and send most of the invoices
        c.execute(
            """INSERT INTO organisation_structure
               SELECT r.* FROM organisation_structure s CROSS JOIN generate_series(1, %s) g
             CROSS JOIN LATERAL jsonb_populate_record(NULL::organisation_structure, to_jsonb(s) || jsonb_build_object(
                 'id', 900000 + g, 'identifiant', (90000000000000 + g)::text, 'uuid', md5('plans' || g)::uuid,
                 'raison_sociale', 'Structure ' || g)) r
               WHERE s.id = %s""",
            [AUTRES_STRUCTURES, destinataire.pk],
        )
        statuts = "ARRAY[" + ",".join(f"'{s}'" for s in STATUTS) + "]"
        c.execute(
            f"""INSERT INTO facturation_facture
               SELECT r.* FROM facturation_facture f CROSS JOIN generate_series(1, %s) g
               CROSS JOIN LATERAL jsonb_populate_record(NULL::facturation_facture, to_jsonb(f) || jsonb_build_object(
                 'id', 900000 + g, 'numero', 'P' || lpad(g::text, 9, '0'),
                 'destinataire_id', CASE WHEN g %% 100 = 0 THEN %s ELSE 900001 + g %% {AUTRES_STRUCTURES} END,
                 'fournisseur_id', CASE WHEN g %% 100 = 1 THEN %s ELSE 900001 + (g * 7) %% {AUTRES_STRUCTURES} END,
                 'statut', ({statuts})[1 + g %% {len(STATUTS)}],
                 'total_ttc', (g * 7877) %% 100000 / 100.0,
                 'date_facture', DATE '2024-01-01' + (g %% 700),
                 'deposee_le', TIMESTAMPTZ '2024-01-02' + (g %% 700) * INTERVAL '1 day',
                 'statut_depuis', TIMESTAMPTZ '2024-01-05' + (g %% 700) * INTERVAL '1 day')) r
               WHERE f.id = %s""",
            [FACTURES, destinataire.pk, fournisseur.pk, modele.pk],
        )
        c.execute("ANALYZE facturation_facture")
        c.execute("ANALYZE organisation_structure")
        # an SSD's random reads, as the servers have: the planner's default (4) is a spinning disk's
        c.execute("SET LOCAL random_page_cost = 1.1")
    return recipiendaire, emetteur, destinataire


JOUR = datetime.date(2024, 6, 1)
MOIS = JOUR + datetime.timedelta(days=30)
CRITERES_RECUES = {
    "sans critère": {},
    "numéro": {"numero": "P0000123"},
    "fournisseur (nom)": {"fournisseur": "Fournisseur des"},
    "statut": {"statut": "SERVICE_FAIT"},
    "période de dépôt + statut": {
        "depot_du": JOUR,
        "depot_au": MOIS,
        "statut": "REJETEE",
    },
    "date de facture": {"facture_du": JOUR, "facture_au": MOIS},
    "montants": {"montant_min": Decimal("100"), "montant_max": Decimal("200")},
    "téléchargée": {"telechargee": "non"},
    "sans service": {"service": "aucun"},
}
TRIS_RECUES = ["-depot", "depot", "numero", "-montant", "montant", "date", "-statut_depuis", "statut"]
CRITERES_EMISES = {
    "sans critère": {},
    "numéro": {"numero": "P0000123"},
    "destinataire (nom)": {"destinataire": "Commune"},
    "statut": {"statut": "REJETEE"},
    "période de dépôt": {"depot_du": JOUR, "depot_au": MOIS},
    "date du statut": {"statut_du": JOUR, "statut_au": MOIS},
    "montants": {"montant_min": Decimal("100"), "montant_max": Decimal("200")},
}
TRIS_EMISES = ["-depot", "numero", "-montant", "date_facture", "-statut_depuis", "statut"]


def _plans(qs):
    """The plans of what a page runs: its bounded count and its first page."""
    pagination = PaginationBornee(qs, 20)
    return [
        pagination.object_list.order_by().values("pk")[: pagination.limite + 1].explain(),
        qs[:20].explain(),
    ]


def _parcours_sequentiels(cas):
    """{case: plan} of the cases whose plans scan the invoices whole; an empty plan (no query) is a test error."""
    mauvais = {}
    for nom, qs in cas.items():
        for plan in _plans(qs):
            assert plan, f"{nom} : aucune requête (périmètre vide ?)"
            if "Seq Scan on facturation_facture" in plan:
                mauvais[nom] = plan
    return mauvais


def test_recues_chaque_filtre_et_chaque_tri_a_son_index(echelle):
    recipiendaire, _, destinataire = echelle
    cas = {f"filtre {nom}": recues.rechercher(recipiendaire, c) for nom, c in CRITERES_RECUES.items()}
    cas |= {f"tri {tri}": recues.rechercher(recipiendaire, {}, tri) for tri in TRIS_RECUES}
    assert _parcours_sequentiels(cas) == {}
    # a witness that the test sees what it claims: the recipient's page reads the recipient's index
    plan = recues.rechercher(recipiendaire, {})[:20].explain()
    assert "facture_rec" in plan, plan
    assert recues.rechercher(recipiendaire, {}).filter(destinataire=destinataire).count() == FACTURES // 100 + 1


def test_emises_chaque_filtre_et_chaque_tri_a_son_index(echelle):
    _, emetteur, _ = echelle
    cas = {f"filtre {nom}": emises.rechercher(emetteur, c) for nom, c in CRITERES_EMISES.items()}
    cas |= {f"tri {tri}": emises.rechercher(emetteur, {}, tri) for tri in TRIS_EMISES}
    assert _parcours_sequentiels(cas) == {}


def test_syntheses_et_tableaux_de_bord(echelle):
    recipiendaire, emetteur, _ = echelle
    cas = {
        "synthèse reçues": recues.a_traiter(recipiendaire),
        "reçues": recues.factures_recues(recipiendaire),
        "synthèse émises": emises.synthese(emetteur),
        "émises": emises.factures_emises(emetteur),
    }
    assert _parcours_sequentiels(cas) == {}
    for qs in (recues.factures_recues(recipiendaire), emises.factures_emises(emetteur)):
        plan = qs.order_by().values("statut").annotate(n=Count("pk")).explain()
        assert plan and "Seq Scan on facturation_facture" not in plan, plan
