"""The demo data set's engagements juridiques: what the demo commune and department committed to the demo suppliers,
loaded as their users would, through the one loading service (a CSV file). Running it twice changes nothing: an EJ
already loaded is left out of the file."""

import datetime

from django.db import transaction
from django.utils import timezone

from engagements.chargement import Lecteur
from engagements.models import EngagementJuridique
from engagements.services import engagements_charger, engagements_enregistrer
from organisation.enums import RoleDemo, TypeIdentifiant
from organisation.matelas import COMPTES, SIRET_VENDEUR_FNFE, charger_structures_fnfe, siret_fictif
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
    """Load the demo EJs not loaded yet, one file per issuing structure, then the FNFE buyers' ones. Returns how many
    were created."""
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
    return crees + charger_engagements_fnfe()


# The FNFE Factur-X examples' orders (BT-13): what their public buyers committed to their seller, line by line as the
# EN 16931 examples invoice it (Facture_FR_EN16931: PO445; Facture_DOM_EN16931: BC543), so that every FNFE example
# quoting an order reference matches an EJ of the demo. The nougat's price is the invoiced net one (81,90 € for 20,
# 204,75 € for 50), so the EJ's totals are the invoices'. Dated before the 2017 invoices.
# acheteur, numéro, date, lignes (désignation, quantité, unité, prix, taux)
ENGAGEMENTS_FNFE = [
    (
        "78787878400035",
        "PO445",
        "30/10/2017",
        [
            ("Nougat de l'Abbaye 250g", "20", "pièce", "4,095", "20"),
            ("Biscuits aux raisins 300g", "15", "pièce", "3,20", "5,5"),
            ("Huile d'olive à l'ancienne", "25", "litre", "19,80", "5,5"),
        ],
    ),
    (
        "34343434600010",
        "BC543",
        "23/10/2017",
        [
            ("Nougat de l'Abbaye 250g", "50", "pièce", "4,095", "0"),
            ("Biscuits aux raisins 300g", "40", "pièce", "3,20", "0"),
            ("Huile d'olive à l'ancienne", "10", "litre", "19,80", "0"),
        ],
    ),
]


class _LecteurExemplesFnfe(Lecteur):
    """The loading service's reader, except that the FNFE examples' seller is found by its SIRET although its check
    digit is wrong (an example number: organisation.matelas creates those structures directly for the same reason).
    Any other SIRET goes through the usual check."""

    def fournisseur(self, rang, siret):
        if siret == SIRET_VENDEUR_FNFE:
            return Structure.objects.get(type_identifiant=TypeIdentifiant.SIRET, identifiant=siret)
        return super().fournisseur(rang, siret)


@transaction.atomic
def charger_engagements_fnfe():
    """Load the FNFE buyers' EJs not loaded yet (their structures are those of organisation.matelas). The buyers have
    no demo user: the EJs are the initial state, saved by the loading service without a loader. Returns how many
    were created."""
    charger_structures_fnfe()
    crees = 0
    for acheteur, numero, date, lignes in ENGAGEMENTS_FNFE:
        structure = Structure.objects.get(type_identifiant=TypeIdentifiant.SIRET, identifiant=acheteur)
        if EngagementJuridique.objects.filter(structure=structure, numero=numero).exists():
            continue
        rangees = [ENTETE] + [
            f"{numero};{date};;{SIRET_VENDEUR_FNFE};COMMANDE;{rang};{designation};{quantite};{unite};{prix};{taux}"
            for rang, (designation, quantite, unite, prix, taux) in enumerate(lignes, start=1)
        ]
        lecteur = _LecteurExemplesFnfe(structure)
        lecteur.lire("\n".join(rangees) + "\n")
        crees += len(engagements_enregistrer(lecteur=lecteur, par=None, nom_fichier="exemples-fnfe.csv"))
    return crees
