from celery import shared_task

from travaux.services import relances


@shared_task
def relancer_moe():
    """Beat, every minute: the daily reminders of the A4 pieces left more than 7 days with the MOE."""
    return relances.relancer_moe()
