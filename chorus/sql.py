"""SQL expressions that know no domain."""

import json

from django.db.models import Func, TextField, Value
from django.db.models.functions import Cast


def dans_table(table, cle, output_field=None):
    """`table[cle]` computed by PostgreSQL (NULL when absent): the table is one jsonb constant, parsed once per query
    and searched by key, where a CASE of N branches compares each row up to N times (57 invoice statuses)."""
    constante = Func(Value(json.dumps(table, ensure_ascii=False)), template="(%(expressions)s)::jsonb")
    valeur = Func(constante, cle, template="(%(expressions)s)", arg_joiner=" ->> ", output_field=TextField())
    if output_field is None or isinstance(output_field, TextField):
        return valeur
    return Cast(valeur, output_field)
