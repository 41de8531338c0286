"""The knowledge base's articles (assistant/contenu.py), so that every database answers the same questions."""

from django.db import migrations


def charger(apps, schema_editor):
    from assistant.contenu import charger

    charger(apps.get_model("assistant", "Article"))


def retirer(apps, schema_editor):
    from assistant.contenu import ARTICLES

    apps.get_model("assistant", "Article").objects.filter(slug__in=[a["slug"] for a in ARTICLES]).delete()


class Migration(migrations.Migration):
    dependencies = [("assistant", "0001_initial")]

    operations = [migrations.RunPython(charger, retirer)]
