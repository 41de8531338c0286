"""The CSV of an export written by PostgreSQL: `COPY (SELECT …) TO STDOUT WITH (FORMAT csv, DELIMITER ';')` over the
list's own queryset (its authorization filter, search and order compiled by Django, so the policy stays the one
policy), each cell formatted in SQL exactly as exports.ecriture formats it in Python, the rows streamed to the
client as PostgreSQL sends them (one COPY message per row).

Python decoding 100 000 rows of 20 values was the floor of the Python path (about 10 000 rows/s); here Python only
joins the rows PostgreSQL formatted. Byte for byte the same file (tests/exports/test_copie.py):
- NULL and '' both give an empty unquoted cell (csv.writer's QUOTE_MINIMAL); PostgreSQL would quote an empty string,
  so every cell is NULLIF(…, '');
- PostgreSQL quotes a cell holding ';', '"', CR or LF, as csv.writer does;
- PostgreSQL ends a row with LF, csv.writer with CRLF: each row's LF (the last byte of its message) becomes CRLF,
  a line break inside a quoted cell stays as it is in both;
- a column whose function has no SQL twin (`valeur.sql`), or a field of a type not listed here, keeps the whole
  export on the Python path.

SQLite (the embedded default) always takes the Python path."""

from contextlib import nullcontext

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Case, F, Func, IntegerField, TextField, Value, When
from django.db.models.functions import Cast, Concat, NullIf, Replace
from django.db.models.lookups import Exact, In

from exports.colonnes import date_heure_locale, libelles, valeurs_lignes
from exports.ecriture import LIGNES_PAR_BLOC, blocs_csv, entete_csv

# exports.ecriture._DEBUT_FORMULE: a cell starting with one of these gets a leading apostrophe
_DEBUT_FORMULE = [ord(c) for c in "=+-@\t\r"]
_TEXTES = {"CharField", "TextField", "EmailField", "SlugField", "URLField"}
_ENTIERS = {
    "IntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "PositiveBigIntegerField",
    "SmallIntegerField",
    "BigIntegerField",
    "AutoField",
    "BigAutoField",
    "SmallAutoField",
}


class NonCopiable(Exception):
    """A column PostgreSQL cannot format like Python: the export takes the Python path."""


def copie_possible(queryset, colonnes):
    if connections[queryset.db].vendor != "postgresql":
        return False
    # DISTINCT would add the ORDER BY's fields to the SELECT (extra columns) and compare formatted cells; a UNION
    # cannot be annotated: both keep the Python path
    if queryset.query.distinct or queryset.query.combinator:
        return False
    return all(colonne.valeur is None or hasattr(colonne.valeur, "sql") for colonne in colonnes)


def texte(expression):
    """exports.ecriture._texte: text starting like a formula is never run as one."""
    # ascii(): the first character's code, an integer compared faster than a one-character text
    premier = Func(expression, function="ascii", output_field=IntegerField())
    return Case(
        When(In(premier, _DEBUT_FORMULE), then=Concat(Value("'"), expression, output_field=TextField())),
        default=expression,
        output_field=TextField(),
    )


def _format(expression, champ):
    """exports.ecriture.formateur_csv() in SQL, chosen by the value's type."""
    genre = champ.get_internal_type()
    if genre in _TEXTES:
        return texte(expression)
    if genre == "BooleanField":
        return Case(
            When(Exact(expression, True), then=Value("Oui")),
            When(Exact(expression, False), then=Value("Non")),
            output_field=TextField(),
        )
    if genre in _ENTIERS:
        return Cast(expression, TextField())
    if genre == "DecimalField":
        # numeric's text keeps the column's scale, as format(Decimal, "f") does; then the decimal comma
        return Replace(Cast(expression, TextField()), Value("."), Value(","))
    if genre == "DateTimeField":
        return date_heure_locale(expression, "DD/MM/YYYY HH24:MI")
    if genre == "DateField":
        return Func(expression, Value("DD/MM/YYYY"), function="to_char", output_field=TextField())
    raise NonCopiable(genre)


def requete_copie(queryset, colonnes):
    """(sql, params) of the SELECT whose columns are the export's cells as text, from `queryset` as the list has it."""
    valeurs = {}
    for i, colonne in enumerate(colonnes):
        references = [F(champ) for champ in colonne.champs]
        valeurs[f"export_v{i}"] = references[0] if colonne.valeur is None else colonne.valeur.sql(*references)
    qs = queryset.annotate(**valeurs)
    cellules = {
        f"export_c{i}": NullIf(
            _format(F(nom), qs.query.annotations[nom].output_field), Value(""), output_field=TextField()
        )
        for i, nom in enumerate(valeurs)
    }
    qs = qs.annotate(**cellules).values_list(*cellules)
    return qs.query.get_compiler(using=qs.db).as_sql()


def blocs(queryset, colonnes):
    """The export's CSV blocks: written by PostgreSQL when it can format every column, by Python otherwise."""
    if copie_possible(queryset, colonnes):
        try:
            return blocs_copie(queryset, colonnes)
        except (NonCopiable, EmptyResultSet):
            # EmptyResultSet: a query that can match nothing (.none(), `pk__in=[]`) has no SQL; Python asks nothing
            pass
    return blocs_csv(libelles(colonnes), valeurs_lignes(queryset, colonnes))


def blocs_copie(queryset, colonnes, lignes_par_bloc=LIGNES_PAR_BLOC):
    """The CSV as byte blocks of a few hundred rows, the first one with the BOM and the header. The SELECT is built
    before the first block is asked for, so a column that cannot be copied fails in the view (NonCopiable)."""
    sql, params = requete_copie(queryset, colonnes)
    instruction = f"COPY ({sql}) TO STDOUT WITH (FORMAT csv, DELIMITER ';')"
    return _blocs(queryset.db, colonnes, instruction, params, lignes_par_bloc)


def _blocs(alias, colonnes, instruction, params, lignes_par_bloc):
    yield entete_csv(libelles(colonnes)).encode()
    connexion = connections[alias]
    with connexion.cursor() as enveloppe:
        # Django's debug cursor logs the COPY like any query (query counts in tests and benches, DEBUG logs)
        journal = enveloppe.debug_sql(instruction, params) if hasattr(enveloppe, "debug_sql") else nullcontext()
        with journal, enveloppe.cursor.copy(instruction, params) as copie:
            yield from _lignes_crlf(copie, lignes_par_bloc)


def _lignes_crlf(copie, lignes_par_bloc):
    lot = []
    for ligne in copie:
        lot.append(ligne[:-1])  # without its LF
        if len(lot) >= lignes_par_bloc:
            yield b"\r\n".join(lot) + b"\r\n"
            lot = []
    if lot:
        yield b"\r\n".join(lot) + b"\r\n"
