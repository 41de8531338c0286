"""Seeding a table at the scale the EXPLAIN tests need, in one statement per table: the copies of one row made by the
database itself (a few seconds for 20 000 rows, where the factories would take minutes)."""


def copier(curseur, table, modele, nombre, champs, parametres=()):
    """`nombre` copies of row `modele` of `table`, `g` numbering them from 1; `champs` is the SQL of the
    jsonb_build_object pairs that change (their `%s` taking `parametres`, a literal % doubled)."""
    curseur.execute(
        f"""INSERT INTO {table}
           SELECT r.* FROM {table} m CROSS JOIN generate_series(1, %s) g
           CROSS JOIN LATERAL jsonb_populate_record(NULL::{table}, to_jsonb(m) || jsonb_build_object({champs})) r
           WHERE m.id = %s""",
        [nombre, *parametres, modele],
    )
