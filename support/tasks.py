from celery import shared_task

from support.services.sollicitations import sollicitations_non_confirmees_purger, sollicitations_resolues_cloturer


@shared_task
def purger_sollicitations_non_confirmees():
    """Beat, daily: erase the logged-out tickets whose address was never confirmed (a week after the link's end)."""
    return sollicitations_non_confirmees_purger()


@shared_task
def cloturer_sollicitations_resolues():
    """Beat, daily: close the tickets « Résolue » for longer than the 30 days their requester had to reopen them."""
    return sollicitations_resolues_cloturer()
