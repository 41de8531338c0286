# Issue #16, PostgreSQL only (SQLite keeps its scans: the embedded default serves a demo, not a nation).
#
# 1. The number search of the lists is a case-insensitive prefix (FactureQuerySet.numero_commence_par:
#    UPPER(numero::text) LIKE UPPER('…%')). A btree on that expression with text_pattern_ops turns the prefix into a
#    range whatever the database's collation; led by the party whose list it is, then `archivee`, it serves the live
#    lists (archivee = false) and the Archives pages (archivee = true) with one index per side. The trigram index of
#    0006 served the substring search it replaces: nothing reads it any more.
# 2. facture_recues_idx and facture_emises_idx get, as INCLUDE columns, what the works rule
#    (q_hors_circuit_travaux: NOT est_piece_travaux OR statut IN …) and a perimeter limited to services read, so
#    that « Compter les résultats » and the API's `total` count on the index alone (an Index Only Scan once the
#    visibility map is set) instead of visiting every row of the heap. Same names, same keys, same predicates as the
#    model declares (facturation/models.py); only the INCLUDE differs, which Django's state need not know.

from django.db import migrations

CREER = [
    "DROP INDEX IF EXISTS facture_numero_trgm_idx",
    "CREATE INDEX IF NOT EXISTS facture_rec_numero_prefixe_idx ON facturation_facture "
    "(destinataire_id, archivee, (UPPER(numero::text)) text_pattern_ops)",
    "CREATE INDEX IF NOT EXISTS facture_emi_numero_prefixe_idx ON facturation_facture "
    "(fournisseur_id, archivee, (UPPER(numero::text)) text_pattern_ops)",
    "DROP INDEX IF EXISTS facture_recues_idx",
    "CREATE INDEX facture_recues_idx ON facturation_facture (destinataire_id, statut, deposee_le) "
    "INCLUDE (est_piece_travaux, service_destinataire_id) WHERE NOT archivee",
    "DROP INDEX IF EXISTS facture_emises_idx",
    # rejet_traite_le: the rejections « Traiter le rejet » has not handled yet, counted among the invoices waiting
    # for the supplier (emises.nombre_en_attente, the API's rechercher/atraiter/fournisseur)
    "CREATE INDEX facture_emises_idx ON facturation_facture (fournisseur_id, statut) "
    "INCLUDE (est_piece_travaux, rejet_traite_le) WHERE NOT archivee",
    # An expression index has no statistics until the table is analysed (autovacuum may wait days on a big table):
    # without them the planner guessed the prefix matched many rows and walked facture_rec_depot_idx instead, 5.9 s
    # at 10 M invoices against 15 ms once analysed. ANALYZE samples 30 000 rows, about a second at any size.
    "ANALYZE facturation_facture",
]

SUPPRIMER = [
    "DROP INDEX IF EXISTS facture_rec_numero_prefixe_idx",
    "DROP INDEX IF EXISTS facture_emi_numero_prefixe_idx",
    "CREATE INDEX IF NOT EXISTS facture_numero_trgm_idx ON facturation_facture "
    "USING gin ((UPPER(numero::text)) gin_trgm_ops)",
    "DROP INDEX IF EXISTS facture_recues_idx",
    "CREATE INDEX facture_recues_idx ON facturation_facture (destinataire_id, statut, deposee_le) WHERE NOT archivee",
    "DROP INDEX IF EXISTS facture_emises_idx",
    "CREATE INDEX facture_emises_idx ON facturation_facture (fournisseur_id, statut) WHERE NOT archivee",
]


def _executer(instructions):
    def executer(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in instructions:
                schema_editor.execute(sql)

    return executer


class Migration(migrations.Migration):
    dependencies = [
        ("facturation", "0010_compteurs"),
    ]

    operations = [
        migrations.RunPython(_executer(CREER), _executer(SUPPRIMER), elidable=False),
    ]
