"""Transactional mails: a template pair per event, rendered now, stored, and sent by Celery after commit."""

import smtplib

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.template import Context
from django.template.loader import get_template
from django.utils import timezone

from chorus.models import Courriel


def _rendre(nom, contexte):
    # plain text: no HTML escaping, or "l'équipe" would read "l&#x27;équipe"
    return get_template(nom).template.render(Context(contexte, autoescape=False))


def courriel_programmer(*, gabarit, destinataire, contexte=None):
    """Queue the mail `<gabarit>_subject.txt` / `<gabarit>_body.txt`; nothing leaves if the transaction rolls back."""
    from chorus.tasks import envoyer_courriel

    contexte = {"url_portail": settings.URL_PORTAIL, **(contexte or {})}
    objet = " ".join(_rendre(f"{gabarit}_subject.txt", contexte).split())
    corps = _rendre(f"{gabarit}_body.txt", contexte)
    courriel = Courriel.objects.create(gabarit=gabarit, destinataire=destinataire, objet=objet, corps=corps)
    envoyer_courriel.delay_on_commit(courriel.pk)
    return courriel


def _envoyer_un(courriel_id):
    try:
        return _envoyer_un_verrouille(courriel_id)
    except Exception as erreur:
        # The send's transaction rolled back with its attempt: the failure is written apart, then the error goes on
        # to the task's retry or the sweeper.
        _echec_noter(courriel_id, erreur)
        raise


def _echec_noter(courriel_id, erreur):
    texte = f"{type(erreur).__name__} : {erreur}"[:500]
    Courriel.objects.filter(pk=courriel_id, envoye_le__isnull=True).update(
        tentatives=F("tentatives") + 1, derniere_erreur=texte, dernier_echec_le=timezone.now()
    )


def _envoyer_un_verrouille(courriel_id):
    with transaction.atomic():
        # Locked: two deliveries of the same task (broker redelivery, sweeper, two beats) send it once.
        courriel = Courriel.objects.select_for_update().filter(pk=courriel_id, envoye_le__isnull=True).first()
        if courriel is None:
            return False
        courriel.tentatives += 1
        EmailMessage(
            subject=courriel.objet,
            body=courriel.corps,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[courriel.destinataire],
        ).send()
        courriel.envoye_le = timezone.now()
        courriel.corps = ""
        courriel.save(update_fields=["tentatives", "envoye_le", "corps"])
    return True


def courriel_envoyer(*, courriel_id):
    """Send one queued mail, after the older mails still waiting for the same address: after a mail server outage
    the retried tasks come back in any order, a person must still read a code before its confirmation. Each send
    commits alone (a failure leaves the later mails waiting, not the earlier ones sent twice); running twice sends
    once. A mail server error (OSError, which smtplib's errors are) propagates: the task retries, the sweeper
    catches up."""
    destinataire = Courriel.objects.filter(pk=courriel_id).values_list("destinataire", flat=True).first()
    if destinataire is None:
        return False
    precedents = Courriel.objects.filter(destinataire=destinataire, envoye_le__isnull=True, pk__lt=courriel_id)
    for pk in precedents.order_by("pk").values_list("pk", flat=True):
        _envoyer_un(pk)
    return _envoyer_un(courriel_id)


def courriels_souffrance_envoyer(*, depuis, limite=500):
    """The sweeper: send the mails waiting for longer than `depuis`, oldest first. The server unreachable, it stops
    (the next sweep tries again, in the same order); one address or message refused, that address's mails wait and
    the others go on. Sending here rather than queueing a task per mail keeps a long outage from piling up tasks.
    Returns how many left."""
    envoyes, refusees = 0, set()
    attente = courriels_en_souffrance(depuis=depuis).order_by("pk").values_list("pk", "destinataire")[:limite]
    for pk, destinataire in attente:
        if destinataire in refusees:
            continue
        try:
            envoyes += courriel_envoyer(courriel_id=pk)
        except smtplib.SMTPConnectError:
            break
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException):
            refusees.add(destinataire)
        except OSError:
            break
    return envoyes


def courriels_en_souffrance(*, depuis):
    return Courriel.objects.filter(envoye_le__isnull=True, cree_le__lt=timezone.now() - depuis)
