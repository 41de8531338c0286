"""The demo data set's engagements juridiques: what the demo commune and department committed to the demo suppliers,
loaded as their users would, through the one loading service (a CSV file). Running it twice changes nothing: an EJ
already loaded is left out of the file."""

import datetime

from django.db import transaction
from django.utils import timezone

from engagements.models import EngagementJuridique
from engagements.services import engagements_charger
from organisation.enums import RoleDemo, TypeIdentifiant
from organisation.matelas import COMPTES, siret_fictif
from organisation.models import Structure, Utilisateur

ENTETE = (
    "numero_engagement;date_engagement;code_service;siret_fournisseur;etat;numero_ligne;designation;quantite;unite;"
    "prix_unitaire_ht;taux_tva"
)
# émetteur, numéro, âge en jours, code service, fournisseur, lignes (désignation, quantité, unité, prix, taux)
# EJ-2026-0001 and EJ-2026-0002 are the numbers the demo invoices DEMO-2026-001 and -002 quote (facturation.matelas).
ENGAGEMENTS = [
    (
        RoleDemo.ENTITE_PUBLIQUE,
        "EJ-2026-0001",
        40,
        "SERVICE-ACHATS",
        RoleDemo.FOURNISSEUR,
        [("Ramettes de papier A4", "40", "ramette", "4,20", "20"), ("Manuels scolaires", "12", "", "18,50", "5,5")],
    ),
    (
        RoleDemo.ENTITE_PUBLIQUE,
        "EJ-2026-0002",
        35,
        "SERVICE-ACHATS",
        RoleDemo.FOURNISSEUR,
        [("Toner imprimante", "6", "", "62,00", "20")],
    ),
    (
        RoleDemo.ENTITE_PUBLIQUE,
        "EJ-2026-0003",
        10,
        "SERVICE-TRAVAUX",
        RoleDemo.FOURNISSEUR,
        [("Peinture des couloirs de l'école", "120,5", "m2", "18,00", "20")],
    ),
    (
        RoleDemo.MOA,
        "EJ-DEP-2026-0001",
        20,
        "DIR-PATRIMOINE",
        RoleDemo.COTRAITANT,
        [("Étude de structure du collège", "1", "forfait", "8500,00", "20")],
    ),
]


def _compte(role):
    compte = next(c for c in COMPTES if c.role == role)
    structure = Structure.objects.get(type_identifiant=TypeIdentifiant.SIRET, identifiant=siret_fictif(compte.graine))
    return structure, Utilisateur.objects.get(email=compte.login)


@transaction.atomic
def charger_engagements():
    """Load the demo EJs not loaded yet, one file per issuing structure. Returns how many were created."""
    aujourd_hui = timezone.localdate()
    fichiers = {}
    for emetteur, numero, jours, service, fournisseur, lignes in ENGAGEMENTS:
        structure, utilisateur = _compte(emetteur)
        if EngagementJuridique.objects.filter(structure=structure, numero=numero).exists():
            continue
        siret = _compte(fournisseur)[0].identifiant
        date = (aujourd_hui - datetime.timedelta(days=jours)).strftime("%d/%m/%Y")
        rangees = fichiers.setdefault((structure, utilisateur), [ENTETE])
        for rang, (designation, quantite, unite, prix, taux) in enumerate(lignes, start=1):
            rangees.append(
                f"{numero};{date};{service};{siret};COMMANDE;{rang};{designation};{quantite};{unite};{prix};{taux}"
            )
    crees = 0
    for (structure, utilisateur), rangees in fichiers.items():
        contenu = ("\n".join(rangees) + "\n").encode()
        crees += len(
            engagements_charger(par=utilisateur, structure=structure, nom_fichier="matelas.csv", contenu=contenu)
        )
    return crees
