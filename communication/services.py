"""Writes of « Mes messages »: notify users of a portal event, mark messages read, purge old read ones.

`notifier*` run inside the caller's transaction: a message exists exactly when its event does (a rolled-back
rejection leaves no message), and no queue is needed for a row in the same database.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from communication import evenements
from communication.enums import CategorieNotification
from communication.models import Notification

# Read messages are kept a year after they were sent, then purged by beat (communication.tasks); unread ones are
# kept whatever their age: nobody has seen them yet.
CONSERVATION_LUES = timedelta(days=365)


def lien_local(lien):
    """A path inside the portal, never another site: the only links a message may carry and redirect to."""
    return (
        not lien
        or lien.startswith("/")
        and not lien.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(lien, allowed_hosts=None)
    )


def _notification(destinataire, titre, texte, lien, categorie):
    titre = " ".join(titre.split())
    if not titre:
        raise ValueError("Une notification a un titre.")
    if categorie not in CategorieNotification.values:
        raise ValueError(f"Catégorie de notification inconnue : {categorie!r}.")
    if not lien_local(lien):
        raise ValueError(f"Le lien d'une notification est un chemin du portail, pas {lien!r}.")
    return Notification(
        destinataire=destinataire,
        titre=titre[: Notification._meta.get_field("titre").max_length],
        texte=texte.strip(),
        lien=lien,
        categorie=categorie,
    )


@transaction.atomic
def notifier(*, destinataire, titre, texte="", lien="", categorie):
    """One message for one user."""
    notification = _notification(destinataire, titre, texte, lien, categorie)
    notification.save()
    return notification


@transaction.atomic
def notifier_plusieurs(*, destinataires, titre, texte="", lien="", categorie):
    """The same message for several users, in one INSERT; a user listed twice gets it once."""
    vus, lignes = set(), []
    for destinataire in destinataires:
        if destinataire.pk not in vus:
            vus.add(destinataire.pk)
            lignes.append(_notification(destinataire, titre, texte, lien, categorie))
    return Notification.objects.bulk_create(lignes)


def notifier_evenement(*, gabarit, destinataires, contexte):
    """The message of the mail `gabarit` (communication/regles/evenements.csv) for `destinataires`, rendered once
    from the mail's own context. Called by the services next to their `courriel_programmer`."""
    destinataires = list(destinataires)
    if not destinataires:
        return []
    return notifier_plusieurs(destinataires=destinataires, **evenements.rendre(gabarit, contexte))


@transaction.atomic
def notification_marquer_lue(*, notification, par):
    """Mark one of `par`'s messages read; another user's message is not found (the selector gives 404 first)."""
    if notification.destinataire_id != par.pk:
        raise Notification.DoesNotExist
    if notification.lue_le is None:
        notification.lue_le = timezone.now()
        Notification.objects.filter(pk=notification.pk, lue_le__isnull=True).update(lue_le=notification.lue_le)
    return notification


@transaction.atomic
def toutes_marquer_lues(*, par):
    """Mark every unread message of `par` read; returns how many were."""
    return Notification.objects.filter(destinataire=par, lue_le__isnull=True).update(lue_le=timezone.now())


PURGE_PAR_LOT = 5000


def notifications_purger(*, maintenant=None):
    """Delete the read messages sent more than CONSERVATION_LUES ago, by batches (short transactions, short locks);
    running twice deletes nothing more. Returns how many were deleted."""
    limite = (maintenant or timezone.now()) - CONSERVATION_LUES
    a_purger = Notification.objects.filter(cree_le__lt=limite, lue_le__isnull=False)
    supprimees = 0
    while True:
        with transaction.atomic():
            lot = list(a_purger.values_list("pk", flat=True)[:PURGE_PAR_LOT])
            if not lot:
                return supprimees
            supprimees += Notification.objects.filter(pk__in=lot).delete()[0]
