"""A document type on a structure's reusable attachments (the existing ones become « Autre »), and the structure's
last modification date (the organisations referential's derniereMaj), indexed for the « modifiées depuis » search.
AddField fills `modifie_le` of the existing rows with the migration's time (auto_now's effective default), the same
on SQLite and PostgreSQL."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("organisation", "0007_uuid_uniques_index_recherche"),
    ]

    operations = [
        migrations.AddField(
            model_name="piecejointestructure",
            name="type_piece",
            field=models.CharField(default="AUTRE", max_length=30, verbose_name="type de document"),
        ),
        migrations.AddField(
            model_name="structure",
            name="modifie_le",
            field=models.DateTimeField(auto_now=True, verbose_name="dernière modification"),
        ),
        migrations.AddIndex(
            model_name="structure",
            index=models.Index(fields=["modifie_le"], name="structure_modifie_le_idx"),
        ),
    ]
