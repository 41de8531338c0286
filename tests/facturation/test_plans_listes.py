"""Every filter and sort of the invoice lists and of the API searches is served by an index (issue #16).

PostgreSQL only (skipped on SQLite): the test seeds a table where the user's structure holds a small share of the
invoices, as it does at national scale, runs ANALYZE so that the planner knows it, and asks EXPLAIN for the plan of
each search's page and bounded count. A sequential scan of facturation_facture fails the test: a new filter or sort
without its index is caught here rather than in production at a million rows.

The pages (« Factures reçues », « émises », « à valider ») and the API searches are run for
real, each filter the page or the service offers on its own, with the count asked for and a deep page: every query
they send that reads the invoices is explained (`_plans_des_requetes`), so a page that adds a query is covered too.
"""

import datetime
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chorus.pagination import PaginationBornee
from facturation.selectors import archives, emises, recues, validation
from organisation.enums import Application, Niveau, StatutStructure
from organisation.models import Structure
from tests.copies_sql import copier
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
        copier(
            c,
            "organisation_structure",
            destinataire.pk,
            AUTRES_STRUCTURES,
            """'id', 900000 + g, 'identifiant', (90000000000000 + g)::text, 'uuid', md5('plans' || g)::uuid,
               'raison_sociale', 'Structure ' || g""",
        )
        statuts = "ARRAY[" + ",".join(f"'{s}'" for s in STATUTS) + "]"
        copier(
            c,
            "facturation_facture",
            modele.pk,
            FACTURES,
            f"""'id', 900000 + g, 'numero', 'P' || lpad(g::text, 9, '0'),
                 'destinataire_id', CASE WHEN g %% 100 = 0 THEN %s ELSE 900001 + g %% {AUTRES_STRUCTURES} END,
                 'fournisseur_id', CASE WHEN g %% 100 = 1 THEN %s ELSE 900001 + (g * 7) %% {AUTRES_STRUCTURES} END,
                 'statut', ({statuts})[1 + g %% {len(STATUTS)}],
                 'total_ttc', (g * 7877) %% 100000 / 100.0,
                 'date_facture', DATE '2024-01-01' + (g %% 700),
                 'deposee_le', TIMESTAMPTZ '2024-01-02' + (g %% 700) * INTERVAL '1 day',
                 'statut_depuis', TIMESTAMPTZ '2024-01-05' + (g %% 700) * INTERVAL '1 day',
                 -- the recipient is also the first or second validator of a small share (« Factures à valider »)
                 'valideur_1_id', CASE WHEN g %% 100 = 2 THEN %s END,
                 'valideur_2_id', CASE WHEN g %% 100 = 3 THEN %s END,
                 'date_validation_1', CASE WHEN g %% 100 = 3 THEN TIMESTAMPTZ '2024-03-01' END""",
            [destinataire.pk, fournisseur.pk, destinataire.pk, destinataire.pk],
        )
        c.execute("ANALYZE facturation_facture")
        c.execute("ANALYZE organisation_structure")
        # the works tables too (empty here, a small share of the invoices at scale): a planner that knows nothing of
        # them guesses thousands of pieces and hashes every invoice to join them
        c.execute("ANALYZE travaux_piecetravaux")
        c.execute("ANALYZE travaux_dossierfacturation")
        # an SSD's random reads, as the servers have: the planner's default (4) is a spinning disk's
        c.execute("SET LOCAL random_page_cost = 1.1")
    return recipiendaire, emetteur, destinataire


JOUR = datetime.date(2024, 6, 1)
MOIS = JOUR + datetime.timedelta(days=30)
CRITERES_RECUES = {
    "sans critère": {},
    "numéro": {"numero": "P0000123"},
    "début du numéro (minuscules)": {"numero": "p00001"},
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
    "début du numéro (minuscules)": {"numero": "p00001"},
    "destinataire (nom)": {"destinataire": "Commune"},
    "statut": {"statut": "REJETEE"},
    "période de dépôt": {"depot_du": JOUR, "depot_au": MOIS},
    "date du statut": {"statut_du": JOUR, "statut_au": MOIS},
    "montants": {"montant_min": Decimal("100"), "montant_max": Decimal("200")},
}
TRIS_EMISES = ["-depot", "numero", "-montant", "date_facture", "-statut_depuis", "statut"]


def _plans(qs):
    """The plans of what a list runs (chorus/pagination.py): its first page and its last one (rows plus one), and
    the count when the user asks for it; the API's paginer reads the same page and count."""
    fin = PaginationBornee.limite
    return [qs[:21].explain(), qs[fin - 20 : fin + 1].explain(), qs.order_by().values("pk").explain()]


def _lit_toutes_les_lignes(plan):
    """A whole scan of the invoices, or a filter that casts each row's timestamp to a local date (`__date`): the
    index holds the timestamp, so the cast is checked row by row over the party's whole range (12.7 s at 10 M for
    an empty month; chorus/jours.py filters by a range of the timestamp instead)."""
    return "Seq Scan on facturation_facture" in plan or "AT TIME ZONE" in plan


def _parcours_sequentiels(cas):
    """{case: plan} of the cases whose plans scan the invoices whole; an empty plan (no query) is a test error."""
    mauvais = {}
    for nom, qs in cas.items():
        for plan in _plans(qs):
            assert plan, f"{nom} : aucune requête (périmètre vide ?)"
            if _lit_toutes_les_lignes(plan):
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


def test_le_numero_est_cherche_par_son_debut_sur_l_index_de_la_partie(echelle):
    """The number search is a prefix, upper and lower case alike, read on the btree of the list's party (migration
    0011): a range of (party, archivee, UPPER(numero)), never the whole table nor a trigram index."""
    recipiendaire, emetteur, _ = echelle
    cas = {
        "reçues": (lambda: recues.rechercher(recipiendaire, {"numero": "p000010"}), "facture_rec_numero_prefixe_idx"),
        "émises": (lambda: emises.rechercher(emetteur, {"numero": "p000010"}), "facture_emi_numero_prefixe_idx"),
        "archives reçues": (
            lambda: archives.rechercher(recipiendaire, "recues", numero="p000010"),
            "facture_rec_numero_prefixe_idx",
        ),
        "archives émises": (
            lambda: archives.rechercher(emetteur, "emises", numero="p000010"),
            "facture_emi_numero_prefixe_idx",
        ),
    }

    def verifier(noms):
        for nom in noms:
            rechercher, index = cas[nom]
            plan = rechercher()[:21].explain()
            assert index in plan and "Seq Scan on facturation_facture" not in plan, (nom, plan)

    verifier(["reçues", "émises"])
    # the recipient's share of P000010000–P000010999 (every hundredth invoice), and the whole number
    assert recues.rechercher(recipiendaire, {"numero": "p000010"}).count() == 10
    assert [f.numero for f in emises.rechercher(emetteur, {"numero": "p000010001"})] == ["P000010001"]
    assert not emises.rechercher(emetteur, {"numero": "000010001"}).exists()  # a middle part is not a beginning
    # half the invoices archived (an empty archive is read whole on its own small index, rightly)
    with connection.cursor() as c:
        c.execute("UPDATE facturation_facture SET archivee = TRUE, archivee_le = now() WHERE id % 2 = 0")
        c.execute("ANALYZE facturation_facture")
    verifier(["archives reçues", "archives émises"])
    assert archives.rechercher(recipiendaire, "recues", numero="p000010").count() == 10


COMPTES = {
    # (side, criteria, the index the count reads alone); the seed gives the recipient MISE_A_DISPOSITION, REJETEE and
    # MISE_EN_PAIEMENT invoices, the supplier SERVICE_FAIT, SUSPENDUE and MANDATEE ones
    "reçues : statut": ("recues", {"statut": "REJETEE"}, "facture_recues_idx"),
    "reçues : période de dépôt + statut": (
        "recues",
        {"depot_du": datetime.date(2024, 4, 1), "depot_au": datetime.date(2024, 5, 1), "statut": "REJETEE"},
        "facture_recues_idx",
    ),
    "reçues limitées à un service : statut": ("service", {"statut": "REJETEE"}, "facture_recues_idx"),
    "émises : statut": ("emises", {"statut": "SUSPENDUE"}, "facture_emises_idx"),
}


def test_compter_les_resultats_lit_l_index_seul(echelle):
    """« Compter les résultats » (and the API's `total`) counts on the list's index alone, an Index Only Scan: the
    index carries what the works rule (est_piece_travaux, statut) and a perimeter limited to services
    (service_destinataire_id) read (migration 0011). An Index Only Scan pays off once VACUUM has set the visibility
    map, which a test transaction cannot run: the table's statistics say what VACUUM leaves (every page visible)."""
    from organisation.models import Service

    recipiendaire, emetteur, destinataire = echelle
    service = Service.objects.create(structure=destinataire, code="PLANS", libelle="Service des plans")
    limite = UtilisateurFactory()
    rattacher(limite, destinataire, (Application.FACTURES_RECUES, Niveau.CONSULTATION, service))
    with connection.cursor() as c:
        # half the recipient's invoices go to the service
        c.execute(
            "UPDATE facturation_facture SET service_destinataire_id = %s WHERE destinataire_id = %s AND id %% 2 = 0",
            [service.pk, destinataire.pk],
        )
        c.execute("ANALYZE facturation_facture")
        c.execute("UPDATE pg_class SET relallvisible = relpages WHERE oid = 'facturation_facture'::regclass")
    selecteurs = {"recues": (recues, recipiendaire), "service": (recues, limite), "emises": (emises, emetteur)}
    mauvais = {}
    for nom, (cote, criteres, index) in COMPTES.items():
        module, utilisateur = selecteurs[cote]
        with CaptureQueriesContext(connection) as requetes:
            nombre = PaginationBornee(module.rechercher(utilisateur, criteres), 20, compter=True).count
        assert nombre, nom  # a count of nothing would prove nothing
        (sql,) = [r["sql"] for r in requetes if "COUNT(" in r["sql"].upper() and "facturation_facture" in r["sql"]]
        with connection.cursor() as c:
            c.execute("EXPLAIN " + sql)
            plan = "\n".join(ligne for (ligne,) in c.fetchall())
        if f"Index Only Scan using {index}" not in plan:
            mauvais[nom] = plan
    assert not mauvais, "\n\n".join(f"{nom}\n{plan}" for nom, plan in mauvais.items())


def test_les_factures_en_attente_du_fournisseur_se_comptent_sur_l_index_seul(echelle):
    """The API's rechercher/atraiter/fournisseur total (emises.nombre_en_attente): two counts, each an Index Only
    Scan of a status range of facture_emises_idx, whose INCLUDE columns carry the works rule and rejet_traite_le."""
    _, emetteur, _ = echelle
    with connection.cursor() as c:
        c.execute("UPDATE pg_class SET relallvisible = relpages WHERE oid = 'facturation_facture'::regclass")
    with CaptureQueriesContext(connection) as requetes:
        nombre = emises.nombre_en_attente(emetteur)
    assert nombre and nombre == emises.synthese(emetteur).count()  # a count of nothing would prove nothing
    comptes = [r["sql"] for r in requetes if "COUNT(" in r["sql"].upper()]
    assert len(comptes) == 2
    with connection.cursor() as c:
        for sql in comptes:
            c.execute("EXPLAIN " + sql)
            plan = "\n".join(ligne for (ligne,) in c.fetchall())
            assert "Index Only Scan using facture_emises_idx" in plan and "Index Cond: ((fournisseur_id" in plan, plan
            assert "statut" in plan.split("Index Cond:")[1].splitlines()[0], plan


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


# --- every filter of every list and API search, run for real -------------------------------------------------------


def _plans_des_requetes(appel):
    """The plans of every query `appel()` sends that reads the invoices (EXPLAIN of the SQL as it was sent)."""
    with CaptureQueriesContext(connection) as requetes:
        appel()
    plans = []
    with connection.cursor() as c:
        for requete in requetes:
            sql = requete["sql"]
            # "(SELECT …) UNION ALL (SELECT …)": the branches' first rows (chorus.pagination.premiers_par_branche)
            if sql.lstrip("( ").upper().startswith("SELECT") and "facturation_facture" in sql:
                c.execute("EXPLAIN " + sql)
                plans.append((sql, "\n".join(ligne for (ligne,) in c.fetchall())))
    return plans


def _sequentiels(cas):
    """{case: (sql, plan)} of the cases one of whose queries scans the invoices whole; a case that reads no invoice
    at all is a test error (an empty perimeter would prove nothing)."""
    mauvais = {}
    for nom, appel in cas.items():
        plans = _plans_des_requetes(appel)
        assert plans, f"{nom} : aucune requête sur les factures"
        for sql, plan in plans:
            if _lit_toutes_les_lignes(plan):
                mauvais[nom] = (sql, plan)
    return mauvais


def _aucun_sequentiel(mauvais):
    """Fails naming every case that scans the invoices, with the first one's query and plan."""
    if mauvais:
        nom, (sql, plan) = next(iter(mauvais.items()))
        pytest.fail(f"parcours séquentiel des factures : {sorted(mauvais)}\n\n{nom}\n{sql[-600:]}\n{plan}")


def _page(client, url, parametres):
    def appel():
        # the page as the user sees it, the count asked for, then the last page offered (an OFFSET of 980)
        for extra in ({}, {"compter": "1"}, {"page": "50"}):
            reponse = client.get(url, {**parametres, **extra})
            assert reponse.status_code == 200, (url, parametres)
            assert "fr-alert--error" not in reponse.content.decode(), (url, parametres)

    return appel


@pytest.fixture
def clients(echelle, client, django_user_model):
    from django.test import Client

    from tests.conftest import connecter

    recipiendaire, emetteur, destinataire = echelle
    valideur = UtilisateurFactory()
    rattacher(valideur, destinataire, (Application.VALIDATION, Niveau.CONSULTATION))
    return {
        "recues": connecter(Client(), recipiendaire),
        "emises": connecter(Client(), emetteur),
        "validation": connecter(Client(), valideur),
        "utilisateurs": {"recues": recipiendaire, "emises": emetteur, "validation": valideur},
    }


DU, AU = "2024-06-01", "2024-07-01"
PAGES = {
    ("recues", "facturation:recues_rechercher"): {
        "numéro": {"numero": "P0000123"},
        "début du numéro": {"numero": "p00001"},
        "fournisseur (nom)": {"fournisseur": "Fournisseur des"},
        "fournisseur (SIRET)": {"fournisseur": "90000000000007"},
        "statut": {"statut": "SERVICE_FAIT"},
        "cadre": {"cadre": "A2"},
        "sans service": {"service": "aucun"},
        "période de dépôt": {"depot_du": DU, "depot_au": AU},
        "date de facture": {"facture_du": DU, "facture_au": AU},
        "montants": {"montant_min": "100", "montant_max": "200"},
        "téléchargée": {"telechargee": "non"},
        **{f"tri {tri}": {"tri": tri} for tri in recues.TRIS},
    },
    ("emises", "facturation:emises_rechercher"): {
        "numéro": {"numero": "P0000123"},
        "début du numéro": {"numero": "p00001"},
        "destinataire (nom)": {"destinataire": "Commune"},
        "destinataire (SIRET)": {"destinataire": "90000000000007"},
        "destinataire (SIREN)": {"destinataire": "90000000000007", "recherche_siren": "on"},
        "code service": {"code_service": "ACHATS"},
        "statut": {"statut": "REJETEE"},
        "cadre": {"cadre": "A2"},
        "type": {"type_facture": "AVOIR"},
        "mode de dépôt": {"mode_depot": "SAISIE_API"},
        "période de dépôt": {"depot_du": DU, "depot_au": AU},
        "date de facture": {"facture_du": DU, "facture_au": AU},
        "date du statut": {"statut_du": DU, "statut_au": AU},
        "montants": {"montant_min": "100", "montant_max": "200"},
        "rejet traité": {"rejet_traite": "oui"},
        "rejet à traiter": {"rejet_traite": "non"},
        **{f"tri {tri}": {"tri": tri} for tri in emises.TRIS},
    },
    ("emises", "facturation:emises_accueil"): {"arrivée": {}},
    ("emises", "facturation:emises_synthese"): {"synthèse": {}},
    ("validation", "facturation:validation_recherche"): {
        "sans critère": {},
        "numéro": {"numero": "P0000102"},
        "début du numéro": {"numero": "p00001"},
        "fournisseur (nom)": {"fournisseur": "Fournisseur des"},
        "statut": {"statut": "MANDATEE"},
        "cadre": {"cadre": "A2"},
        "période de dépôt": {"du": DU, "au": AU},
        **{f"tri {tri}": {"tri": tri} for tri in validation.TRIS},
    },
    # the works lists read the pieces alone now (their keys, travaux 0003), none here: their plans are
    # tests/travaux/test_plans_travaux.py's, on seeded pieces
    # the Archives pages read the number's index too (its `archivee` column), whatever the archive's size
    ("recues", "facturation:recues_archives"): {"archives : début du numéro": {"numero": "p00001"}},
    ("emises", "facturation:emises_archives"): {"archives : début du numéro": {"numero": "p00001"}},
}


def test_chaque_filtre_de_chaque_liste_a_son_index(clients):
    cas = {
        f"{url} : {nom}": _page(clients[cote], reverse(url), parametres)
        for (cote, url), criteres in PAGES.items()
        for nom, parametres in criteres.items()
    }
    _aucun_sequentiel(_sequentiels(cas))


API = {
    # (user, service class, body key of the pagination): the criteria each offers
    "rechercher/recipiendaire": (
        "recues",
        "RechercherFactureParRecipiendaire",
        "paramRecherche",
        {
            "numéro": {"numeroFacture": "P0000100"},
            "statuts": {"statutCourant": ["SERVICE_FAIT", "MANDATEE"]},
            "type": {"typeFacture": "AVOIR"},
            "cadre": {"cadreFacturation": "A2_FACTURE_FOURNISSEUR_DEJA_PAYEE"},
            "mode": {"modeDepot": "SAISIE_API"},
            "montants": {"montantTtcMin": 100, "montantTtcMax": 200},
            "dépôt": {"periodeDateDepotDu": DU, "periodeDateDepotAu": AU},
            "date de facture": {"periodeDateFactureDu": DU, "periodeDateFactureAu": AU},
            "date du statut": {"periodeDateHeureEtatCourantDu": DU, "periodeDateHeureEtatCourantAu": AU},
            "service": {"idServiceExecutant": 1},
            "téléchargée": {"factureTelechargeeParDestinataire": False},
            "fournisseurs": {"listeFournisseurs": [{"idFournisseur": 900003}]},
        },
    ),
    "rechercher/fournisseur": (
        "emises",
        "RechercherFactureParFournisseur",
        "rechercheFactureParFournisseur",
        {
            "numéro": {"numeroFacture": "P0000101"},
            "statuts": {"statutCourant": ["REJETEE"]},
            "montants": {"montantTtcMin": 100, "montantTtcMax": 200},
            "dépôt": {"periodeDateDepotDu": DU, "periodeDateDepotAu": AU},
            "destinataires": {"listeDestinataire": [{"idDestinataire": 900003}]},
            "rejet traité": {"rejetTraite": True},
            "flux": {"numeroFluxDepot": "FLUX-1"},
        },
    ),
}


def _api(service, utilisateur, cle, criteres):
    from types import SimpleNamespace

    def appel():
        for pagination in ({}, {"pageResultatDemandee": 2, "nbResultatsParPage": 10}):
            corps = {**criteres, cle: pagination} if pagination else dict(criteres)
            try:
                service().traiter(SimpleNamespace(user=utilisateur), corps)
            except Exception as erreur:  # a page past the end is an answer too; its count ran first
                if type(erreur).__name__ != "ErreurDonnees":
                    raise

    return appel


def test_chaque_critere_des_recherches_de_l_api_a_son_index(clients):
    from raccordement.api import factures, factures_recherches

    classes = {**vars(factures), **vars(factures_recherches)}
    cas = {}
    for nom, (cote, classe, cle, criteres) in API.items():
        for critere, corps in {"sans critère": {}, **criteres}.items():
            cas[f"{nom} : {critere}"] = _api(classes[classe], clients["utilisateurs"][cote], cle, corps)
    for nom, cote, classe, cle in (
        ("atraiter/fournisseur", "emises", "RechercherFactureATraiterParFournisseur", "x"),
        ("atraiter/recipiendaire", "recues", "RechercherFactureATraiterParRecipiendaire", "x"),
        # atraiter/valideur reads the counters first: with no invoice waiting here it reads none (see
        # test_les_valideurs_ne_lisent_pas_toutes_leurs_factures, which makes some wait)
    ):
        cas[nom] = _api(classes[classe], clients["utilisateurs"][cote], cle, {})
    for role, cote in (("DESTINATAIRE", "recues"), ("FOURNISSEUR", "emises"), ("VALIDATEUR", "validation")):
        cas[f"demandePaiement {role}"] = _api(
            classes["RechercherDemandePaiement"],
            clients["utilisateurs"][cote],
            "paramRecherche",
            {"roleUtilisateur": role, "periodeDateDepotDu": DU},
        )
    for cote in ("recues", "emises", "validation"):
        # every role at once, no criterion: the branches' first rows, the counters, the overlaps counted by row
        cas[f"demandePaiement tous rôles ({cote})"] = _api(
            classes["RechercherDemandePaiement"], clients["utilisateurs"][cote], "paramRecherche", {}
        )
    _aucun_sequentiel(_sequentiels(cas))


def _lignes_lues(appel):
    """[(sql, rows)]: for each query `appel()` sends that reads the invoices, the most rows one node of its plan read
    from facturation_facture (EXPLAIN ANALYZE: rows × loops, plus those a filter removed)."""
    with CaptureQueriesContext(connection) as requetes:
        appel()
    lues = []
    with connection.cursor() as c:
        for requete in requetes:
            sql = requete["sql"]
            if sql.lstrip("( ").upper().startswith("SELECT") and "facturation_facture" in sql:
                c.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
                (plan,) = c.fetchone()
                plan = json.loads(plan) if isinstance(plan, str) else plan
                lues.append((sql, _max_lignes(plan[0]["Plan"])))
    return lues


def _max_lignes(noeud):
    lues = 0
    if noeud.get("Relation Name") == "facturation_facture":
        boucles = noeud.get("Actual Loops", 1)
        lues = (noeud.get("Actual Rows", 0) + noeud.get("Rows Removed by Filter", 0)) * boucles
    return max([lues, *(_max_lignes(enfant) for enfant in noeud.get("Plans", []))])


def test_les_valideurs_ne_lisent_pas_toutes_leurs_factures(clients):
    """« Factures à valider » and the API's valideur searches at national scale (issue #16): the dashboard and the
    totals read the counters (CompteurValidation), the Synthèse and atraiter/valideur each awaited structure's oldest
    rows (facture_attente_idx), a status filter its first page (facture_valideur_1_idx). No query reads all the
    validator's invoices, nor all those waiting on it: here 200 per level, half of them waiting."""
    valideur = clients["utilisateurs"]["validation"]
    structure = valideur.rattachements.get().structure_id
    with connection.cursor() as c:
        c.execute(
            """UPDATE facturation_facture
                  SET statut = CASE WHEN valideur_2_id IS NOT NULL THEN 'A_VALIDER_2' ELSE 'A_VALIDER_1' END
                WHERE id %% 2 = 0 AND (valideur_1_id = %s OR valideur_2_id = %s)""",
            [structure, structure],
        )
        c.execute("ANALYZE facturation_facture")
    from raccordement.api import factures_recherches, valideurs_travaux

    page = clients["validation"]
    cas = {
        "tableau de bord": lambda: validation.tableau_de_bord(valideur),
        "synthèse": lambda: validation.synthese(valideur),
        "page « à valider 1 »": lambda: page.get(
            reverse("facturation:validation_recherche"), {"statut": "A_VALIDER_1"}
        ),
        "API rechercher/valideur": _api(valideurs_travaux.RechercherFactureParValideur, valideur, "pagination", {}),
        "API atraiter/valideur": _api(
            factures_recherches.RechercherFactureATraiterParValideur,
            valideur,
            "rechercheFactureATraiterParValideur",
            {},
        ),
    }
    trop = {}
    for nom, appel in cas.items():
        for sql, lues in _lignes_lues(appel):
            if lues >= 100:
                trop[nom] = (lues, sql[-400:])
    assert not trop, trop
    # witnesses: what the pages show is what counting the invoices shows
    comptes = {statut: n for statut, _libelle, n in validation.tableau_de_bord(valideur) if n}
    assert comptes == dict(
        validation.rechercher(valideur)
        .order_by()
        .values_list("statut")
        .annotate(n=Count("pk"))
        .values_list("statut", "n")
    )
    assert sum(comptes.values()) == 2 * FACTURES // 100
    assert [(s.pk, n) for s, _f, n in validation.synthese(valideur)] == [(structure, FACTURES // 100)]
