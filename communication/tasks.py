from celery import shared_task

from communication import services


@shared_task
def purger_notifications_lues():
    """Beat, daily: delete the messages read more than a year ago (services.CONSERVATION_LUES)."""
    return services.notifications_purger()
