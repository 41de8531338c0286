"""Référentiel des organisations (chorus-pro-api.md §2.4), step 1 of 3: the UUID columns, empty (nullable, no
default: a default computed once would give every existing row the same UUID), and the two EDI parameters."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("organisation", "0004_structure_delai_global_paiement"),
    ]

    operations = [
        migrations.AddField(
            model_name="structure",
            name="uuid",
            field=models.UUIDField(editable=False, null=True, verbose_name="UUID"),
        ),
        migrations.AddField(
            model_name="service",
            name="uuid",
            field=models.UUIDField(editable=False, null=True, verbose_name="UUID"),
        ),
        migrations.AddField(
            model_name="piecejointestructure",
            name="uuid",
            field=models.UUIDField(editable=False, null=True, verbose_name="UUID"),
        ),
        migrations.AddField(
            model_name="structure",
            name="reception_edi",
            field=models.BooleanField(
                default=False, verbose_name="Recevoir les données (factures, cycles de vie) par EDI"
            ),
        ),
        migrations.AddField(
            model_name="structure",
            name="connexion_edi",
            field=models.BooleanField(default=False, verbose_name="Émettre ses flux par une connexion EDI"),
        ),
    ]
