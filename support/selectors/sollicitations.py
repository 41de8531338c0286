"""Every read of tickets, scoped to the side the user comes from: requester (« Sollicitations émises »), recipient
structure (« Sollicitations reçues », the one policy with the Sollicitations profile), support agent (the queue).
Lists keep a fixed number of queries whatever their length."""

import re

from django.db.models import Q

from chorus.chiffres import que_des_chiffres
from facturation.models import Facture
from organisation.enums import Application, Niveau, StatutRattachement
from organisation.habilitations import objet_visible_ou_404, titulaires
from organisation.models import Structure, Utilisateur
from support.enums import Destination
from support.enums import StatutSollicitation as S
from support.models import Message, PieceJointe, Sollicitation, SousCategorie

TRIS = {
    "-activite": ("-derniere_activite", "-pk"),
    "activite": ("derniere_activite", "pk"),
    "-numero": ("-pk",),
    "numero": ("pk",),
    "statut": ("statut", "-derniere_activite", "-pk"),
    "-statut": ("-statut", "-derniere_activite", "-pk"),
}
TRI_DEFAUT = "-activite"


def _pour_liste(qs):
    return qs.select_related("categorie", "sous_categorie", "structure_destinataire", "service_destinataire", "agent")


def _filtrer(qs, *, statut="", categorie=None, recherche="", tri=TRI_DEFAUT):
    if statut:
        qs = qs.filter(statut=statut)
    if categorie is not None:
        qs = qs.filter(categorie=categorie)
    recherche = (recherche or "").strip()
    if recherche:
        qs = qs.filter(Q(numero__icontains=recherche) | Q(objet__icontains=recherche))
    return qs.order_by(*TRIS.get(tri, TRIS[TRI_DEFAUT]))


def _detail(qs):
    return _pour_liste(qs).select_related("facture", "structure_concernee", "demandeur")


# requester side


def emises(user, **filtres):
    return _filtrer(_pour_liste(Sollicitation.objects.emises_par(user)), **filtres)


def emise_ou_404(user, pk):
    return objet_visible_ou_404(_detail(Sollicitation.objects.emises_par(user)), pk=pk)


# recipient structure side


def recues(user, **filtres):
    qs = Sollicitation.objects.recues_visibles(user, Niveau.CONSULTATION)
    return _filtrer(_pour_liste(qs).select_related("demandeur"), **filtres)


def recue_ou_404(user, pk):
    return objet_visible_ou_404(_detail(Sollicitation.objects.recues_visibles(user, Niveau.CONSULTATION)), pk=pk)


def traitants_a_prevenir(sollicitation):
    """The users who may answer a business request: « Sollicitations – modification » on the recipient structure,
    for the whole structure or for the ticket's service."""
    return list(
        titulaires(
            sollicitation.structure_destinataire_id,
            [Application.SOLLICITATIONS],
            niveau=Niveau.MODIFICATION,
            service=sollicitation.service_destinataire_id,
        )
    )


# support agents' side (the caller has checked est_agent_support)

FILES = {
    "support": ("Adressées au support", Q(structure_destinataire__isnull=True)),
    "structures": ("Adressées aux structures", Q(structure_destinataire__isnull=False)),
    "toutes": ("Toutes", Q()),
}


def file_support(agent, *, file="support", attribution="", **filtres):
    """The agents' queue: every confirmed ticket; by default those addressed to the support, oldest activity last."""
    qs = Sollicitation.objects.exclude(statut=S.A_CONFIRMER).filter(FILES.get(file, FILES["support"])[1])
    if attribution == "moi":
        qs = qs.filter(agent=agent)
    elif attribution == "aucun":
        qs = qs.filter(agent__isnull=True)
    elif que_des_chiffres(attribution):
        qs = qs.filter(agent_id=int(attribution))
    return _filtrer(_pour_liste(qs).select_related("demandeur"), **filtres)


def agent_sollicitation_ou_404(pk):
    return objet_visible_ou_404(_detail(Sollicitation.objects.exclude(statut=S.A_CONFIRMER)), pk=pk)


def agents():
    return Utilisateur.objects.filter(est_agent_support=True, is_active=True).order_by("nom", "prenom", "pk")


# the thread


def fil(sollicitation, *, avec_notes):
    """The messages of a ticket, oldest first, with their attachments; internal notes only for handlers."""
    messages = sollicitation.messages.all()
    if not avec_notes:
        messages = messages.filter(interne=False)
    return list(messages.select_related("auteur").prefetch_related("pieces_jointes"))


def historique(sollicitation):
    return list(sollicitation.historique.select_related("par").order_by("le", "pk"))


def piece_jointe_ou_404(sollicitation, piece_pk, *, avec_notes):
    """An attachment of the ticket's thread; one of an internal note is not found by the requester."""
    messages = Message.objects.filter(sollicitation=sollicitation)
    if not avec_notes:
        messages = messages.filter(interne=False)
    return objet_visible_ou_404(PieceJointe.objects.filter(message__in=messages), pk=piece_pk)


def pieces_jointes_lisibles(user):
    """Every ticket attachment `user` may download, by the pages' rule: the requester's tickets without their internal
    notes, the tickets its structures received (Sollicitations – consultation) with them."""
    messages = Message.objects.filter(
        Q(sollicitation__in=Sollicitation.objects.emises_par(user).values("pk"), interne=False)
        | Q(sollicitation__in=Sollicitation.objects.recues_visibles(user, Niveau.CONSULTATION).values("pk"))
    )
    return PieceJointe.objects.filter(message__in=messages.values("pk"))


# what a ticket may be about, among what the requester may see


def sous_categories(destinations=(Destination.SUPPORT, Destination.STRUCTURE)):
    return (
        SousCategorie.objects.filter(active=True, categorie__active=True, categorie__destination__in=destinations)
        .select_related("categorie")
        .order_by("categorie__ordre", "categorie__libelle", "ordre", "libelle")
    )


def factures_du_demandeur(user, numero, *, cote_fournisseur_seulement=False):
    """The invoices numbered `numero` the user may consult: sent by its structures (Factures émises), or, unless
    the request goes to the recipient, received by them (Factures reçues)."""
    visibles = Facture.objects.emises_visibles(user)
    if not cote_fournisseur_seulement:
        visibles = visibles | Facture.objects.recues_visibles(user)
    return list(
        visibles.filter(numero__iexact=numero.strip())
        .exclude(statut="BROUILLON")
        .select_related("fournisseur", "destinataire", "service_destinataire")
        .distinct()[:5]
    )


def structures_du_demandeur(user):
    """The structures the user is attached to (or asked to be), whatever their status: a ticket may be about a
    pending public structure or a departed gestionnaire principal."""
    return (
        Structure.objects.filter(
            rattachements__utilisateur=user,
            rattachements__statut__in=[StatutRattachement.ACTIF, StatutRattachement.EN_ATTENTE],
        )
        .distinct()
        .order_by("raison_sociale", "pk")
    )


def structure_publique(identifiant):
    """The active public structure with this identifier (spaces and dots ignored), or None."""
    compact = re.sub(r"[\s.]", "", identifiant or "")
    if not compact:
        return None
    return Structure.objects.publiques_actives().filter(identifiant__iexact=compact).first()
