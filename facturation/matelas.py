"""The invoices of the demo data set: what the demo supplier sent the demo commune, at every step a user meets.

Deposited through the one deposit path and moved by the one processing function, so the demo shows what the code does.
Running it twice changes nothing: an invoice whose number exists is left as it is.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Subquery
from django.utils import timezone

from communication.models import Notification
from facturation.calcul import montant_ligne
from facturation.models import Facture, FactureAction, FactureHistorique, LigneFacture
from facturation.services.archivage import archiver_factures_closes
from facturation.services.brouillon import brouillon_envoyer
from facturation.services.suivi import facture_completer, rejet_traiter, rejets_acquitter
from facturation.services.traitement import facture_traiter
from organisation.enums import RoleDemo, TypeIdentifiant
from organisation.matelas import COMPTES, charger_structures_fnfe, siret_fictif
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


# Invoices the demo supplier sent the demo commune years ago, closed long since (paid, or rejected and the rejection
# processed), then moved out of the live lists by the nightly archiving task: what the « Archives » tabs of « Factures
# émises » and « Factures reçues » and the API's DP_ARCHIVE show. Fixed dates, so that numbers and dates agree
# whatever the day the demo is loaded. Every step is the real service, run then dated back to its day.
# numéro, lignes, jour du dépôt, étapes (jours après le dépôt, étape, motif ou commentaire…)
COMPLETER, ACQUITTER, TRAITER_LE_REJET = "compléter", "acquitter le rejet", "traiter le rejet"
ARCHIVES = [
    (
        "DEMO-2022-014",
        [("Ramettes de papier A4", 60, "3.90", "20")],
        datetime.date(2022, 3, 14),
        [(6, "SERVICE_FAIT"), (19, "MISE_EN_PAIEMENT")],
    ),
    (
        "DEMO-2022-031",
        [("Toner imprimante", 8, "58.00", "20")],
        datetime.date(2022, 9, 5),
        [
            (5, "REJETEE", "Montant erroné", "Le bon de commande prévoit 6 toners, pas 8."),
            (7, ACQUITTER),
            (9, TRAITER_LE_REJET),
        ],
    ),
    (
        "DEMO-2023-007",
        [("Mobilier de bureau", 4, "230.00", "20"), ("Livraison et montage", 1, "120.00", "20")],
        datetime.date(2023, 2, 20),
        [
            (3, "SUSPENDUE", "Pièce justificative manquante", "Joindre le bon de livraison signé."),
            (6, COMPLETER, "Le bon de livraison signé est envoyé au service des achats."),
            (10, "SERVICE_FAIT"),
            (24, "MISE_EN_PAIEMENT"),
        ],
    ),
    (
        "DEMO-2023-019",
        [("Manuels scolaires", 30, "17.80", "5.5")],
        datetime.date(2023, 6, 12),
        [(14, "MISE_EN_PAIEMENT")],
    ),
    # paid after 41 days for a 30-day délai: the archive keeps the late payment as it was
    (
        "DEMO-2024-002",
        [("Maintenance annuelle", 1, "1150.00", "20")],
        datetime.date(2024, 1, 15),
        [(9, "SERVICE_FAIT"), (41, "MISE_EN_PAIEMENT")],
    ),
]


def _le(jour, heure):
    return datetime.datetime.combine(jour, datetime.time(heure), tzinfo=timezone.get_current_timezone())


def _etape(facture, etape, *, fanny, paul):
    """One step of an archived invoice's story, by the service a user's click calls."""
    action, *details = etape
    if action == COMPLETER:
        facture_completer(facture=facture, par=fanny, commentaire=details[0])
    elif action == ACQUITTER:
        rejets_acquitter(par=fanny, factures=[facture])
    elif action == TRAITER_LE_REJET:
        rejet_traiter(par=fanny, factures=[facture])
    else:
        motif, commentaire = (*details, "", "")[:2]
        facture_traiter(facture=facture, par=paul, statut_cible=action, motif=motif, commentaire=commentaire)


def _dater(facture, le, depuis_historique, depuis_action, depuis_notification=None):
    """The history and action rows the step just wrote, and the invoice's own dates, moved back to the step's day;
    the « Mes messages » it sent too, read long since (the mails themselves leave when the demo is loaded)."""
    FactureHistorique.objects.filter(facture=facture, pk__gt=depuis_historique).update(le=le)
    FactureAction.objects.filter(facture=facture, pk__gt=depuis_action).update(le=le)
    if depuis_notification is not None:
        Notification.objects.filter(pk__gt=depuis_notification).update(cree_le=le, lue_le=le)
    facture.refresh_from_db()
    dates = {"rejet_acquitte_le": facture.rejet_acquitte_le, "rejet_traite_le": facture.rejet_traite_le}
    dernier = FactureHistorique.objects.filter(facture=facture).order_by("-le", "-pk").values("le")[:1]
    Facture.objects.filter(pk=facture.pk).update(
        statut_depuis=Subquery(dernier),
        **{champ: le for champ, valeur in dates.items() if valeur and valeur > le},
    )


def _derniers_pk(facture):
    def dernier(qs):
        return qs.order_by("-pk").values_list("pk", flat=True).first() or 0

    return (
        dernier(FactureHistorique.objects.filter(facture=facture)),
        dernier(FactureAction.objects.filter(facture=facture)),
        dernier(Notification.objects.all()),
    )


@transaction.atomic
def charger_archives():
    """The ARCHIVES invoices, deposited and processed on their days, then archived by the nightly task as it ran
    over the years: once per closing, the night after it had been closed FACTURES_ARCHIVAGE_ANNEES years. Returns
    how many the task archived (none on a second run: an invoice whose number exists is left as it is)."""
    fournisseur, fanny = _structure(RoleDemo.FOURNISSEUR)
    commune, paul = _structure(RoleDemo.ENTITE_PUBLIQUE)
    service = commune.services.get(code="SERVICE-ACHATS")
    banque = fournisseur.coordonnees_bancaires.filter(actif=True).first()
    clotures = []
    for numero, lignes, jour, etapes in ARCHIVES:
        if Facture.tous.filter(fournisseur=fournisseur, numero=numero).exists():
            continue
        depot = _le(jour, 9)
        notifications_avant = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        facture = _deposer(
            par=fanny,
            lignes=lignes,
            numero=numero,
            date_facture=jour - datetime.timedelta(days=2),
            fournisseur=fournisseur,
            destinataire=commune,
            service_destinataire=service,
            coordonnee_bancaire=banque,
            numero_marche=f"MARCHE-FOURNITURES-{jour.year}",
        )
        Facture.objects.filter(pk=facture.pk).update(deposee_le=depot, cree_le=depot)
        _dater(facture, depot, 0, 0, notifications_avant)
        le = depot
        for jours, *etape in etapes:
            depuis = _derniers_pk(facture)
            _etape(facture, etape, fanny=fanny, paul=paul)
            le = _le(jour + datetime.timedelta(days=jours), 10)
            _dater(facture, le, *depuis)
        clotures.append(le)
    archivees = 0
    for cloture in sorted(clotures):
        nuit = _le(cloture.date() + datetime.timedelta(days=1), 2) + datetime.timedelta(minutes=30)
        nuit = nuit.replace(year=nuit.year + settings.FACTURES_ARCHIVAGE_ANNEES)
        archivees += archiver_factures_closes(maintenant=min(nuit, timezone.now()))
    return archivees


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
