"""Seeds the referential of categories and canned answers (support/referentiel.py)."""

from django.db import migrations

from support.referentiel import charger_referentiel


def charger(apps, schema_editor):
    charger_referentiel(
        apps.get_model("support", "Categorie"),
        apps.get_model("support", "SousCategorie"),
        apps.get_model("support", "ReponseType"),
    )


class Migration(migrations.Migration):
    dependencies = [("support", "0001_initial")]

    operations = [migrations.RunPython(charger, migrations.RunPython.noop)]
