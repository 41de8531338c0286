from celery import shared_task

from exports import services


@shared_task
def produire_export(demande_id):
    """Write the file of one export request (services.export_produire); running it twice writes it once."""
    return services.export_produire(demande_id=demande_id)


@shared_task
def balayer_exports():
    """Beat: delete the expired exports and their files; queue again the requests a lost message left waiting."""
    return services.exports_balayer()
