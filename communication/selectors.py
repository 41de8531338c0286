"""Reads of « Mes messages »: a user sees their own messages and nobody else's (another's id is a 404)."""

from django.db.models import BooleanField, ExpressionWrapper, Q
from django.http import Http404

from communication.enums import EtatLecture
from communication.models import Notification

TRIS = {
    "-date": ("-cree_le", "-pk"),
    "date": ("cree_le", "pk"),
    # unread first (lue_le NULL), newest first within each group
    "non_lus": (ExpressionWrapper(Q(lue_le__isnull=True), output_field=BooleanField()).desc(), "-cree_le", "-pk"),
    "categorie": ("categorie", "-cree_le", "-pk"),
}
TRI_DEFAUT = "-date"


def notifications_de(utilisateur):
    if not utilisateur.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(destinataire=utilisateur)


def notifications_liste(utilisateur, *, etat="", categorie="", tri=TRI_DEFAUT):
    qs = notifications_de(utilisateur)
    if etat == EtatLecture.NON_LUS:
        qs = qs.filter(lue_le__isnull=True)
    elif etat == EtatLecture.LUS:
        qs = qs.filter(lue_le__isnull=False)
    if categorie:
        qs = qs.filter(categorie=categorie)
    return qs.order_by(*TRIS.get(tri, TRIS[TRI_DEFAUT]))


def notification_ou_404(utilisateur, pk):
    notification = notifications_de(utilisateur).filter(pk=pk).first()
    if notification is None:
        raise Http404("Message introuvable.")
    return notification


def non_lues_compte(utilisateur):
    return notifications_de(utilisateur).filter(lue_le__isnull=True).count()
