from django.core.management.base import BaseCommand

from organisation.matelas import charger_matelas, ecrire_matelas


class Command(BaseCommand):
    help = "Charge le jeu de données de démonstration (matelas) et écrit var/matelas.csv."

    def handle(self, *args, **options):
        lignes = charger_matelas()
        chemin = ecrire_matelas(lignes)
        largeur = max(len(ligne["role"]) for ligne in lignes)
        self.stdout.write(f"Comptes de démonstration ({chemin}) :")
        for ligne in lignes:
            self.stdout.write(f"  {ligne['role']:<{largeur}}  {ligne['login']:<42} {ligne['mot_de_passe']}")
