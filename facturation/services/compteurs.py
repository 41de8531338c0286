"""The invoices' counters (facturation.models.CompteurFactures, per party; CompteurValidation, per pair of
validators): their rebuild.

Triggers on facturation_facture keep the counters at every write (migrations 0010 and 0013); `recompter` rebuilds
them from the invoices, for a repair or after a bulk load that ran with the triggers off (bench/echelle.py's COPY
under `session_replication_role = replica`).
"""

import importlib

from django.db import connection, transaction

from chorus.declencheurs import remettre_les_declencheurs

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

TABLE_VALIDATION = "facturation_compteurvalidation"
# The validators' counters: every live invoice that names a validator (its draft too: the validators' lists show it).
REMPLIR_VALIDATION = f"""
INSERT INTO {TABLE_VALIDATION}
       (valideur_1, service_valideur_1, valideur_2, service_valideur_2, second_ouvert, statut, nombre)
SELECT COALESCE(valideur_1_id, 0), COALESCE(service_valideur_1_id, 0), COALESCE(valideur_2_id, 0),
       COALESCE(service_valideur_2_id, 0), date_validation_1 IS NOT NULL, statut, COUNT(*)
  FROM facturation_facture
 WHERE NOT archivee AND (valideur_1_id IS NOT NULL OR valideur_2_id IS NOT NULL)
 GROUP BY COALESCE(valideur_1_id, 0), COALESCE(service_valideur_1_id, 0), COALESCE(valideur_2_id, 0),
          COALESCE(service_valideur_2_id, 0), date_validation_1 IS NOT NULL, statut
"""  # noqa: S608 — the module's constant

# The migrations whose SQLite triggers a table rebuild drops (retablir_declencheurs_sqlite), with their table.
MIGRATIONS_DECLENCHEURS = (
    ("facturation.migrations.0010_compteurs", TABLE),
    ("facturation.migrations.0013_compteurs_validation", TABLE_VALIDATION),
)


def recompter() -> int:
    """Rebuild every counter (both tables) from the invoices; returns the number of counter rows. The invoices are
    locked against writes meanwhile (a deposit waits a few seconds at 1 M invoices), so that none is counted twice
    or missed."""
    with transaction.atomic(), connection.cursor() as curseur:
        if connection.vendor == "postgresql":
            # SHARE: reads go on, writers (and so the triggers) wait for the rebuild's commit
            curseur.execute("LOCK TABLE facturation_facture IN SHARE MODE")
        # on SQLite the DELETE takes the database's write lock, held until the commit
        lignes = 0
        for table, remplir in ((TABLE, REMPLIR), (TABLE_VALIDATION, REMPLIR_VALIDATION)):
            curseur.execute(f"DELETE FROM {table}")  # noqa: S608 — the module's constants
            curseur.execute(remplir)
            curseur.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 — the module's constants
            lignes += curseur.fetchone()[0]
        return lignes


def retablir_declencheurs_sqlite(*, using="default", **_kwargs):
    """post_migrate: on SQLite, Django alters most columns by rebuilding the table (a new one filled by a copy, the
    old one dropped), and the old table's triggers go with it. A later migration of facturation_facture would so
    silently stop the counters: after every migrate, the triggers of migrations 0010 and 0013 are put back if any is
    missing, and the counters rebuilt (the copy ran without them)."""
    from django.db import connections

    connexion = connections[using]
    if connexion.vendor != "sqlite":
        return
    remis = False
    with connexion.cursor() as curseur:
        for module, table in MIGRATIONS_DECLENCHEURS:
            curseur.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name = %s", [table])
            if curseur.fetchone() is None:
                continue  # its migration not applied (yet, or unapplied)
            remis = remettre_les_declencheurs(curseur, importlib.import_module(module)) or remis
    if remis:
        recompter()
