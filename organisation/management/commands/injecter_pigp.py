"""Inject PIGP accounts the way the DGFiP does (chorus-pro-features.md row 6).

    manage.py injecter_pigp comptes.csv

The file is a comma-separated CSV (UTF-8) with a header line; columns ``login``, ``email`` (the contact e-mail, which
becomes the account's address on Chorus Pro) and ``sirets`` (the SIRETs of the public bodies, separated by ";");
optional columns ``prenom`` and ``nom``. Each line is one transaction: a bad line is reported and skipped, the others
are injected. Running the same file twice changes nothing the second time.
"""

import csv

from django.core.management.base import BaseCommand, CommandError

from chorus.exceptions import ApplicationError
from organisation.pigp import injecter_compte

COLONNES = {"login", "email", "sirets"}


def _pluriel(n, singulier, pluriel=None):
    return f"{n} {singulier if n < 2 else (pluriel or singulier + 's')}"


class Command(BaseCommand):
    help = "Injecte des comptes PIGP (identifiant en « -xt ») et les rattache aux structures publiques de leurs SIRET."

    def add_arguments(self, parser):
        parser.add_argument("fichier", help="Fichier CSV : login, email, sirets (séparés par « ; »)")

    def handle(self, *args, fichier, **options):
        try:
            with open(fichier, encoding="utf-8-sig", newline="") as flux:
                lecteur = csv.DictReader(flux)
                entetes = {(e or "").strip().lower() for e in (lecteur.fieldnames or [])}
                lignes = list(lecteur)
        except OSError as erreur:
            raise CommandError(f"Fichier illisible : {erreur}") from None
        except (UnicodeDecodeError, csv.Error) as erreur:
            raise CommandError(f"Le fichier n'est pas un CSV UTF-8 valide : {erreur}") from None
        manquantes = COLONNES - entetes
        if manquantes:
            raise CommandError(f"Colonnes manquantes dans l'en-tête : {', '.join(sorted(manquantes))}.")

        crees = mis_a_jour = rattachements = 0
        ignorees = []
        for numero, brute in enumerate(lignes, start=2):  # line 1 is the header
            ligne = {(k or "").strip().lower(): (v or "").strip() for k, v in brute.items() if isinstance(v, str)}
            if not any(ligne.values()):
                continue
            try:
                resultat = injecter_compte(
                    login=ligne.get("login"),
                    email=ligne.get("email"),
                    sirets=ligne.get("sirets"),
                    prenom=ligne.get("prenom", ""),
                    nom=ligne.get("nom", ""),
                )
            except ApplicationError as erreur:
                ignorees.append((numero, ligne.get("login") or "?", erreur.message))
                self.stdout.write(f"Ligne {numero} ({ligne.get('login') or '?'}) : ignorée — {erreur.message}")
                continue
            crees += resultat.cree
            mis_a_jour += not resultat.cree
            rattachements += len(resultat.rattachees)
            details = ["compte créé" if resultat.cree else "compte mis à jour"]
            details += [f"rattaché à {s.raison_sociale} (SIRET {s.identifiant})" for s in resultat.rattachees]
            details += [f"déjà rattaché à {s.raison_sociale}" for s in resultat.deja_rattachees]
            if resultat.sans_structure:
                details.append(f"aucune structure publique active pour : {', '.join(resultat.sans_structure)}")
            details += [f"SIRET « {siret} » écarté : {raison}" for siret, raison in resultat.invalides]
            if not resultat.rattachees and not resultat.deja_rattachees:
                details.append("compte sans structure (il verra la fenêtre de première connexion)")
            self.stdout.write(f"Ligne {numero} ({resultat.login}) : {' ; '.join(details)}")

        self.stdout.write(
            f"Bilan : {_pluriel(crees, 'compte créé', 'comptes créés')}, "
            f"{_pluriel(mis_a_jour, 'compte mis à jour', 'comptes mis à jour')}, "
            f"{_pluriel(rattachements, 'rattachement créé', 'rattachements créés')}, "
            f"{_pluriel(len(ignorees), 'ligne ignorée', 'lignes ignorées')}."
        )
        for numero, login, raison in ignorees:
            self.stdout.write(f"  - ligne {numero} ({login}) : {raison}")
