"""Référentiel des organisations, step 2 of 3: give every existing structure, service and structure attachment its
UUID. One UPDATE per slice of primary keys, computed by the database (no row goes through Python), each slice
committed on its own (the migration is not atomic): at national scale — millions of structures — no transaction
holds the whole table, and a migration stopped halfway resumes where it stopped (`uuid IS NULL`)."""

from django.db import migrations, transaction

TABLES = ("organisation_structure", "organisation_service", "organisation_piecejointestructure")
TRANCHE = 50_000

# PostgreSQL ≥ 13 has gen_random_uuid(); SQLite (UUIDField stored as 32 hex digits) builds a version-4 UUID from
# randomblob, evaluated once per row
UUID_SQL = {
    "postgresql": "gen_random_uuid()",
    "sqlite": (
        "lower(hex(randomblob(4)) || hex(randomblob(2)) || '4' || substr(hex(randomblob(2)), 2) "
        "|| substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || hex(randomblob(6)))"
    ),
}


def remplir(apps, schema_editor):
    connexion = schema_editor.connection
    expression = UUID_SQL.get(connexion.vendor)
    if expression is None:
        raise RuntimeError(f"Base {connexion.vendor} : remplissage des UUID non prévu.")
    for table in TABLES:
        with connexion.cursor() as curseur:
            curseur.execute(f"SELECT MIN(id), MAX(id) FROM {table} WHERE uuid IS NULL")  # noqa: S608
            debut, fin = curseur.fetchone()
        if debut is None:
            continue
        for borne in range(debut, fin + 1, TRANCHE):
            with transaction.atomic(using=connexion.alias), connexion.cursor() as curseur:
                curseur.execute(
                    f"UPDATE {table} SET uuid = {expression} WHERE id >= %s AND id < %s AND uuid IS NULL",  # noqa: S608
                    [borne, borne + TRANCHE],
                )


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("organisation", "0005_uuid_parametres_edi_champs"),
    ]

    operations = [migrations.RunPython(remplir, migrations.RunPython.noop, elidable=True)]
