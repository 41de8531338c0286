"""The scale bench (bench/echelle.py, issue #16) works: it loads a small N with the production skew into a database of
its own, measures every operation of the issue's table as the demo users, and a second run reuses the load. This is
not a timing test: the figures are the bench's, recorded in docs/benchmarks.md."""

import os
import re
import subprocess
import sys
from pathlib import Path

from django.conf import settings

RACINE = Path(__file__).resolve().parent.parent
N = 2000
OPERATIONS = [
    "Factures reçues : synthèse",
    "reçues : rechercher, page 1",
    "reçues : par numéro de facture",
    "reçues : période de dépôt + statut",
    "reçues : nom du fournisseur",
    "reçues : triées par montant",
    "reçues : dernière page",
    "Factures émises : dernière page",
    "reçues : tableau de bord",
    "émises : tableau de bord",
    "API rechercher/fournisseur p1",
    "API rechercher/recipiendaire p1",
    "Factures à valider : synthèse",
    "à valider : rechercher, page 1",
    "à valider : dernière page",
    "à valider : tableau de bord",
    "Factures de travaux : synthèse (MOE)",
    "travaux : rechercher, page 1 (MOE)",
    "travaux : dernière page (MOE)",
    "travaux : tableau de bord (MOE)",
    "travaux : rechercher, page 1 (MOA)",
    "travaux : synthèse (fournisseur)",
    "travaux : dossier de facturation (",
    "API rechercher/valideur p1",
    "API rechercher/atraiter/valideur p1",
    "API facturesTravaux/rechercher p1",
    "export CSV reçues (un an,",
    "export XLSX reçues (un an,",
]


def _base(tmp_path):
    """Its own database, on the engine the suite runs on: `echelle_test` (`echelle_test_gw0` under
    xdist) beside the suite's PostgreSQL database."""
    base = settings.DATABASES["default"]
    if base["ENGINE"].endswith("postgresql"):
        hote = f"{base['HOST'] or '127.0.0.1'}:{base['PORT'] or 5432}"
        # beside each xdist worker's own test database (test_…_gw0): two workers never load the same one
        suffixe = f"_{os.environ['PYTEST_XDIST_WORKER']}" if os.environ.get("PYTEST_XDIST_WORKER") else ""
        return f"postgres://{base['USER']}@{hote}/echelle_test{suffixe}"
    return f"sqlite:///{tmp_path / 'echelle.sqlite3'}"


def _lancer(tmp_path, url, recharger, **autres):
    env = {
        **os.environ,
        **autres,
        "ECHELLE_RECHARGER": "1" if recharger else "",
        "ECHELLE_N": str(N),
        "ECHELLE_RUNS": "1",
        "ECHELLE_DATABASE_URL": url,
        "CHORUS_VAR_DIR": str(tmp_path / "var"),
        "DJANGO_SETTINGS_MODULE": "chorus.settings.base",
    }
    env.pop("DATABASE_URL", None)
    resultat = subprocess.run(
        [sys.executable, str(RACINE / "bench" / "echelle.py")],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        cwd=RACINE,
    )
    assert resultat.returncode == 0, resultat.stderr[-3000:]
    return resultat.stdout


def colonnes_nom(ligne):
    return ligne.strip("|").split("|")[0]


def test_echelle_charge_mesure_et_reprend_la_base(tmp_path):
    url = _base(tmp_path)
    # the base alone first, as the loader made it before the complément (a database left by another run is loaded
    # anew): the next run finds the complément missing and adds it to the loaded base
    sortie = _lancer(tmp_path, url, recharger=True, ECHELLE_COMPLEMENT="0", ECHELLE_MESURER="0")
    assert "complément" not in sortie

    repartition = re.search(r"répartition : ([\d.]+)% reçues par .*, ([\d.]+)% émises par .*, ([\d.]+) lignes", sortie)
    assert repartition, sortie
    demoville, fournisseur, historique = (float(x) for x in repartition.groups())
    assert 11 <= demoville <= 19  # ≈15 % for Commune de Démoville
    assert 7 <= fournisseur <= 13  # ≈10 % for the demo supplier
    assert 4.4 <= historique <= 5.0  # ≈4.7 history rows per invoice

    sortie = _lancer(tmp_path, url, recharger=False)
    assert f"base déjà chargée : {N} factures" in sortie
    reecrites = re.search(
        r"complément : (\d+) factures réécrites \((\d+) avec valideur, (\d+) pièces de travaux", sortie
    )
    assert reecrites, sortie
    assert [int(x) for x in reecrites.groups()] == [N * 5 // 100, N * 3 // 100, N * 2 // 100]
    # the pieces, written with their triggers off, have their list keys copied (travaux.services.cles)
    recopiees = re.search(r"clés des pièces de travaux : (\d+) recopiées", sortie)
    assert recopiees and int(recopiees.group(1)) >= N * 2 // 100, sortie
    parts = re.search(
        r"(\d+) factures à valider par .*dossiers : (\d+) avec .* \(MOE\), (\d+) avec .* \(MOA\)", sortie
    )
    assert parts and all(int(x) > 0 for x in parts.groups()), sortie  # the demo accounts hold shares of them
    for operation in OPERATIONS:
        ligne = next((ligne for ligne in sortie.splitlines() if ligne.startswith(f"| {operation}")), None)
        assert ligne, (operation, sortie)
        assert "[" not in colonnes_nom(ligne), ligne  # every page and call answered 200, each export its file
        colonnes = [c.strip() for c in ligne.strip("|").split("|")]
        assert re.fullmatch(r"[\d ]+ ms", colonnes[1]) and re.fullmatch(r"[\d ]+ ms", colonnes[2]), ligne
        assert int(colonnes[3]) > 0, ligne  # the request's queries were counted
        assert re.fullmatch(r"[+-]\d+ Mo|–", colonnes[4]), ligne  # the memory the request took
        assert colonnes[5], ligne  # and the plan of its slowest query read
    # the one-year export holds the commune's invoices deposited in the last 365 days: ≈ 15 % × 74 % of N
    lignes_export = int(re.search(r"export CSV reçues \(un an, ([\d ]+) lignes\)", sortie).group(1).replace(" ", ""))
    assert 0.08 * N <= lignes_export <= 0.15 * N
    avant_derniere, derniere = sortie.strip().splitlines()[-2:]
    assert re.fullmatch(r"pages et API : pire p95 [\d ]+ ms \((?!export).+\)", avant_derniere)
    assert re.fullmatch(rf"echelle: {N} invoices, worst p95 \d+ ms \(.+\)", derniere)

    # the same N again: the load is kept, the run only measures
    seconde = _lancer(tmp_path, url, recharger=False)
    assert f"base déjà chargée : {N} factures" in seconde
    assert "complément déjà chargé" in seconde
    assert "répartition" not in seconde and "réécrites" not in seconde
    assert seconde.strip().splitlines()[-1].startswith(f"echelle: {N} invoices, worst p95 ")
