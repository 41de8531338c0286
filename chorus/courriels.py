"""Transactional mails: a template pair per event, rendered now, stored, and sent by Celery after commit."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
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


def courriel_envoyer(*, courriel_id):
    """Send one queued mail; running twice sends once."""
    with transaction.atomic():
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


def courriels_en_souffrance(*, depuis):
    return Courriel.objects.filter(envoye_le__isnull=True, cree_le__lt=timezone.now() - depuis)
