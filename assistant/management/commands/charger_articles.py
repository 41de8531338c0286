from django.core.management.base import BaseCommand

from assistant.fichiers import DOSSIER
from assistant.services import articles_charger


class Command(BaseCommand):
    help = (
        "Charge les articles de l'assistant depuis assistant/articles/*.md : ajoute les nouveaux, met à jour les "
        "modifiés."
    )

    def handle(self, *args, **options):
        bilan = articles_charger()
        self.stdout.write(
            f"Articles de l'assistant ({DOSSIER}) : {bilan.crees} ajoutés, {bilan.modifies} mis à jour, "
            f"{bilan.inchanges} inchangés."
        )
