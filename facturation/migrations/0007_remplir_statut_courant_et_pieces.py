"""Fill the columns 0006 added on the invoices already there: the motif and comment of the history row that gave
each its current status (the latest one arriving at it), and which invoices are works pieces."""

from django.db import migrations
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce


def remplir(apps, schema_editor):
    Facture = apps.get_model("facturation", "Facture")
    FactureHistorique = apps.get_model("facturation", "FactureHistorique")
    PieceTravaux = apps.get_model("travaux", "PieceTravaux")

    def dernier(champ):
        ligne = (
            FactureHistorique.objects.filter(facture=OuterRef("pk"), vers_statut=OuterRef("statut"))
            .order_by("-le", "-pk")
            .values(champ)[:1]
        )
        return Coalesce(Subquery(ligne), Value(""))

    # Only the invoices whose history holds a motif or a comment can get one (rejections, suspensions…: a small
    # share); the others keep the empty default, so at national scale the update touches that share, not every row.
    avec_motif = FactureHistorique.objects.exclude(motif="", commentaire="").values("facture_id")
    Facture.objects.filter(pk__in=avec_motif).update(
        motif_statut=dernier("motif"), commentaire_statut=dernier("commentaire")
    )
    Facture.objects.filter(pk__in=PieceTravaux.objects.values("facture_id")).update(est_piece_travaux=True)


class Migration(migrations.Migration):
    dependencies = [
        ("facturation", "0006_listes_a_grande_echelle"),
        ("travaux", "0001_dossier_pieces"),
    ]

    operations = [migrations.RunPython(remplir, migrations.RunPython.noop, elidable=True)]
