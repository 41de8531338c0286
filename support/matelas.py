"""The tickets of the demo data set: what the demo supplier asked the support and the demo commune, at the steps a
user meets (a new request, an answer waiting for the requester, a resolved question), plus one from a visitor
without an account. Filed and answered through the services, so the demo shows what the code does. Running it twice
changes nothing: a ticket whose subject exists is left as it is.

Called after demo.comptes.charger_comptes and facturation.matelas.charger_factures (it needs their
accounts and invoices)."""

from django.db import transaction

from facturation.models import Facture
from organisation.enums import RoleDemo
from organisation.matelas import COMPTES
from organisation.models import Utilisateur
from support import liens
from support.enums import Destination
from support.enums import StatutSollicitation as S
from support.models import Sollicitation, SousCategorie
from support.referentiel import charger_referentiel
from support.services import sollicitations as services


def _compte(role):
    return Utilisateur.objects.get(email=next(c for c in COMPTES if c.role == role).login)


def _sous_categorie(libelle, destination=Destination.SUPPORT):
    return SousCategorie.objects.get(libelle=libelle, categorie__destination=destination)


@transaction.atomic
def charger_sollicitations():
    """Returns the number of tickets created."""
    charger_referentiel()
    fanny = _compte(RoleDemo.FOURNISSEUR)
    paul = _compte(RoleDemo.ENTITE_PUBLIQUE)
    sophie = _compte(RoleDemo.AGENT_SUPPORT)
    creees = 0

    objet = "Date de paiement de la facture DEMO-2026-003"
    facture = Facture.objects.filter(numero="DEMO-2026-003", fournisseur__rattachements__utilisateur=fanny).first()
    if facture is not None and not Sollicitation.objects.filter(objet=objet).exists():
        s = services.sollicitation_creer(
            par=fanny,
            sous_categorie=_sous_categorie("Suspension ou rejet", Destination.STRUCTURE),
            objet=objet,
            message="Bonjour, notre facture DEMO-2026-003 est suspendue pour pièce manquante. Quelle pièce "
            "attendez-vous ?",
            facture=facture,
        )
        services.repondre_traitant(
            sollicitation=s,
            par=paul,
            corps="Bonjour, il manque le bon de livraison signé. Pouvez-vous le joindre en complétant la facture ?",
            statut=S.EN_ATTENTE_DEMANDEUR,
        )
        creees += 1

    objet = "Code de connexion non reçu"
    if not Sollicitation.objects.filter(objet=objet).exists():
        s = services.sollicitation_creer(
            par=fanny,
            sous_categorie=_sous_categorie("Connexion et code de sécurité"),
            objet=objet,
            message="Bonjour, je ne reçois pas le code à 6 chiffres depuis ce matin.",
        )
        services.note_interne_ajouter(sollicitation=s, par=sophie, corps="Adresse vérifiée : pas de rebond.")
        services.repondre_traitant(
            sollicitation=s,
            par=sophie,
            corps="Bonjour, le code a été renvoyé : vérifiez vos courriels indésirables. Vous pouvez aussi déclarer "
            "une application d'authentification dans « Mes facteurs d'authentification ».",
            statut=S.RESOLUE,
        )
        creees += 1

    objet = "Création de compte impossible"
    if not Sollicitation.objects.filter(objet=objet).exists():
        s = services.sollicitation_deposer_publique(
            email="visiteur@demo.chorus-pro.example",
            nom="Victor Visiteur",
            sous_categorie=_sous_categorie("Création ou activation du compte"),
            objet=objet,
            message="Bonjour, le lien d'activation reçu est expiré. Comment en obtenir un nouveau ?",
        )
        services.sollicitation_confirmer(jeton=liens.jeton(s, liens.SEL_CONFIRMATION))
        creees += 1
    return creees
