"""The name searches of the invoice lists (« Fournisseur » in Factures reçues, « Destinataire » in Factures émises and
the API searches that share their selectors) are a case-insensitive substring of `raison_sociale`
(`raison_sociale__icontains`: UPPER(raison_sociale) LIKE UPPER('%…%')). On PostgreSQL a trigram GIN index on that
expression serves it, and ANALYZE keeps statistics on the expression, so the planner knows how many structures a
name matches (without them it guessed one, and read the invoices of 2 501 suppliers one by one, issue #16). SQLite
has no such index: the same search, unindexed, gives the same results."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

TRIGRAMMES = (
    "CREATE INDEX IF NOT EXISTS structure_raison_sociale_trgm_idx ON organisation_structure "
    "USING gin ((UPPER(raison_sociale::text)) gin_trgm_ops)"
)


def creer_trigrammes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGRAMMES)
        schema_editor.execute("ANALYZE organisation_structure")


def supprimer_trigrammes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS structure_raison_sociale_trgm_idx")


class Migration(migrations.Migration):
    dependencies = [
        ("organisation", "0008_pj_type_structure_modifie_le"),
    ]

    operations = [
        # facturation 0006 created it already where it ran; IF NOT EXISTS either way (organisation depends on no app)
        TrigramExtension(),
        migrations.RunPython(creer_trigrammes, supprimer_trigrammes, elidable=False),
    ]
