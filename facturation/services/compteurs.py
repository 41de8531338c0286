"""The invoices' per-status counters (facturation.models.CompteurFactures): their rebuild.

Triggers on facturation_facture keep the counters at every write (migration 0010); `recompter` rebuilds them from
the invoices, for a repair or after a bulk load that ran with the triggers off (bench/echelle.py's COPY under
`session_replication_role = replica`).
"""

import importlib

from django.db import connection, transaction

TABLE = "facturation_compteurfactures"
COLONNES = "cote, id_structure, id_service, statut, est_piece_travaux, telechargee, nombre"

# What the triggers count, counted in one pass: live (not archived), deposited (not a draft) invoices, once on the
# recipient's side and once on the supplier's.
REMPLIR = f"""
INSERT INTO {TABLE} ({COLONNES})
SELECT 'R', destinataire_id, COALESCE(service_destinataire_id, 0), statut, est_piece_travaux, telechargee, COUNT(*)
  FROM facturation_facture
 WHERE NOT archivee AND statut <> 'BROUILLON'
 GROUP BY destinataire_id, COALESCE(service_destinataire_id, 0), statut, est_piece_travaux, telechargee
UNION ALL
SELECT 'E', fournisseur_id, 0, statut, est_piece_travaux, FALSE, COUNT(*)
  FROM facturation_facture
 WHERE NOT archivee AND statut <> 'BROUILLON'
 GROUP BY fournisseur_id, statut, est_piece_travaux
"""  # noqa: S608 — TABLE and COLONNES are this module's constants


def recompter() -> int:
    """Rebuild every counter from the invoices; returns the number of counter rows. The invoices are locked against
    writes meanwhile (a deposit waits a few seconds at 1 M invoices), so that none is counted twice or missed."""
    with transaction.atomic(), connection.cursor() as curseur:
        if connection.vendor == "postgresql":
            # SHARE: reads go on, writers (and so the triggers) wait for the rebuild's commit
            curseur.execute("LOCK TABLE facturation_facture IN SHARE MODE")
        # on SQLite the DELETE takes the database's write lock, held until the commit
        curseur.execute(f"DELETE FROM {TABLE}")  # noqa: S608 — the module's constant
        curseur.execute(REMPLIR)
        curseur.execute(f"SELECT COUNT(*) FROM {TABLE}")  # noqa: S608 — the module's constant
        return curseur.fetchone()[0]


def retablir_declencheurs_sqlite(*, using="default", **_kwargs):
    """post_migrate: on SQLite, Django alters most columns by rebuilding the table (a new one filled by a copy, the
    old one dropped), and the old table's triggers go with it. A later migration of facturation_facture would so
    silently stop the counters: after every migrate, the triggers of migration 0010 are put back if any is missing,
    and the counters rebuilt (the copy ran without them)."""
    from django.db import connections

    connexion = connections[using]
    if connexion.vendor != "sqlite":
        return
    migration = importlib.import_module("facturation.migrations.0010_compteurs")
    with connexion.cursor() as curseur:
        curseur.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name = %s", [TABLE])
        if curseur.fetchone() is None:
            return  # migration 0010 not applied (yet, or unapplied)
        curseur.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'facturation_facture'")
        presents = {nom for (nom,) in curseur.fetchall()}
        if presents >= set(migration.SQLITE_NOMS):
            return
        for nom in presents & set(migration.SQLITE_NOMS):
            curseur.execute(f"DROP TRIGGER {nom}")
        for sql in migration.SQLITE_CREER:
            curseur.execute(sql)
    recompter()
