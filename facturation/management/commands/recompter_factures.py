from django.core.management.base import BaseCommand

from facturation.services.compteurs import recompter


class Command(BaseCommand):
    help = "Reconstruit les compteurs de factures par statut (tableaux de bord, synthèse, totaux de l'API)."

    def handle(self, *args, **options):
        lignes = recompter()
        self.stdout.write(f"Compteurs de factures reconstruits : {lignes} lignes.")
