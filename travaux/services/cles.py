"""The works lists' keys carried by the pieces (travaux.models.PieceTravaux: the invoice's status, status date,
deposit, download and rejection handling, the dossier's parties): their copy.

Triggers keep them at every write of an invoice, a dossier or a piece (migration 0003), bulk updates included;
`recopier` copies them again from the invoices and the dossiers, for a repair or after a bulk load that ran with the
triggers off (bench/echelle.py's complément under `session_replication_role = replica`).
"""

import importlib

from django.db import connection, connections, transaction

from chorus.declencheurs import remettre_les_declencheurs

MIGRATION = "travaux.migrations.0003_cles_de_tri_des_pieces"


def recopier() -> int:
    """Copy every piece's keys from its invoice and its dossier; returns the number of pieces. The three tables are
    locked against writes meanwhile, so that no key is copied before a change it would then miss."""
    migration = importlib.import_module(MIGRATION)
    with transaction.atomic(), connection.cursor() as curseur:
        if connection.vendor == "postgresql":
            curseur.execute(
                "LOCK TABLE facturation_facture, travaux_dossierfacturation, travaux_piecetravaux IN SHARE MODE"
            )
        curseur.execute(migration.RECOPIER[connection.vendor])
        return curseur.rowcount


def retablir_declencheurs_sqlite(*, using="default", **_kwargs):
    """post_migrate: on SQLite, Django alters most columns by rebuilding the table, and the old table's triggers go
    with it. A later migration of the invoices, the dossiers or the pieces would so silently stop the copy: after
    every migrate, the triggers of migration 0003 are put back if any is missing, and the keys copied again."""
    connexion = connections[using]
    if connexion.vendor != "sqlite":
        return
    migration = importlib.import_module(MIGRATION)
    with connexion.cursor() as curseur:
        curseur.execute("SELECT 1 FROM pragma_table_info('travaux_piecetravaux') WHERE name = 'statut_facture'")
        if curseur.fetchone() is None:
            return  # migration 0003 not applied (yet, or unapplied)
        if not remettre_les_declencheurs(curseur, migration):
            return
    with transaction.atomic(using=using), connexion.cursor() as curseur:
        curseur.execute(migration.RECOPIER["sqlite"])
