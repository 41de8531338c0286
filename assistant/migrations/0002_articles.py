"""Loaded the knowledge base's articles from live code until the articles became Markdown files: they are now loaded
by `manage.py charger_articles` (make run's setup, the demo load, a deployment after migrate). Kept, as a no-op, so
that databases where it ran and new ones share one migration history; a migration imports no live code."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("assistant", "0001_initial")]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
