from datetime import timedelta

from celery import shared_task

from chorus import courriels, differe


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=8)
def envoyer_courriel(courriel_id):
    courriels.courriel_envoyer(courriel_id=courriel_id)


@shared_task
def relancer_courriels_en_souffrance():
    """The sweeper: a mail whose message was lost (broker down, worker killed) or whose retries ran out (mail server
    down) is sent, oldest first."""
    return courriels.courriels_souffrance_envoyer(depuis=timedelta(minutes=2))


@shared_task(acks_late=True)
def appliquer_modification(modification_id):
    # A task that arrives early (clock skew, eager mode) applies nothing: the sweeper applies the row once due.
    differe.modification_appliquer(modification_id=modification_id)


@shared_task
def appliquer_modifications_en_retard():
    """The sweeper: a change whose task was lost is applied once due."""
    for modification_id in differe.modifications_en_retard().values_list("pk", flat=True)[:500]:
        differe.modification_appliquer(modification_id=modification_id)
