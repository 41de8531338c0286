"""The invoices of the demo data set: what the demo supplier sent the demo commune, at every step a user meets.

Deposited through the one deposit path and moved by the one processing function, so the demo shows what the code does.
Running it twice changes nothing: an invoice whose number exists is left as it is.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from facturation.calcul import montant_ligne
from facturation.models import Facture, LigneFacture
from facturation.services.brouillon import brouillon_envoyer
from facturation.services.traitement import facture_traiter
from organisation.enums import RoleDemo, StatutStructure, TypeIdentifiant
from organisation.matelas import COMPTES, siret_fictif
from organisation.models import Structure, Utilisateur

# numéro, lignes (désignation, quantité, prix HT, taux), traitements (statut, motif), jours depuis le dépôt
FACTURES = [
    ("DEMO-2026-001", [("Ramettes de papier A4", 40, "4.20", "20"), ("Manuels scolaires", 12, "18.50", "5.5")], [], 2),
    ("DEMO-2026-002", [("Toner imprimante", 6, "62.00", "20")], [], 5),
    ("DEMO-2026-003", [("Mobilier de bureau", 3, "245.00", "20")], [("SUSPENDUE", "Pièce manquante")], 9),
    ("DEMO-2026-004", [("Fournitures diverses", 1, "180.00", "20")], [("A_RECYCLER", "")], 12),
    ("DEMO-2026-005", [("Cartouches", 10, "15.00", "20")], [("REJETEE", "Facture en double")], 20),
    ("DEMO-2026-006", [("Chaises", 8, "89.00", "20")], [("SERVICE_FAIT", "")], 25),
    ("DEMO-2026-007", [("Classeurs", 100, "2.10", "20")], [("SERVICE_FAIT", ""), ("MISE_EN_PAIEMENT", "")], 28),
    # overdue: deposited 45 days ago and still waiting, so the payment clock shows interest and the 40 € indemnity
    ("DEMO-2026-008", [("Maintenance annuelle", 1, "1200.00", "20")], [], 45),
]


# the engagement numbers some demo invoices quote (BT-13): EJs of the demo commune (engagements.matelas)
NUMEROS_ENGAGEMENT = {"DEMO-2026-001": "EJ-2026-0001", "DEMO-2026-002": "EJ-2026-0002"}


def _structure(role):
    compte = next(c for c in COMPTES if c.role == role)
    structure = Structure.objects.get(type_identifiant=TypeIdentifiant.SIRET, identifiant=siret_fictif(compte.graine))
    return structure, Utilisateur.objects.get(email=compte.login)


def _deposer(*, par, lignes, **champs):
    """A saved draft sent like « Valider et envoyer »: the demo invoices are real Factur-X files."""
    brouillon = Facture.objects.create(
        statut="BROUILLON", type_tva="TVA_SUR_DEBIT", mode_paiement="VIREMENT", **champs
    )
    LigneFacture.objects.bulk_create(
        LigneFacture(
            facture=brouillon,
            numero=rang,
            designation=designation,
            quantite=quantite,
            prix_unitaire_ht=prix,
            taux_tva=taux,
            montant_ht=montant_ligne(quantite, prix, 0, brouillon.devise),
        )
        for rang, (designation, quantite, prix, taux) in enumerate(lignes, start=1)
    )
    return brouillon_envoyer(facture=brouillon, par=par)


# The French FNFE Factur-X examples of the acceptance corpus (seller 99999999800010; buyers 78787878400035 and
# 34343434600010), public and active so that those invoices integrate end to end (by flux or upload). Their SIRETs
# are example numbers whose check digits are wrong: created directly, not through the portal's SIRET check. The
# examples name no code service (BT-10 empty), so the buyers require none; they carry an engagement number (BT-13:
# PO445, BC543), which the buyers accept without requiring it. The seller's user and technical account come with the
# demo accounts (organisation.matelas.charger_fournisseur_fnfe): a client deposits the examples through the API.
SIRET_VENDEUR_FNFE = "99999999800010"
STRUCTURES_FNFE = [
    (SIRET_VENDEUR_FNFE, "Fournisseur des exemples FNFE", False),
    ("78787878400035", "Acheteur public des exemples FNFE", True),
    ("34343434600010", "Acheteur public des exemples FNFE (outre-mer)", True),
]
# their postal addresses as the examples give them (BG-5, BG-8: adresse, code postal, ville, pays)
ADRESSES_FNFE = {
    SIRET_VENDEUR_FNFE: ("1242 chemin de l'olive", "84340", "Malaucène", "FR"),
    "78787878400035": ("35 rue de la République", "69001", "Lyon", "FR"),
    "34343434600010": ("42 rue du stade", "97400", "Saint Denis", "RE"),
}


def charger_structures_fnfe():
    for siret, raison_sociale, publique in STRUCTURES_FNFE:
        structure, _ = Structure.objects.get_or_create(
            type_identifiant=TypeIdentifiant.SIRET,
            identifiant=siret,
            defaults={
                "raison_sociale": raison_sociale,
                "est_publique": publique,
                "statut": StatutStructure.ACTIVE,
                "code_service_obligatoire": False,
                "engagement_obligatoire": False,
            },
        )
        if structure.statut != StatutStructure.ACTIVE:
            structure.statut = StatutStructure.ACTIVE
            structure.save(update_fields=["statut"])
        if not structure.adresse:
            structure.adresse, structure.code_postal, structure.ville, structure.pays = ADRESSES_FNFE[siret]
            structure.save(update_fields=["adresse", "code_postal", "ville", "pays"])


@transaction.atomic
def charger_factures():
    charger_structures_fnfe()
    fournisseur, fanny = _structure(RoleDemo.FOURNISSEUR)
    commune, paul = _structure(RoleDemo.ENTITE_PUBLIQUE)
    sous_traitant, samuel = _structure(RoleDemo.SOUS_TRAITANT)
    service = commune.services.get(code="SERVICE-ACHATS")
    banque = fournisseur.coordonnees_bancaires.filter(actif=True).first()
    creees = 0
    for numero, lignes, traitements, jours in FACTURES:
        if Facture.objects.filter(fournisseur=fournisseur, numero=numero).exists():
            continue
        depot = timezone.now() - datetime.timedelta(days=jours)
        facture = _deposer(
            par=fanny,
            lignes=lignes,
            numero=numero,
            date_facture=depot.date(),
            fournisseur=fournisseur,
            destinataire=commune,
            service_destinataire=service,
            coordonnee_bancaire=banque,
            numero_marche="MARCHE-FOURNITURES-2026",
            numero_engagement=NUMEROS_ENGAGEMENT.get(numero, ""),
        )
        for statut, motif in traitements:
            facture_traiter(facture=facture, par=paul, statut_cible=statut, motif=motif)
        # the demo tells a story over weeks: dates moved back once the rows exist
        Facture.objects.filter(pk=facture.pk).update(deposee_le=depot, statut_depuis=depot)
        facture.historique.update(le=depot)
        creees += 1
    # a sub-contractor's invoice (A9) waiting for the titulaire, the demo supplier, in « Factures à valider »
    if not Facture.objects.filter(fournisseur=sous_traitant, numero="ST-2026-001").exists():
        _deposer(
            par=samuel,
            lignes=[("Pose de rayonnages (sous-traitance)", 1, "2400.00", "20")],
            numero="ST-2026-001",
            cadre="A9",
            date_facture=timezone.localdate(),
            fournisseur=sous_traitant,
            destinataire=commune,
            service_destinataire=service,
            valideur_1=fournisseur,
            coordonnee_bancaire=sous_traitant.coordonnees_bancaires.filter(actif=True).first(),
            numero_marche="MARCHE-FOURNITURES-2026",
        )
        creees += 1
    return creees
