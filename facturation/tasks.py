from celery import shared_task

from facturation.services import validation


@shared_task
def transmettre_validations_hors_delai():
    """Beat, every minute: the co-/sub-contracting invoices left 15 days without an answer go on (API §4.7)."""
    return validation.transmettre_validations_hors_delai()


@shared_task
def archiver_factures_closes():
    """Beat, every night: invoices closed for FACTURES_ARCHIVAGE_ANNEES years leave the live base (row 50)."""
    from facturation.services import archivage

    return archivage.archiver_factures_closes()
