from django.core.management import call_command
from django.core.management.base import BaseCommand

from demo.comptes import charger_comptes
from engagements.matelas import charger_engagements
from facturation.matelas import charger_archives, charger_factures
from organisation.matelas import ecrire_matelas
from support.matelas import charger_sollicitations
from travaux.matelas import charger_pieces


class Command(BaseCommand):
    help = "Charge le jeu de données de démonstration (matelas) et écrit var/matelas.csv."

    def handle(self, *args, **options):
        # the demo's assistant answers from the articles, loaded as `make setup` loads them
        call_command("charger_articles", stdout=self.stdout)
        lignes = charger_comptes()
        factures = charger_factures()
        archivees = charger_archives()
        pieces = charger_pieces()
        engagements = charger_engagements()
        sollicitations = charger_sollicitations()
        chemin = ecrire_matelas(lignes)
        largeur = max(len(ligne["role"]) for ligne in lignes)
        self.stdout.write(f"Comptes de démonstration ({chemin}) :")
        for ligne in lignes:
            self.stdout.write(f"  {ligne['role']:<{largeur}}  {ligne['login']:<42} {ligne['mot_de_passe']}")
        self.stdout.write(f"Factures de démonstration créées : {factures}.")
        self.stdout.write(f"Factures anciennes archivées par la tâche d'archivage : {archivees}.")
        self.stdout.write(f"Pièces de travaux de démonstration créées : {pieces}.")
        self.stdout.write(f"Engagements juridiques de démonstration créés : {engagements}.")
        self.stdout.write(f"Sollicitations de démonstration créées : {sollicitations}.")
