"""Référentiel des organisations, step 3 of 3: the UUIDs become mandatory and unique (new rows get theirs from
Python), and the searches of `structures/recherche` and `services/recherche` get their indexes: identifier alone and
VAT number (the unique constraint leads with the type), service code across structures, and on PostgreSQL the
« starts with » searches on the libellés (LOWER(…) LIKE 'abc%' uses a btree only with the pattern operator class
when the database collation is not C)."""

import uuid

from django.db import migrations, models

INDEX_MOTIFS_PG = [
    (
        "CREATE INDEX IF NOT EXISTS structure_raison_sociale_motif_idx "
        "ON organisation_structure (LOWER(raison_sociale) text_pattern_ops)",
        "DROP INDEX IF EXISTS structure_raison_sociale_motif_idx",
    ),
    (
        "CREATE INDEX IF NOT EXISTS service_libelle_motif_idx "
        "ON organisation_service (LOWER(libelle) text_pattern_ops)",
        "DROP INDEX IF EXISTS service_libelle_motif_idx",
    ),
]


def _sur_postgresql(sens):
    def executer(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for creer, supprimer in INDEX_MOTIFS_PG:
            schema_editor.execute(creer if sens == "avant" else supprimer)

    return executer


class Migration(migrations.Migration):
    dependencies = [
        ("organisation", "0006_uuid_remplir"),
    ]

    operations = [
        migrations.AlterField(
            model_name="structure",
            name="uuid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True, verbose_name="UUID"),
        ),
        migrations.AlterField(
            model_name="service",
            name="uuid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True, verbose_name="UUID"),
        ),
        migrations.AlterField(
            model_name="piecejointestructure",
            name="uuid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True, verbose_name="UUID"),
        ),
        migrations.AddIndex(
            model_name="structure",
            index=models.Index(fields=["identifiant"], name="structure_identifiant_idx"),
        ),
        migrations.AddIndex(
            model_name="structure",
            index=models.Index(fields=["numero_tva"], name="structure_numero_tva_idx"),
        ),
        migrations.AddIndex(
            model_name="service",
            index=models.Index(fields=["code"], name="service_code_idx"),
        ),
        migrations.RunPython(_sur_postgresql("avant"), _sur_postgresql("arriere")),
    ]
