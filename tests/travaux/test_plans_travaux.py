"""Every filter and sort of the works lists and of the works API searches is served by an index (issue #16).

PostgreSQL only (skipped on SQLite), as tests/facturation/test_plans_listes.py for the invoice lists: the test seeds
dossiers and pieces where each demo actor (supplier, MOE, MOA) holds a small share, as at national scale, runs
ANALYZE so that the planner knows it, then runs each page and API search for real (each filter on its own, the count
asked for, a deep page) and EXPLAINs every query they send that reads the pieces or the invoices. A sequential scan
of the invoices, of the pieces or of the dossiers fails the test, and so does a page query that joins more relations
than its row shows (the one query of about 40 relations took 11 ms to plan before it read a row).
"""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from raccordement.api.factures_travaux import RechercherFactureTravauxATraiter
from raccordement.api.valideurs_travaux import TRIS_TRAVAUX, RechercherFactureTravaux
from tests.conftest import connecter
from tests.copies_sql import copier
from tests.travaux.test_depot import initial
from travaux.models import PieceTravaux
from travaux.selectors import listes

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN plans are PostgreSQL's"),
]

AUTRES_STRUCTURES = 200
DOSSIERS = 4_000
PIECES = 20_000
STATUTS = [
    "MISE_A_DISPOSITION_MOE",
    "PRISE_EN_COMPTE_MOE",
    "MISE_A_DISPOSITION_MOA",
    "A_ASSOCIER_FOURNISSEUR",
    "ASSOCIEE",
    "REFUSEE_MOE",
    "MISE_EN_PAIEMENT",
]
# what a sequential scan of the lists' tables looks like in a plan
SEQUENTIEL = re.compile(r"Seq Scan on (facturation_facture|travaux_piecetravaux|travaux_dossierfacturation)\b")


@pytest.fixture
def echelle(chantier):
    """The chantier's actors each hold 1 % of the dossiers (supplier, MOE, MOA of different ones); the other
    dossiers belong to 200 other structures."""
    modele = initial(chantier, numero="MODELE-1")
    dossier = modele.dossier
    with connection.cursor() as c:
        copier(
            c,
            "organisation_structure",
            chantier.fournisseur.pk,
            AUTRES_STRUCTURES,
            """'id', 800000 + g, 'identifiant', (80000000000000 + g)::text, 'uuid', md5('travaux' || g)::uuid,
               'raison_sociale', 'Entreprise ' || g""",
        )
        autre = f"800001 + g %% {AUTRES_STRUCTURES}"
        copier(
            c,
            "travaux_dossierfacturation",
            dossier.pk,
            DOSSIERS,
            f"""'id', 700000 + g, 'numero', 'DF' || lpad(g::text, 9, '0'),
               'fournisseur_id', CASE WHEN g %% 100 = 0 THEN %s ELSE {autre} END,
               'moe_id', CASE WHEN g %% 100 = 1 THEN %s ELSE {autre} END,
               'service_moe_id', NULL,
               'moa_id', CASE WHEN g %% 100 = 2 THEN %s ELSE {autre} END,
               'service_moa_id', CASE WHEN g %% 100 = 2 THEN %s END""",
            [chantier.fournisseur.pk, chantier.moe.pk, chantier.moa.pk, chantier.service_moa.pk],
        )
        statuts = "ARRAY[" + ",".join(f"'{s}'" for s in STATUTS) + "]"
        copier(
            c,
            "facturation_facture",
            modele.facture_id,
            PIECES,
            f"""'id', 900000 + g, 'numero', 'T' || lpad(g::text, 9, '0'),
               'fournisseur_id', {autre}, 'destinataire_id', {autre}, 'service_destinataire_id', NULL,
               'statut', ({statuts})[1 + g %% {len(STATUTS)}],
               'total_ttc', (g * 7877) %% 100000 / 100.0,
               'telechargee', g %% 3 = 0,
               'deposee_le', TIMESTAMPTZ '2024-01-02' + (g %% 700) * INTERVAL '1 day',
               'statut_depuis', TIMESTAMPTZ '2024-01-05' + (g %% 700) * INTERVAL '1 day'""",
        )
        copier(
            c,
            "travaux_piecetravaux",
            modele.pk,
            PIECES,
            f"""'id', 900000 + g, 'facture_id', 900000 + g, 'dossier_id', 700001 + g %% {DOSSIERS},
               'piece_precedente_id', NULL""",
        )
        for table in (
            "organisation_structure",
            "facturation_facture",
            "travaux_dossierfacturation",
            "travaux_piecetravaux",
        ):
            c.execute(f"ANALYZE {table}")
        # an SSD's random reads, as the servers have: the planner's default (4) is a spinning disk's
        c.execute("SET LOCAL random_page_cost = 1.1")
    return chantier


def _plans_des_requetes(appel):
    """(sql, plan) of every query `appel()` sends that reads the pieces (EXPLAIN of the SQL as it was sent)."""
    with CaptureQueriesContext(connection) as requetes:
        appel()
    plans = []
    with connection.cursor() as c:
        for requete in requetes:
            sql = requete["sql"]
            if sql.lstrip("( ").upper().startswith("SELECT") and "travaux_piecetravaux" in sql:  # a UNION too
                c.execute("EXPLAIN " + sql)
                plans.append((sql, "\n".join(ligne for (ligne,) in c.fetchall())))
    return plans


def _mauvais(cas):
    """{case: (sql, plan)} of the cases one of whose queries scans a list's table whole; a case that reads no piece
    is a test error (an empty perimeter would prove nothing)."""
    mauvais = {}
    for nom, appel in cas.items():
        plans = _plans_des_requetes(appel)
        assert plans, f"{nom} : aucune requête sur les pièces"
        for sql, plan in plans:
            if SEQUENTIEL.search(plan):
                mauvais[nom] = (sql, plan)
    if mauvais:
        nom, (sql, plan) = next(iter(mauvais.items()))
        pytest.fail(f"parcours séquentiel : {sorted(mauvais)}\n\n{nom}\n{sql[-800:]}\n{plan}")


def _api(service, utilisateur, criteres):
    from types import SimpleNamespace

    def appel():
        for pagination in ({}, {"pageResultatDemandee": 2, "nbResultatsParPage": 10}):
            tri = criteres.get("rechercheFactureTravaux", {})
            corps = {**criteres, "rechercheFactureTravaux": {**tri, **pagination}}
            try:
                service().traiter(SimpleNamespace(user=utilisateur), corps)
            except Exception as erreur:  # a page past the end is an answer too; its count ran first
                if type(erreur).__name__ != "ErreurDonnees":
                    raise

    return appel


def _page(client, url, parametres):
    def appel():
        # the page as the user sees it, the count asked for, then the last page offered (an OFFSET of 980)
        for extra in ({}, {"compter": "1"}, {"page": "50"}):
            reponse = client.get(url, {**parametres, **extra})
            assert reponse.status_code == 200, (url, parametres)

    return appel


DU, AU = "2024-06-01", "2024-07-01"
CRITERES_API = {
    "sans critère": {},
    "rôle fournisseur": {"roleUtilisateur": "FOURNISSEUR"},
    "rôle MOE": {"roleUtilisateur": "MOE"},
    "rôle MOA": {"roleUtilisateur": "MOA"},
    "statuts": {"statutCourant": ["MISE_A_DISPOSITION_MOE", "ASSOCIEE"]},
    "cadre": {"cadreFacturation": "A4_PROJET_DECOMPTE_MENSUEL_FOURNISSEUR"},
    "dossier": {"numeroDossierFacturation": "DF00000010"},
    "date du statut": {"periodeDateHeureEtatCourantDu": DU, "periodeDateHeureEtatCourantAu": AU},
    "téléchargée": {"flagTelecharge": False},
    **{
        f"tri {tri}": {"rechercheFactureTravaux": {"triColonne": tri, "triSens": "Descendant"}} for tri in TRIS_TRAVAUX
    },
}


def test_chaque_critere_de_l_api_des_travaux_a_son_index(echelle):
    cas = {}
    for acteur in ("u_fournisseur", "u_moe", "u_moa"):
        utilisateur = getattr(echelle, acteur)
        for nom, criteres in CRITERES_API.items():
            cas[f"rechercher {acteur} : {nom}"] = _api(RechercherFactureTravaux, utilisateur, criteres)
        cas[f"atraiter {acteur}"] = _api(RechercherFactureTravauxATraiter, utilisateur, {})
    cas["rechercher MOA : destinataire et service"] = _api(
        RechercherFactureTravaux,
        echelle.u_moa,
        {"idDestinataire": echelle.moa.pk, "idServiceExecutant": echelle.service_moa.pk},
    )
    _mauvais(cas)


PAGES = {
    "travaux:listes_rechercher": {
        "sans critère": {},
        "rôle": {"role": "moe"},
        "statut": {"statut": "MISE_A_DISPOSITION_MOE"},
        "destinataire (nom)": {"destinataire": "Commune"},
        "période de dépôt": {"depot_du": DU, "depot_au": AU},
        "cadre": {"cadre": "A4"},
        **{f"tri {tri}": {"tri": tri} for tri in listes.TRIS},
    },
    "travaux:listes_synthese": {"synthèse": {}, "masquées": {"masquer_telechargees": "on"}},
    "travaux:listes_tableau_de_bord": {"tableau de bord": {}},
}


def test_chaque_filtre_des_pages_des_travaux_a_son_index(echelle):
    cas = {}
    for acteur in ("u_fournisseur", "u_moe", "u_moa"):
        client = connecter(Client(), getattr(echelle, acteur))
        for url, criteres in PAGES.items():
            for nom, parametres in criteres.items():
                cas[f"{acteur} {url} : {nom}"] = _page(client, reverse(url), parametres)
    _mauvais(cas)


# The filters and sorts the pieces carry (travaux migration 0003: the invoice's status, status date, deposit, download,
# the dossier's parties): a list in one of them reads its ids, its count and its dashboard from the pieces alone.
PAGES_SUR_LES_PIECES = {
    "travaux:listes_rechercher": {
        nom: parametres
        for nom, parametres in PAGES["travaux:listes_rechercher"].items()
        if not nom.startswith(("destinataire", "cadre", "tri"))
        or nom in ("tri depot", "tri -depot", "tri statut", "tri -statut")
    },
    "travaux:listes_synthese": PAGES["travaux:listes_synthese"],
    "travaux:listes_tableau_de_bord": PAGES["travaux:listes_tableau_de_bord"],
}
# the API's sorts by number, amount and dossier still join the invoice or the dossier (rarer: no index per party)
CRITERES_API_SUR_LES_PIECES = {
    nom: criteres
    for nom, criteres in CRITERES_API.items()
    if nom not in ("cadre", "dossier")
    and nom not in {f"tri {t}" for t in ("NumeroFactureTravaux", "MontantTtc", "NumeroDossierFacturation")}
}


def _lit_les_factures(sql):
    """Whether a query reads the invoices for something else than the page's rows (listes.pour_la_page loads them by
    the pieces' ids, each invoice by its key)."""
    return '"facturation_facture"' in sql and '"travaux_piecetravaux"."id" IN (' not in sql


def test_les_listes_triees_sur_la_piece_ne_lisent_pas_les_factures(echelle):
    """Sorting or counting through the invoice's rows read every piece's invoice of the actor (79 368 for one MOE at
    10 M: 554–656 ms); the piece's own keys and the indexes per party serve them."""
    cas = {}
    for acteur in ("u_fournisseur", "u_moe", "u_moa"):
        client = connecter(Client(), getattr(echelle, acteur))
        for url, criteres in PAGES_SUR_LES_PIECES.items():
            for nom, parametres in criteres.items():
                cas[f"{acteur} {url} : {nom}"] = _page(client, reverse(url), parametres)
        utilisateur = getattr(echelle, acteur)
        for nom, criteres in CRITERES_API_SUR_LES_PIECES.items():
            cas[f"API rechercher {acteur} : {nom}"] = _api(RechercherFactureTravaux, utilisateur, criteres)
        cas[f"API atraiter {acteur}"] = _api(RechercherFactureTravauxATraiter, utilisateur, {})
    mauvais = {}
    for nom, appel in cas.items():
        plans = _plans_des_requetes(appel)
        assert plans, f"{nom} : aucune requête sur les pièces"
        for sql, _plan in plans:
            if _lit_les_factures(sql):
                mauvais[nom] = sql
    assert not mauvais, f"lisent les factures : {sorted(mauvais)}\n\n{next(iter(mauvais.values()))[-1500:]}"


def test_la_premiere_page_lit_ses_lignes_sur_l_index_de_la_partie(echelle):
    """Role by role (listes._par_role): each role's first rows come from the index of its party in the list's order,
    where the OR of the three parties fetched every piece of the actor and sorted them all."""
    plans = _plans_des_requetes(_page(connecter(Client(), echelle.u_moe), reverse("travaux:listes_rechercher"), {}))
    union = next(plan for sql, plan in plans if "UNION ALL" in sql)
    assert "piece_moe_depot_idx" in union and "Limit" in union, union


def test_la_page_lit_ses_ids_puis_ses_lignes_par_leurs_ids(echelle):
    """The page query joins the pieces, their dossier and their invoice only; the rows are read by id, with their
    parties: both planned in a few milliseconds whatever the tables' size (the one query of about 40 relations took
    11 ms to plan before it read a row)."""
    plans = _plans_des_requetes(_api(RechercherFactureTravaux, echelle.u_fournisseur, {}))
    (page, *_), (lignes, *_) = plans[0], plans[-1]  # the first page's ids, …, the last page's rows
    assert "LIMIT" in page, page
    assert page.count(" JOIN ") <= 2 and "EXISTS" not in page, page
    assert "WHERE" in lignes and '"travaux_piecetravaux"."id" IN' in lignes, lignes
    trouvees = listes.pour_la_page(list(listes.rechercher(echelle.u_fournisseur)[:10]))
    assert len(trouvees) == 10
    assert {p.dossier.fournisseur_id for p in trouvees} == {echelle.fournisseur.pk}
    assert PieceTravaux.objects.filter(dossier__fournisseur=echelle.fournisseur).count() == PIECES // 100 + 1
