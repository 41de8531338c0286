from datetime import timedelta

from celery import shared_task

from chorus import courriels


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=8)
def envoyer_courriel(courriel_id):
    courriels.courriel_envoyer(courriel_id=courriel_id)


@shared_task
def relancer_courriels_en_souffrance():
    """The sweeper: a mail whose message was lost (broker down, worker killed) is queued again."""
    for courriel_id in courriels.courriels_en_souffrance(depuis=timedelta(minutes=2)).values_list("pk", flat=True):
        envoyer_courriel.delay(courriel_id)
