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
receive most). A database already loaded with the same N is reused as it is (`migrate` still runs, so a merged
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


def base_chargee():
    """The N the database was loaded with (written once the load is complete), or None."""
    if URL.startswith("sqlite"):
        marque = _marque_sqlite()
        return int(marque.read_text()) if marque.exists() else None
    admin, nom = _pg_admin()
    with admin:
        ligne = admin.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [nom]
        ).fetchone()
    if ligne and ligne[0] and ligne[0].startswith("echelle N="):
        return int(ligne[0].removeprefix("echelle N="))
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


def marquer_chargee():
    if URL.startswith("sqlite"):
        _marque_sqlite().write_text(str(N))
        return
    admin, nom = _pg_admin()
    with admin:
        admin.execute(f"COMMENT ON DATABASE \"{nom}\" IS 'echelle N={N}'")


DEJA = None if RECHARGER else base_chargee()
if DEJA != N:
    base_neuve()

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
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


def ecrire(modele, variables, lignes):
    """Writes the rows (tuples in `variables`' order): COPY on PostgreSQL, batched inserts elsewhere."""
    champs, constantes = _colonnes(modele, variables)
    table = connection.ops.quote_name(modele._meta.db_table)
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
    rebuild = time.perf_counter()
    lignes = recompter()
    print(f"compteurs : {lignes} lignes reconstruites en {time.perf_counter() - rebuild:.1f} s", flush=True)
    with connection.cursor() as curseur:
        if PG:
            tables = ("facturation_facture", "facturation_facturehistorique", "organisation_structure")
            for table in (*tables, "facturation_compteurfactures"):
                curseur.execute(f"VACUUM ANALYZE {table}")
        else:
            curseur.execute("ANALYZE")
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
        marquer_chargee()
    if MESURER:
        mesurer_tout()


if __name__ == "__main__":
    main()
