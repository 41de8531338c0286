"""National scale (issue #16): N invoices with their history loaded into a database of their own, then every list,
search, dashboard, API search and export of the issue's table timed as the demo users see them.

    make echelle                                         # 1 000 000 invoices in postgres://…/echelle
    ECHELLE_N=10000000 make echelle                      # 10 M (a database holds one N: another N reloads it)
    ECHELLE_MESURER=0 … / ECHELLE_EXPORTS=0 …            # load only / pages and API searches only
    ECHELLE_N=2000 ECHELLE_DATABASE_URL=sqlite:////tmp/echelle.sqlite3 .venv/bin/python bench/echelle.py

The load: `migrate`, the demo data (`charger_matelas`, so the demo users and technical accounts exist), then
synthetic recipients and suppliers and N invoices with about 4.7 history rows each, written by COPY (psycopg) on
PostgreSQL, by batched inserts on SQLite. The skew is a production one: Commune de Démoville receives about 15 % of
the invoices and the demo supplier sends about 10 %; the other recipients and suppliers follow a Zipf law (a few
receive most). Then the complément (`completer`): 3 % of the invoices rewritten as co- and sub-contractors'
invoices with validators (the demo supplier validating 40 % of them) and 2 % as works pieces in dossiers of 5 to 20
(the demo MOE, MOA and supplier in 40, 30 and 25 % of the dossiers), by one UPDATE from a table of new values, their
history replaced; a database loaded before the complément existed gets it on its next run, without a reload.
A database already loaded with the same N is reused as it is (`migrate` still runs, so a merged
migration applies to it): a second run only measures (ECHELLE_RECHARGER=1 loads it anew).

The measure: the Django test client against that database, logged in as the demo users (the API with the demo
technical accounts), ECHELLE_RUNS runs per operation (7) after one warm-up (none for the exports, whose first run is
counted). Each line gives p50, p95 (nearest rank: with 7 runs, the slowest), the SQL queries of one request and the
dominant node of the plan of its slowest query (EXPLAIN ANALYZE: the node with the most time of its own), and how much
the process's peak resident memory rose above what it held before (an export that streams stays flat). The last
line reads `echelle: <N> invoices, worst p95 <ms> ms (<operation>)`. docs/benchmarks.md keeps the figures.
"""

import bisect
import contextlib
import io
import itertools
import logging
import math
import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlencode

RACINE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RACINE))

N = int(os.environ.get("ECHELLE_N", 1_000_000))
RUNS = int(os.environ.get("ECHELLE_RUNS", 7))
URL = os.environ.get("ECHELLE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/echelle")
RECHARGER = os.environ.get("ECHELLE_RECHARGER") == "1"  # a fresh load even when the database holds this N
# ECHELLE_MESURER=0 loads and stops (a 10 M load runs once, beside other work); ECHELLE_EXPORTS=0 times the pages and
# API searches only (at 10 M one year of the commune is 1.1 M rows: bench/exports.py measures the export rates)
MESURER = os.environ.get("ECHELLE_MESURER") != "0"
# ECHELLE_COMPLEMENT=0 loads the base only, as the loader did before the complément (validators, works dossiers)
COMPLEMENT = os.environ.get("ECHELLE_COMPLEMENT") != "0"
EXPORTS = os.environ.get("ECHELLE_EXPORTS") != "0"
GRAINE = 16
PREFIXE = "ECH-"  # the numbers of the loaded invoices: the demo ones keep theirs
PAR_LOT = 20_000
DERNIERE = 10**9  # a page past the end: the paginator serves the last one

# The bench's own database and files: the demo's var/ and database are left alone.
os.environ["DATABASE_URL"] = URL
os.environ.setdefault("CHORUS_VAR_DIR", str(RACINE / "var" / "echelle"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chorus.settings.base")
os.environ.setdefault("DEBUG", "1")  # a local secret key and static files served as they are (no collectstatic)


# --- the database of its own, and whether it already holds this N ------------------------------------------------


def _pg_admin():
    import psycopg

    base = URL.rsplit("/", 1)
    return psycopg.connect(base[0] + "/postgres", autocommit=True), base[1].split("?")[0]


def _marque_sqlite():
    return Path(URL.removeprefix("sqlite:///") + ".echelle")


def _lire_marque(texte):
    """(N, complément loaded) from a marker: `N=1000000 complement=1`; the marker of a load made before the
    complément existed, `N=1000000`, reads as its base loaded and its complément missing."""
    valeurs = dict(mot.split("=", 1) for mot in texte.split() if "=" in mot)
    return int(valeurs["N"]), valeurs.get("complement") == "1"


def base_chargee():
    """(N the database was loaded with, whether its complément is loaded): written once each is complete, or None."""
    if URL.startswith("sqlite"):
        marque = _marque_sqlite()
        if not marque.exists():
            return None
        texte = marque.read_text()
        return _lire_marque(texte if "=" in texte else f"N={texte}")
    admin, nom = _pg_admin()
    with admin:
        ligne = admin.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [nom]
        ).fetchone()
    if ligne and ligne[0] and ligne[0].startswith("echelle N="):
        return _lire_marque(ligne[0].removeprefix("echelle "))
    return None


def base_neuve():
    """An empty database (dropped first when it holds a partial load or another N)."""
    if URL.startswith("sqlite"):
        chemin = Path(URL.removeprefix("sqlite:///"))
        for fichier in (chemin, _marque_sqlite(), Path(f"{chemin}-wal"), Path(f"{chemin}-shm")):
            fichier.unlink(missing_ok=True)
        return
    admin, nom = _pg_admin()
    with admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{nom}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{nom}"')


def marquer_chargee(complement):
    marque = f"N={N}" + (" complement=1" if complement else "")
    if URL.startswith("sqlite"):
        _marque_sqlite().write_text(marque)
        return
    admin, nom = _pg_admin()
    with admin:
        admin.execute(f"COMMENT ON DATABASE \"{nom}\" IS 'echelle {marque}'")


DEJA, COMPLEMENT_FAIT = (None if RECHARGER else base_chargee()) or (None, False)
if DEJA != N:
    base_neuve()
    COMPLEMENT_FAIT = False

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402

from bench.recherches_api import AUTRES  # noqa: E402
from facturation.models import Facture, FactureHistorique  # noqa: E402
from facturation.services.compteurs import recompter  # noqa: E402
from organisation.enums import StatutStructure, TypeIdentifiant  # noqa: E402
from organisation.matelas import COMPTES, siret_fictif  # noqa: E402
from organisation.middleware import CLE_CONNECTE_LE  # noqa: E402
from organisation.models import Service, Structure, Utilisateur  # noqa: E402
from organisation.services.second_facteur import appareil_code_courriel  # noqa: E402

PG = connection.vendor == "postgresql"

# --- what is loaded -------------------------------------------------------------------------------------------------

# An invoice's path to its current status: (status, action, motif) after the deposit. The weights give the mix of
# a portal where most invoices were paid long ago, and ≈4.7 history rows per invoice.
DEPOT = [("DEPOSEE", "deposer", ""), ("MISE_A_DISPOSITION", "mettre_a_disposition", "")]
SERVICE_FAIT = [("SERVICE_FAIT", "traiter", "")]
MANDATEE = [*SERVICE_FAIT, ("MANDATEE", "traiter", "")]
COMPTABILISEE = [*MANDATEE, ("MISE_A_DISPOSITION_COMPTABLE", "traiter", ""), ("COMPTABILISEE", "traiter", "")]
CHEMINS = [
    (0.40, [*COMPTABILISEE, ("MISE_EN_PAIEMENT", "traiter", "")]),
    (0.17, []),
    (0.10, SERVICE_FAIT),
    (0.08, MANDATEE),
    (0.05, COMPTABILISEE),
    (0.05, [("SUSPENDUE", "traiter", "Pièce justificative manquante")]),
    (0.03, [("SUSPENDUE", "traiter", "Pièce justificative manquante"), ("COMPLETEE", "completer", "")]),
    (0.08, [("REJETEE", "traiter", "Erreur de montant")]),
    (0.04, [("A_RECYCLER", "recycler", "Service destinataire erroné")]),
]
MODES = ["UPLOAD_API", "EDI", "SAISIE_PORTAIL", "DEPOT_PDF_PORTAIL", "UPLOAD_PORTAIL", "SAISIE_API"]
POIDS_MODES = [0.35, 0.25, 0.15, 0.12, 0.08, 0.05]
PART_DEMOVILLE = 0.15
PART_FOURNISSEUR_DEMO = 0.10
JOURS_DE_DEPOT = 480  # deposits over the last 16 months: one year of them is about 74 % of the invoices

VILLES = ["Albeville", "Brissac", "Castelmont", "Dorlisheim", "Étrechy", "Fontbrune", "Gravelines", "Hautecour"]
PUBLICS = ["Commune de", "Centre hospitalier de", "Communauté de communes de", "Lycée de", "Préfecture de"]
METIERS = ["Fournitures", "Bâtiment", "Informatique", "Nettoyage", "Transports", "Restauration", "Conseil", "Énergie"]
FORMES = ["SAS", "SARL", "SA", "EURL", "SCOP"]


def _zipf(nombre, exposant=1.1):
    cumul, total = [], 0.0
    for rang in range(1, nombre + 1):
        total += 1 / rang**exposant
        cumul.append(total)
    return cumul


def creer_structures(publiques, nombre, graine):
    deja = list(Structure.objects.filter(identifiant__in=[siret_fictif(graine + i) for i in range(nombre)]))
    if deja:
        return deja
    structures = []
    for i in range(nombre):
        ville = VILLES[i % len(VILLES)]
        if publiques:
            nom = f"{PUBLICS[i % len(PUBLICS)]} {ville} {i // len(VILLES)}"
        else:
            nom = f"{METIERS[i % len(METIERS)]} {ville} {i} {FORMES[i % len(FORMES)]}"
        structures.append(
            Structure(
                type_identifiant=TypeIdentifiant.SIRET,
                identifiant=siret_fictif(graine + i),
                raison_sociale=nom,
                est_publique=publiques,
                statut=StatutStructure.ACTIVE,
            )
        )
    return Structure.objects.bulk_create(structures, batch_size=2000)


def creer_services(structures):
    Service.objects.bulk_create(
        (Service(structure=s, code=f"SE{j}", libelle=f"Service {j}") for s in structures for j in range(3)),
        batch_size=3000,
    )
    services = {}
    for pk, structure_id in Service.objects.filter(structure__in=structures).values_list("pk", "structure_id"):
        services.setdefault(structure_id, []).append(pk)
    return services


def _colonnes(modele, variables):
    """The table's columns: `variables` first (the generator's order), then every other one with its model default,
    so a column another change adds gets its default without this script knowing it."""
    champs = {f.column: f for f in modele._meta.concrete_fields}
    constantes = []
    for colonne, champ in champs.items():
        if colonne in variables or champ.primary_key:  # an id not drawn by the generator is the table's own
            continue
        valeur = champ.get_default()
        if valeur is None and not champ.null:
            raise SystemExit(f"echelle: {modele._meta.db_table}.{colonne} has no default, add it to the generator")
        constantes.append((colonne, valeur))
    return [champs[c] for c in variables] + [champs[c] for c, _ in constantes], [v for _, v in constantes]


def _texte(valeur):
    """A value in COPY's text format."""
    if valeur is None:
        return "\\N"
    if valeur is True:
        return "t"
    if valeur is False:
        return "f"
    if isinstance(valeur, str):
        return valeur.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    if isinstance(valeur, datetime):
        return valeur.isoformat()
    return str(valeur)


def ecrire(modele, variables, lignes, table=None):
    """Writes the rows (tuples in `variables`' order): COPY on PostgreSQL, batched inserts elsewhere. `table`: another
    table with the model's columns (the complément's temporary table of updates)."""
    champs, constantes = _colonnes(modele, variables)
    if table is not None:
        champs, constantes = [modele._meta.get_field(c.removesuffix("_id")) for c in variables], []
    table = connection.ops.quote_name(table or modele._meta.db_table)
    noms = ", ".join(connection.ops.quote_name(c.column) for c in champs)
    nombre = 0
    with connection.cursor() as curseur:
        if PG:
            suite = "".join("\t" + _texte(v) for v in constantes) + "\n"
            with curseur.cursor.copy(f"COPY {table} ({noms}) FROM STDIN") as copie:
                tampon = []
                for ligne in lignes:
                    tampon.append("\t".join(map(_texte, ligne)) + suite)
                    if len(tampon) == PAR_LOT:
                        copie.write("".join(tampon))
                        nombre += len(tampon)
                        tampon.clear()
                copie.write("".join(tampon))
                nombre += len(tampon)
            return nombre
        sql = f"INSERT INTO {table} ({noms}) VALUES ({', '.join(['%s'] * len(champs))})"
        lot = []
        for ligne in lignes:
            valeurs = [*ligne, *constantes]
            lot.append([c.get_db_prep_save(v, connection) for c, v in zip(champs, valeurs, strict=True)])
            if len(lot) == PAR_LOT:
                curseur.executemany(sql, lot)
                nombre += len(lot)
                lot.clear()
        curseur.executemany(sql, lot)
        return nombre + len(lot)


COLONNES_FACTURE = [
    "id",
    "numero",
    "date_facture",
    "fournisseur_id",
    "destinataire_id",
    "service_destinataire_id",
    "total_ht",
    "total_tva",
    "total_ttc",
    "net_a_payer",
    "statut",
    "deposee_le",
    "statut_depuis",
    "mode_depot",
    "delai_paiement_jours",
    "telechargee",
    "cree_le",
]
COLONNES_HISTORIQUE = ["facture_id", "action", "de_statut", "vers_statut", "le", "motif"]


def generer(premier_id, demoville, services_demoville, fournisseur_demo, destinataires, fournisseurs, services):
    """(invoices, history) generators drawing the same invoices: the history of each invoice follows it."""
    rng = random.Random(GRAINE)
    cumul_destinataires = _zipf(len(destinataires))
    cumul_fournisseurs = _zipf(len(fournisseurs))
    cumul_chemins, total = [], 0.0
    for poids, _chemin in CHEMINS:
        total += poids
        cumul_chemins.append(total)
    fin = datetime.combine(timezone.localdate() - timedelta(days=1), datetime.min.time(), tzinfo=UTC)
    historique = []

    def factures():
        for i in range(N):
            if rng.random() < PART_DEMOVILLE:
                destinataire, service = demoville, rng.choice(services_demoville)
            else:
                rang = bisect.bisect(cumul_destinataires, rng.random() * cumul_destinataires[-1])
                destinataire = destinataires[rang]
                service = rng.choice(services[destinataire])
            if rng.random() < PART_FOURNISSEUR_DEMO:
                fournisseur = fournisseur_demo
            else:
                fournisseur = fournisseurs[bisect.bisect(cumul_fournisseurs, rng.random() * cumul_fournisseurs[-1])]
            chemin = CHEMINS[bisect.bisect(cumul_chemins, rng.random() * total)][1]
            depot = fin - timedelta(seconds=rng.randrange(JOURS_DE_DEPOT * 86400))
            ht = Decimal(round(math.exp(rng.gauss(7, 1.5)), 2))
            tva = (ht * Decimal("0.2")).quantize(Decimal("0.01"))
            pk = premier_id + i
            le, de = depot, "BROUILLON"
            for statut, action, motif in (*DEPOT, *chemin):
                historique.append((pk, action, de, statut, le, motif))
                de, le = statut, le + timedelta(days=rng.randint(1, 12), seconds=rng.randrange(86400))
            yield (
                pk,
                f"{PREFIXE}{i:08d}",
                (depot - timedelta(days=rng.randint(0, 10))).date(),
                fournisseur,
                destinataire,
                service,
                ht,
                tva,
                ht + tva,
                ht + tva,
                de,
                depot,
                historique[-1][4],
                rng.choices(MODES, POIDS_MODES)[0],
                30,
                rng.random() < 0.3,
                depot,
            )

    def lignes_historique():
        yield from historique
        historique.clear()

    return factures, lignes_historique


def _retirer_index(tables):
    """The secondary indexes of `tables` dropped for the load, their definitions returned: COPY into a table that
    keeps twenty indexes up to date slows as they grow (1 M invoices in 4 minutes, 10 M in about two hours), one
    build per index at the end is a sort each. The indexes that back a constraint (primary key, unique) stay."""
    with connection.cursor() as curseur:
        curseur.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = ANY(%s) AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
            [list(tables)],
        )
        index = curseur.fetchall()
        for nom, _definition in index:
            curseur.execute(f'DROP INDEX "{nom}"')
    return index


def _remettre_index(curseur, index):
    debut = time.perf_counter()
    curseur.execute("SET maintenance_work_mem = '512MB'")
    for _nom, definition in index:
        curseur.execute(definition)
    print(f"index : {len(index)} reconstruits en {time.perf_counter() - debut:.0f} s", flush=True)


def recompter_et_nettoyer(autres_tables):
    """The counters rebuilt once (their triggers were off), then VACUUM ANALYZE: the planner's statistics, and the
    visibility map without which the counts that read an index alone (« Compter », the API's totals) visit the table
    (93 → 814 ms at 10 M after the complément's rewrite)."""
    debut = time.perf_counter()
    lignes = recompter()
    print(f"compteurs : {lignes} lignes reconstruites en {time.perf_counter() - debut:.1f} s", flush=True)
    with connection.cursor() as curseur:
        if not PG:
            curseur.execute("ANALYZE")
            return
        tables = (
            "facturation_facture",
            "facturation_facturehistorique",
            "facturation_compteurfactures",
            "facturation_compteurvalidation",
        )
        for table in (*tables, *autres_tables):
            curseur.execute(f"VACUUM ANALYZE {table}")


def charger():
    """The load, in a fresh database (migrations already applied)."""
    debut = time.perf_counter()
    call_command("charger_matelas", verbosity=0, stdout=io.StringIO())
    demo = {c.role: Utilisateur.objects.get(email=c.login).rattachements.get().structure for c in COMPTES[:2]}
    fournisseur_demo, demoville = demo[COMPTES[0].role], demo[COMPTES[1].role]
    services_demoville = list(demoville.services.values_list("pk", flat=True)) or [None]
    destinataires = creer_structures(True, min(2000, max(20, N // 500)), 700_000)
    fournisseurs = creer_structures(False, min(20_000, max(50, N // 50)), 710_000)
    services = creer_services(destinataires)
    print(f"structures : {len(destinataires)} destinataires, {len(fournisseurs)} fournisseurs", flush=True)
    premier_id = (Facture.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    factures, historique = generer(
        premier_id,
        demoville.pk,
        services_demoville,
        fournisseur_demo.pk,
        [s.pk for s in destinataires],
        [s.pk for s in fournisseurs],
        services,
    )
    if PG:
        with connection.cursor() as curseur:
            # the foreign keys' triggers off for the load, and the counters' (facturation 0010): the generator draws
            # only existing ids, and the counters are rebuilt once at the end (recompter)
            curseur.execute("SET session_replication_role = replica")
        index = _retirer_index(("facturation_facture", "facturation_facturehistorique"))
    nombre, flux = 0, factures()
    while nombre < N:
        # by slices of 100 000 invoices, so the history kept for a slice stays small
        nombre += ecrire(Facture, COLONNES_FACTURE, itertools.islice(flux, 100_000))
        lignes = ecrire(FactureHistorique, COLONNES_HISTORIQUE, historique())
        duree = time.perf_counter() - debut
        print(f"  {nombre} factures (+{lignes} lignes d'historique) en {duree:.0f} s", flush=True)
    with connection.cursor() as curseur:
        if PG:
            curseur.execute("SET session_replication_role = DEFAULT")
            _remettre_index(curseur, index)
            curseur.execute(
                "SELECT setval(pg_get_serial_sequence('facturation_facture', 'id'), "
                "(SELECT max(id) FROM facturation_facture))"
            )
    recompter_et_nettoyer(("organisation_structure",))
    print(f"chargement : {time.perf_counter() - debut:.0f} s", flush=True)
    chargees = Facture.objects.filter(numero__startswith=PREFIXE)
    lignes = FactureHistorique.objects.filter(facture__numero__startswith=PREFIXE).count()
    recues = chargees.filter(destinataire=demoville).count() / N
    emises = chargees.filter(fournisseur=fournisseur_demo).count() / N
    print(
        f"répartition : {recues:.1%} reçues par {demoville.raison_sociale}, {emises:.1%} émises par "
        f"{fournisseur_demo.raison_sociale}, {lignes / N:.2f} lignes d'historique par facture",
        flush=True,
    )


# --- the complément: validators' invoices and works dossiers -------------------------------------------------------

# On top of the base load (issue #16's lists), what the validator lists (« Factures à valider », API
# rechercher/valideur and atraiter/valideur) and the works lists (« Factures de travaux », API
# facturesTravaux/rechercher) read at scale. A share of the loaded invoices is drawn by id and rewritten (one UPDATE
# from a table of the new values, their history replaced), so the complément also applies to a database whose base
# was loaded before it existed.
PART_VALIDEUR = 0.03  # co- and sub-contractors' invoices (A12, A9) that went through a validator
PART_VALIDEUR_DEMO = 0.40  # of them, validated by the demo supplier (the mandataire / titulaire): 1.2 % of N
PART_SECOND_VALIDEUR = 0.25  # of the A9 (sub-contractor): the titulaire then the mandataire
PART_TRAVAUX = 0.02  # works pieces, in dossiers of 5 to 20 pieces
PIECES_PAR_DOSSIER = (5, 20)
PART_DOSSIERS_FOURNISSEUR_DEMO = 0.25  # the demo supplier is the works supplier of a quarter of the dossiers
PART_DOSSIERS_MOE_DEMO = 0.40  # the demo MOE follows 40 % of them
PART_DOSSIERS_MOA_DEMO = 0.30  # the demo MOA owns 30 % of them
PREFIXE_DOSSIER = "ECH-DOS-"
# where a validator invoice stands: passed on to the recipient (then its base path), or still in the validators' hands
ARRETS_VALIDATION = [
    (0.72, "transmise"),
    (0.06, "hors_delai"),  # no answer in 15 days: « Validation 1 hors délai », then passed on
    (0.12, "A_VALIDER_1"),
    (0.05, "REFUSEE_1"),
    (0.04, "A_VALIDER_2"),  # with a second validator only (else A_VALIDER_1)
    (0.01, "REFUSEE_2"),
]
# the last, unfinished cycle of a dossier: its supplier's piece (A4) with the MOE, or the MOE's (A15) with the MOA
EN_COURS_MOE = [
    (0.55, [("MISE_A_DISPOSITION_MOE", "acheminer", "")]),
    (
        0.35,
        [("MISE_A_DISPOSITION_MOE", "acheminer", ""), ("PRISE_EN_COMPTE_MOE", "prendreEnCompteFactureTravaux", "")],
    ),
    (
        0.10,
        [
            ("MISE_A_DISPOSITION_MOE", "acheminer", ""),
            ("ERREUR_FOURNISSEUR_SUR_MOE", "refuserFactureTravaux", "Mauvaise MOE"),
        ],
    ),
]
EN_COURS_MOA = [
    (0.65, [("MISE_A_DISPOSITION_MOA", "acheminer", "")]),
    (
        0.35,
        [("MISE_A_DISPOSITION_MOA", "acheminer", ""), ("PRISE_EN_COMPTE_MOA", "prendreEnCompteFactureTravaux", "")],
    ),
]
# a finished cycle's MOA piece (A19) at the payer: mostly paid
CHEMINS_PAYEUR = [(0.55, CHEMINS[0][1]), (0.15, []), (0.10, SERVICE_FAIT), (0.10, MANDATEE), (0.10, COMPTABILISEE)]
COLONNES_MAJ = [
    "id",
    "cadre",
    "est_piece_travaux",
    "fournisseur_id",
    "destinataire_id",
    "service_destinataire_id",
    "valideur_1_id",
    "valideur_2_id",
    "date_validation_1",
    "date_validation_2",
    "statut",
    "statut_depuis",
    "motif_statut",
    "date_facture",
    "deposee_le",
    "cree_le",
]
TABLE_MAJ = "echelle_complement"


def _tirer(rng, poids_et_valeurs):
    seuil, cumul = rng.random() * sum(p for p, _ in poids_et_valeurs), 0.0
    for poids, valeur in poids_et_valeurs:
        cumul += poids
        if seuil < cumul:
            return valeur
    return poids_et_valeurs[-1][1]


def complement_present():
    from travaux.models import DossierFacturation

    return DossierFacturation.objects.filter(numero__startswith=PREFIXE_DOSSIER).exists()


def _chemin_de(statut):
    """The base path that ends at `statut` (each of CHEMINS ends at its own status)."""
    return next(
        (chemin for _p, chemin in CHEMINS if (chemin[-1][0] if chemin else "MISE_A_DISPOSITION") == statut), []
    )


def _historique(rng, pk, etapes, le, maintenant):
    """History rows from the deposit through `etapes` [(status, action, motif)], a few days apart (never after now);
    returns (rows, last status, its date, its motif)."""
    lignes, de = [], "BROUILLON"
    for i, (statut, action, motif) in enumerate(etapes):
        if i > 1:
            le = min(le + timedelta(days=rng.randint(1, 8), seconds=rng.randrange(86400)), maintenant)
        lignes.append((pk, action, de, statut, le, motif))
        de = statut
    return lignes, de, le, lignes[-1][5]


def completer():
    """The complément, on a database whose base is loaded: validator invoices and works dossiers, in one transaction
    (a complément is there whole or not at all), then the counters rebuilt and the statistics refreshed."""
    from django.db import transaction

    from organisation.enums import RoleDemo
    from travaux.models import DossierFacturation, PieceTravaux

    debut = time.perf_counter()
    rng = random.Random(GRAINE + 1)
    structure = {c.role: Utilisateur.objects.get(email=c.login).rattachements.get().structure for c in COMPTES[:4]}
    fournisseur_demo, moe_demo, moa_demo = (structure[r] for r in (RoleDemo.FOURNISSEUR, RoleDemo.MOE, RoleDemo.MOA))
    destinataires = [s.pk for s in creer_structures(True, min(2000, max(20, N // 500)), 700_000)]
    fournisseurs = [s.pk for s in creer_structures(False, min(20_000, max(50, N // 50)), 710_000)]
    services = {}
    for pk, structure_id in Service.objects.filter(structure_id__in=[*destinataires, moa_demo.pk]).values_list(
        "pk", "structure_id"
    ):
        services.setdefault(structure_id, []).append(pk)
    cumul_fournisseurs, cumul_destinataires = _zipf(len(fournisseurs)), _zipf(len(destinataires))

    def zipf(liste, cumul):
        return liste[bisect.bisect(cumul, rng.random() * cumul[-1])]

    # the drawn invoices: ids of the base load (contiguous, from the first ECH- one), none of the demo's own
    premier = Facture.objects.filter(numero__startswith=PREFIXE).order_by("pk").values_list("pk", flat=True).first()
    tires = rng.sample(range(premier, premier + N), round(N * (PART_VALIDEUR + PART_TRAVAUX)))
    nombre_travaux = round(N * PART_TRAVAUX)
    ids_travaux, ids_valideur = tires[:nombre_travaux], sorted(tires[nombre_travaux:])
    maintenant = timezone.now() - timedelta(minutes=1)
    fin = datetime.combine(timezone.localdate() - timedelta(days=1), datetime.min.time(), tzinfo=UTC)
    majs, historique = [], []

    # 1. validator invoices: what the base drew (supplier, deposit, status) stays, a validator and its circuit added
    lues = {}
    for i in range(0, len(ids_valideur), 10_000):
        lot = ids_valideur[i : i + 10_000]
        for ligne in Facture.objects.filter(pk__in=lot).values_list(
            "pk",
            "fournisseur_id",
            "destinataire_id",
            "service_destinataire_id",
            "statut",
            "deposee_le",
            "date_facture",
            "cree_le",
        ):
            lues[ligne[0]] = ligne
    for pk in ids_valideur:
        _pk, fournisseur, destinataire, service, statut, depot, date_facture, cree_le = lues[pk]
        cadre = "A9" if rng.random() < 0.4 else "A12"
        valideur_1 = (
            fournisseur_demo.pk if rng.random() < PART_VALIDEUR_DEMO else zipf(fournisseurs, cumul_fournisseurs)
        )
        if valideur_1 == fournisseur:
            valideur_1 = fournisseur_demo.pk if fournisseur != fournisseur_demo.pk else fournisseurs[0]
        valideur_2 = None
        if cadre == "A9" and rng.random() < PART_SECOND_VALIDEUR:
            valideur_2 = zipf(fournisseurs, cumul_fournisseurs)
            if valideur_2 in (valideur_1, fournisseur):
                valideur_2 = None
        arret = _tirer(rng, ARRETS_VALIDATION)
        if arret in ("A_VALIDER_2", "REFUSEE_2") and valideur_2 is None:
            arret = "A_VALIDER_1"
        etapes = [("DEPOSEE", "deposer", ""), ("A_VALIDER_1", "acheminer", "")]
        niveau_1 = ("VALIDEE_1", "valideur1:VALIDATION:VALIDEE_1", "")
        if arret == "hors_delai":
            niveau_1 = ("ABSENCE_VALIDATION_1_HORS_DELAI", "systeme:HORS_DELAI:ABSENCE_VALIDATION_1_HORS_DELAI", "")
        if arret == "REFUSEE_1":
            etapes.append(("REFUSEE_1", "valideur1:REFUS:REFUSEE_1", "Erreur de montant"))
        elif arret != "A_VALIDER_1":
            etapes.append(niveau_1)
            if valideur_2 is not None:
                etapes.append(("A_VALIDER_2", "systeme:TRANSMISSION_1:A_VALIDER_2", ""))
                if arret == "REFUSEE_2":
                    etapes.append(("REFUSEE_2", "valideur2:REFUS:REFUSEE_2", "Erreur de montant"))
                elif arret != "A_VALIDER_2":
                    etapes.append(("VALIDEE_2", "valideur2:VALIDATION:VALIDEE_2", ""))
            if arret in ("transmise", "hors_delai"):
                etapes.append(
                    ("MISE_A_DISPOSITION", f"systeme:TRANSMISSION_{2 if valideur_2 else 1}:MISE_A_DISPOSITION", "")
                )
                etapes += _chemin_de(statut)
        lignes, statut, le, motif = _historique(rng, pk, etapes, depot, maintenant)
        historique += lignes
        dates = {ligne[3]: ligne[4] for ligne in lignes}
        validation_1 = dates.get("VALIDEE_1") or dates.get("ABSENCE_VALIDATION_1_HORS_DELAI")
        majs.append(
            (
                pk,
                cadre,
                False,
                fournisseur,
                destinataire,
                service,
                valideur_1,
                valideur_2,
                validation_1,
                dates.get("VALIDEE_2"),
                statut,
                le,
                motif,
                date_facture,
                depot,
                cree_le,
            )
        )

    # 2. works dossiers: each a few monthly cycles, the supplier's A4 → the MOE's A15 → the MOA's A19 (to the payer)
    dossiers, pieces = [], []
    id_dossier = (DossierFacturation.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    id_piece = (PieceTravaux.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    reste = iter(ids_travaux)
    a_placer = len(ids_travaux)
    while a_placer:
        taille = min(a_placer, rng.randint(*PIECES_PAR_DOSSIER))
        a_placer -= taille
        fournisseur = (
            fournisseur_demo.pk
            if rng.random() < PART_DOSSIERS_FOURNISSEUR_DEMO
            else zipf(fournisseurs, cumul_fournisseurs)
        )
        moe = moe_demo.pk if rng.random() < PART_DOSSIERS_MOE_DEMO else zipf(fournisseurs, cumul_fournisseurs)
        moa = moa_demo.pk if rng.random() < PART_DOSSIERS_MOA_DEMO else zipf(destinataires, cumul_destinataires)
        service_moa = rng.choice(services.get(moa) or [None])
        # a dossier with a cycle under way is recent; one of whole cycles, anywhere in the 16 months
        recent = taille % 3 != 0 or rng.random() < 0.3
        duree = timedelta(days=30 * ((taille + 2) // 3))
        if recent:
            debut_dossier = fin - duree + timedelta(days=20) - timedelta(seconds=rng.randrange(20 * 86400))
        else:
            debut_dossier = (
                fin
                - duree
                - timedelta(seconds=rng.randrange(max(1, JOURS_DE_DEPOT * 86400 - int(duree.total_seconds()))))
            )
        dossiers.append(
            (
                id_dossier,
                f"{PREFIXE_DOSSIER}{id_dossier:08d}",
                f"MARCHE-ECH-{id_dossier % 997:03d}",
                fournisseur,
                moe,
                moa,
                service_moa,
                debut_dossier,
            )
        )
        # each piece's deposit: a cycle a month, the MOE's piece and the MOA's a few days after the one they answer
        depots = []
        for rang in range(taille):
            if rang % 3 == 0:
                depot = debut_dossier + timedelta(days=30 * (rang // 3), seconds=rng.randrange(2 * 86400))
            else:
                depot = depots[-1] + timedelta(days=rng.randint(2, 6), seconds=rng.randrange(86400))
            depots.append(min(depot, maintenant))
        precedente = None
        for rang, le in enumerate(depots):
            pk, etape = next(reste), rang % 3
            cadre, role = (("A4", "fournisseur"), ("A15", "moe"), ("A19", "moa"))[etape]
            if etape == 2:
                suite = [("MISE_A_DISPOSITION", "acheminer", ""), *_tirer(rng, CHEMINS_PAYEUR)]
            elif rang == taille - 1:
                suite = _tirer(rng, EN_COURS_MOE if etape == 0 else EN_COURS_MOA)
            else:
                suite = [
                    (f"MISE_A_DISPOSITION_{'MOE' if etape == 0 else 'MOA'}", "acheminer", ""),
                    ("ASSOCIEE", "associer", ""),
                ]
            lignes, statut, fin_piece, motif = _historique(
                rng, pk, [("DEPOSEE", "deposer", ""), *suite], le, maintenant
            )
            if statut == "ASSOCIEE":
                # associated when the next piece is deposited
                fin_piece = depots[rang + 1]
                lignes[-1] = (*lignes[-1][:4], fin_piece, "")
            historique += lignes
            majs.append(
                (
                    pk,
                    cadre,
                    True,
                    fournisseur,
                    moa,
                    service_moa,
                    None,
                    None,
                    None,
                    None,
                    statut,
                    fin_piece,
                    motif,
                    le.date(),
                    le,
                    le,
                )
            )
            pieces.append(
                (id_piece, pk, id_dossier, role, "association" if etape else "initial", precedente if etape else None)
            )
            precedente, id_piece = id_piece, id_piece + 1
        id_dossier += 1

    etapes = {"tirage": time.perf_counter() - debut}
    with transaction.atomic(), connection.cursor() as curseur:
        if PG:
            # the counters' triggers off (rebuilt once below by recompter), and the foreign keys' (existing ids only)
            curseur.execute("SET LOCAL session_replication_role = replica")
            curseur.execute(
                f"CREATE TEMP TABLE {TABLE_MAJ} ON COMMIT DROP AS SELECT {', '.join(COLONNES_MAJ)} "
                "FROM facturation_facture WITH NO DATA"
            )
        else:
            curseur.execute(f"DROP TABLE IF EXISTS temp.{TABLE_MAJ}")
            curseur.execute(
                f"CREATE TEMP TABLE {TABLE_MAJ} AS SELECT {', '.join(COLONNES_MAJ)} FROM facturation_facture WHERE 0"
            )
        ecrire(Facture, COLONNES_MAJ, majs, table=TABLE_MAJ)
        if PG:
            curseur.execute(f"ANALYZE {TABLE_MAJ}")  # a join planned on its true size
        top = time.perf_counter()
        affectations = ", ".join(f"{c} = m.{c}" for c in COLONNES_MAJ[1:])
        curseur.execute(
            f"UPDATE facturation_facture SET {affectations} FROM {TABLE_MAJ} AS m WHERE facturation_facture.id = m.id"
        )
        mises_a_jour = curseur.rowcount
        etapes["UPDATE"], top = time.perf_counter() - top, time.perf_counter()
        curseur.execute(f"DELETE FROM facturation_facturehistorique WHERE facture_id IN (SELECT id FROM {TABLE_MAJ})")
        retirees = curseur.rowcount
        lignes = ecrire(FactureHistorique, COLONNES_HISTORIQUE, historique)
        etapes["historique"], top = time.perf_counter() - top, time.perf_counter()
        ecrire(
            DossierFacturation,
            ["id", "numero", "numero_marche", "fournisseur_id", "moe_id", "moa_id", "service_moa_id", "cree_le"],
            dossiers,
        )
        ecrire(
            PieceTravaux,
            ["id", "facture_id", "dossier_id", "role_deposant", "type_depot", "piece_precedente_id"],
            pieces,
        )
        if PG:
            curseur.execute("SET LOCAL session_replication_role = DEFAULT")
            for table in ("travaux_dossierfacturation", "travaux_piecetravaux"):
                curseur.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
                )
        else:
            curseur.execute(f"DROP TABLE temp.{TABLE_MAJ}")
        print(
            f"complément : {mises_a_jour} factures réécrites ({len(ids_valideur)} avec valideur, "
            f"{len(pieces)} pièces de travaux en {len(dossiers)} dossiers), historique {retirees} → {lignes} lignes, "
            f"{time.perf_counter() - debut:.0f} s (" + ", ".join(f"{k} {v:.0f} s" for k, v in etapes.items()) + ")",
            flush=True,
        )
    from travaux.services.cles import recopier

    # the pieces were written with their triggers off: their list keys copied once from the invoices and dossiers
    top = time.perf_counter()
    print(f"clés des pièces de travaux : {recopier()} recopiées en {time.perf_counter() - top:.1f} s", flush=True)
    recompter_et_nettoyer(("travaux_dossierfacturation", "travaux_piecetravaux"))
    valides_demo = Facture.objects.filter(valideur_1=fournisseur_demo, numero__startswith=PREFIXE).count()
    avec = {
        nom: sum(d[rang] == pk for d in dossiers)
        for nom, rang, pk in (
            ("MOE", 4, moe_demo.pk),
            ("MOA", 5, moa_demo.pk),
            ("fournisseur", 3, fournisseur_demo.pk),
        )
    }
    print(
        f"complément : {time.perf_counter() - debut:.0f} s ; {valides_demo} factures à valider par "
        f"{fournisseur_demo.raison_sociale} ; dossiers : {avec['MOE']} avec {moe_demo.raison_sociale} (MOE), "
        f"{avec['MOA']} avec {moa_demo.raison_sociale} (MOA), {avec['fournisseur']} avec "
        f"{fournisseur_demo.raison_sociale} (fournisseur)",
        flush=True,
    )


# --- the measure ------------------------------------------------------------------------------------------------


def client_connecte(utilisateur):
    client = Client()
    client.force_login(utilisateur, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = appareil_code_courriel(utilisateur).persistent_id
    session[CLE_CONNECTE_LE] = timezone.now().isoformat()
    session.save()
    return client


def client_api(structure, mot_de_passe):
    import base64

    from raccordement.matelas import CLIENT_ID_DEMO, SECRET_DEMO
    from raccordement.services.comptes import DOMAINE_LOGIN

    client = Client()
    reponse = client.post(
        "/api/oauth/token",
        {"grant_type": "client_credentials", "client_id": CLIENT_ID_DEMO, "client_secret": SECRET_DEMO},
    )
    assert reponse.status_code == 200, reponse.content
    login = f"TECH_{structure.identifiant}_DEMO@{DOMAINE_LOGIN}"
    client.defaults.update(
        HTTP_AUTHORIZATION=f"Bearer {reponse.json()['access_token']}",
        HTTP_CPRO_ACCOUNT=base64.b64encode(f"{login}:{mot_de_passe}".encode()).decode(),
    )
    return client


def requete(client, methode, url, corps):
    post = methode == "POST"
    reponse = client.post(url, corps or {}, content_type="application/json") if post else client.get(url)
    if reponse.streaming:
        # the download is the work, not only its first byte; read and dropped, so the memory measured is the app's
        for _morceau in reponse.streaming_content:
            pass
    return reponse


def plan_dominant(sql, params):
    """The node of the slowest query's plan with the most time of its own."""
    with connection.cursor() as curseur:
        if not PG:
            curseur.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            etapes = [ligne[-1] for ligne in curseur.fetchall()]
            return next((e for e in etapes if e.startswith("SCAN ")), etapes[0] if etapes else "")
        curseur.execute("SET statement_timeout = '180s'")
        try:
            curseur.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", params)
            plan = curseur.fetchone()[0]
        finally:
            curseur.execute("SET statement_timeout = 0")
    plan = plan[0]["Plan"] if isinstance(plan, list) else plan
    noeuds = []

    def parcourir(noeud):
        enfants = noeud.get("Plans", [])
        total = noeud["Actual Total Time"] * noeud["Actual Loops"]
        propre = total - sum(e["Actual Total Time"] * e["Actual Loops"] for e in enfants)
        noeuds.append((propre, noeud))
        for enfant in enfants:
            parcourir(enfant)

    parcourir(plan)
    _propre, noeud = max(noeuds, key=lambda n: n[0])
    texte = noeud["Node Type"]
    if noeud.get("Relation Name"):
        texte += f" on {noeud['Relation Name']}"
    if noeud.get("Index Name"):
        texte += f" using {noeud['Index Name']}"
    texte += f", {_nombre(noeud['Actual Rows'] * noeud['Actual Loops'])} rows"
    if noeud["Actual Loops"] > 1:
        texte += f" ×{_nombre(noeud['Actual Loops'])} loops"
    return f"{texte} ({_propre:.0f} ms)"


def _nombre(valeur):
    return f"{valeur:,.0f}".replace(",", " ")


def _ms(duree):
    return f"{_nombre(duree)} ms"


def _memoire(cle):
    """The process's resident memory (VmRSS) or its peak (VmHWM) in KiB, Linux only; reading VmRSS also resets the
    peak (clear_refs 5), so the peak read after an operation is that operation's."""
    try:
        valeur = next(
            int(ligne.split()[1])
            for ligne in Path("/proc/self/status").read_text().splitlines()
            if ligne.startswith(cle)
        )
        if cle == "VmRSS":
            Path("/proc/self/clear_refs").write_text("5")
        return valeur
    except (OSError, StopIteration):
        return None


def mesurer(nom, client, url, methode="GET", corps=None, echauffement=True, type_attendu=None):
    if echauffement:
        requete(client, methode, url, corps)
    requetes = []

    def compter(execute, sql, params, many, context):
        debut = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            requetes.append((time.perf_counter() - debut, sql, params))

    avant = _memoire("VmRSS")
    durees = []
    for run in range(RUNS):
        debut = time.perf_counter()
        if run == 0:
            with connection.execute_wrapper(compter):
                reponse = requete(client, methode, url, corps)
        else:
            reponse = requete(client, methode, url, corps)
        durees.append((time.perf_counter() - debut) * 1000)
    pic = _memoire("VmHWM")
    memoire = f"{(pic - avant) / 1024:+.0f} Mo" if pic is not None and avant is not None else "–"
    durees.sort()
    p50 = statistics.median(durees)
    p95 = durees[math.ceil(0.95 * len(durees)) - 1]
    lectures = [r for r in requetes if r[1].lstrip().upper().startswith("SELECT")]
    plan = ""
    if lectures:
        _duree, sql, params = max(lectures, key=lambda r: r[0])
        try:
            plan = plan_dominant(sql, params)
        except Exception as erreur:  # a plan that cannot be read is not a measure that failed
            plan = f"(EXPLAIN: {type(erreur).__name__})"
    statut = "" if reponse.status_code == 200 else f" [HTTP {reponse.status_code}]"
    recu = reponse.get("Content-Type", "").split(";")[0]
    if type_attendu and recu != type_attendu:
        # e.g. an export that became a background job answers with a page: its time is not the export's
        statut += f" [{recu or 'sans type'}, pas le fichier]"
    print(f"| {nom}{statut} | {_ms(p50)} | {_ms(p95)} | {len(requetes)} | {memoire} | {plan} |", flush=True)
    return nom, p95, reponse.status_code


TYPES_EXPORT = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
RUNS_EXCEL = int(os.environ.get("ECHELLE_RUNS_EXCEL", "3"))


def mesurer_export_excel(nom, utilisateur, genre, criteres):
    """The Excel export is a background job since issue #16 (« Mes exports »): its time is the request's service plus
    the task that writes the file, run here in the bench's process (inline when tasks are eager), until the file is
    ready."""
    from django.http import QueryDict

    from exports.models import DemandeExport, EtatExport
    from exports.services import export_demander, export_produire

    parametres = QueryDict(mutable=True)
    for cle, valeur in criteres.items():
        parametres[cle] = str(valeur)
    avant = _memoire("VmRSS")
    durees, etat, requetes = [], None, []

    def compter(execute, sql, params, many, context):
        requetes.append(sql)
        return execute(sql, params, many, context)

    for run in range(RUNS_EXCEL):
        debut = time.perf_counter()
        with connection.execute_wrapper(compter) if run == 0 else contextlib.nullcontext():
            demande = export_demander(par=utilisateur, genre=genre, parametres=parametres)
            export_produire(demande_id=demande.pk)  # does nothing if an eager task already built it
        demande = DemandeExport.objects.get(pk=demande.pk)
        durees.append((time.perf_counter() - debut) * 1000)
        etat = demande.etat
        demande.fichier.delete(save=False)
        demande.delete()
    pic = _memoire("VmHWM")
    memoire = f"{(pic - avant) / 1024:+.0f} Mo" if pic is not None and avant is not None else "–"
    durees.sort()
    p50 = statistics.median(durees)
    p95 = durees[math.ceil(0.95 * len(durees)) - 1]
    statut = "" if etat == EtatExport.PRET else f" [état {etat}, pas de fichier]"
    print(f"| {nom}{statut} | {_ms(p50)} | {_ms(p95)} | {len(requetes)} | {memoire} | tâche, openpyxl write-only |")
    return nom, p95, 200 if etat == EtatExport.PRET else 500


def mesurer_tout():
    from raccordement.matelas import MOTS_DE_PASSE

    setup_test_environment(debug=False)
    # what the server does once its application is loaded (chorus/wsgi.py): the bench serves in-process
    from chorus.tas import figer_le_demarrage

    figer_le_demarrage()
    logging.getLogger("axes").setLevel(logging.WARNING)  # one line per login otherwise
    fournisseur = Utilisateur.objects.get(email=COMPTES[0].login)
    entite = Utilisateur.objects.get(email=COMPTES[1].login)
    fournisseur_demo = fournisseur.rattachements.get().structure
    demoville = entite.rattachements.get().structure
    recues = client_connecte(entite)
    emises = client_connecte(fournisseur)
    milieu = Facture.objects.filter(numero__startswith=PREFIXE).order_by("pk").values_list("pk", flat=True)[N // 2]
    numero = (
        Facture.objects.filter(destinataire=demoville, pk__gte=milieu)
        .order_by("pk")
        .values_list("numero", flat=True)
        .first()
    )
    aujourd_hui = timezone.localdate()
    an = {"depot_du": aujourd_hui - timedelta(days=365), "depot_au": aujourd_hui}
    trimestre = {
        "depot_du": aujourd_hui - timedelta(days=120),
        "depot_au": aujourd_hui - timedelta(days=30),
        "statut": "SERVICE_FAIT",
    }
    chercher = "/factures/recues/rechercher/?"
    print(f"base : {connection.vendor}, {N} factures, {RUNS} mesures par opération")
    print("| opération | p50 | p95 | SQL | mémoire | nœud dominant du plan |")
    print("|---|---|---|---|---|---|")
    resultats = [
        mesurer("Factures reçues : synthèse", recues, "/factures/recues/"),
        mesurer("reçues : rechercher, page 1", recues, "/factures/recues/rechercher/"),
        mesurer("reçues : par numéro de facture", recues, chercher + urlencode({"numero": numero})),
        mesurer("reçues : période de dépôt + statut", recues, chercher + urlencode(trimestre)),
        mesurer("reçues : nom du fournisseur", recues, chercher + urlencode({"fournisseur": "Fournitures"})),
        mesurer("reçues : triées par montant", recues, chercher + urlencode({"tri": "-montant"})),
        mesurer("reçues : dernière page", recues, chercher + urlencode({"page": DERNIERE})),
        mesurer(
            "reçues : compter les résultats (statut)",
            recues,
            chercher + urlencode({"statut": "MANDATEE", "compter": 1}),
        ),
        mesurer("Factures émises : rechercher, page 1", emises, "/factures/emises/rechercher/"),
        mesurer("Factures émises : dernière page", emises, f"/factures/emises/rechercher/?page={DERNIERE}"),
        mesurer("reçues : tableau de bord", recues, "/factures/recues/tableau-de-bord/"),
        mesurer("émises : tableau de bord", emises, "/factures/emises/tableau-de-bord/"),
    ]
    resultats += mesurer_complement(emises, fournisseur_demo)
    api_fournisseur = client_api(fournisseur_demo, MOTS_DE_PASSE["fournisseur"])
    api_recipiendaire = client_api(demoville, MOTS_DE_PASSE["entite_publique"])
    resultats += [
        mesurer("API rechercher/fournisseur p1", api_fournisseur, "/cpro/factures/v1/rechercher/fournisseur", "POST"),
        mesurer(
            "API rechercher/recipiendaire p1", api_recipiendaire, "/cpro/factures/v1/rechercher/recipiendaire", "POST"
        ),
    ]
    # the other API searches, each with the account that has rows to see (bench/recherches_api.py)
    comptes_api = (api_fournisseur, api_recipiendaire)
    resultats += [mesurer(f"API {nom}", comptes_api[compte], url, "POST") for nom, url, compte in AUTRES]
    if not EXPORTS:
        return _conclure(resultats)
    lignes = Facture.objects.filter(destinataire=demoville, deposee_le__date__gte=an["depot_du"]).count()
    url = f"/factures/recues/rechercher/export.csv?{urlencode(an)}"
    nom = f"export CSV reçues (un an, {_nombre(lignes)} lignes)"
    resultats.append(mesurer(nom, recues, url, echauffement=False, type_attendu=TYPES_EXPORT["csv"]))
    nom = f"export XLSX reçues (un an, {_nombre(lignes)} lignes), tâche « Mes exports »"
    resultats.append(mesurer_export_excel(nom, entite, "factures_recues", an))
    return _conclure(resultats)


def mesurer_complement(fournisseur, fournisseur_demo):
    """The validator pages (the demo supplier validates the co- and sub-contractors' invoices of the complément) and
    the works pages (the demo MOE, MOA and supplier each in many dossiers)."""
    from travaux.models import DossierFacturation

    moe_utilisateur, moa_utilisateur = (Utilisateur.objects.get(email=c.login) for c in COMPTES[2:4])
    moe, moa = client_connecte(moe_utilisateur), client_connecte(moa_utilisateur)
    dossier = (
        DossierFacturation.objects.filter(
            numero__startswith=PREFIXE_DOSSIER, moe=moe_utilisateur.rattachements.get().structure
        )
        .annotate(n=Count("pieces"))
        .order_by("-n", "pk")
        .first()
    )
    valider, travaux = "/factures/a-valider/", "/factures-travaux/"
    resultats = [
        mesurer("Factures à valider : synthèse", fournisseur, valider),
        mesurer("à valider : rechercher, page 1", fournisseur, valider + "rechercher/"),
        mesurer("à valider : à valider 1 (statut)", fournisseur, valider + "rechercher/?statut=A_VALIDER_1"),
        mesurer("à valider : dernière page", fournisseur, valider + f"rechercher/?page={DERNIERE}"),
        mesurer("à valider : tableau de bord", fournisseur, valider + "tableau-de-bord/"),
        mesurer("Factures de travaux : synthèse (MOE)", moe, travaux),
        mesurer("travaux : rechercher, page 1 (MOE)", moe, travaux + "rechercher/"),
        mesurer("travaux : dernière page (MOE)", moe, travaux + f"rechercher/?page={DERNIERE}"),
        mesurer("travaux : tableau de bord (MOE)", moe, travaux + "tableau-de-bord/"),
        mesurer("travaux : rechercher, page 1 (MOA)", moa, travaux + "rechercher/"),
        mesurer("travaux : synthèse (fournisseur)", fournisseur, travaux),
    ]
    if dossier is not None:
        nom = f"travaux : dossier de facturation ({dossier.n} pièces, MOE)"
        resultats.append(mesurer(nom, moe, f"{travaux}dossiers/{dossier.pk}/"))
    return resultats


def _conclure(resultats):
    # the targets differ: pages and API searches in milliseconds, exports in rows per second
    nom, p95, _statut = max((r for r in resultats if not r[0].startswith("export")), key=lambda r: r[1])
    print(f"pages et API : pire p95 {_ms(p95)} ({nom})")
    nom, p95, _statut = max(resultats, key=lambda r: r[1])
    print(f"echelle: {N} invoices, worst p95 {p95:.0f} ms ({nom})")
    return resultats


def main():
    call_command("migrate", verbosity=0)
    if DEJA == N:
        print(f"base déjà chargée : {N} factures ({URL.rsplit('@', 1)[-1]})", flush=True)
    else:
        charger()
        marquer_chargee(complement=False)
    if COMPLEMENT_FAIT:
        print("complément déjà chargé", flush=True)
    elif COMPLEMENT:
        if complement_present():  # loaded, but the run stopped before its marker
            print("complément déjà chargé", flush=True)
        else:
            completer()
        marquer_chargee(complement=True)
    if MESURER:
        mesurer_tout()


if __name__ == "__main__":
    main()
