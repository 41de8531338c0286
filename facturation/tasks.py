from celery import shared_task

from facturation.services import validation


@shared_task
def transmettre_validations_hors_delai():
    """Beat, every minute: the co-/sub-contracting invoices left 15 days without an answer go on (API §4.7)."""
    return validation.transmettre_validations_hors_delai()
