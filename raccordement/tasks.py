"""Raccordement's background work: flux integration (thin: an id in, the service does the work) and its sweepers."""

from datetime import timedelta

from celery import shared_task

from raccordement.services import cycle_vie, flux, flux_edi

# A message can be lost between commit and publish, or a worker killed mid-flux: the sweeper's thresholds are well
# above a normal integration step (one invoice), so a running integration is never taken for lost.
RECU_DEPUIS = timedelta(minutes=2)
INACTIF_DEPUIS = timedelta(minutes=5)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def integrer_flux(flux_id):
    flux.flux_integrer(flux_id=flux_id)


@shared_task
def relancer_flux_en_souffrance():
    """Beat: re-queue the flux left IN_RECU (lost message) or in progress without progress (killed worker)."""
    en_souffrance = flux.flux_en_souffrance(recu_depuis=RECU_DEPUIS, inactif_depuis=INACTIF_DEPUIS)
    for flux_id in en_souffrance.values_list("pk", flat=True)[:500]:
        integrer_flux.delay(flux_id)


@shared_task
def relever_depots_edi():
    """Beat: turn the files of the EDI drop folders into flux."""
    return len(flux_edi.depots_edi_relever())


@shared_task
def remettre_cycle_vie_edi():
    """Beat: write the pending lifecycle messages of EDI-connected structures to their drop folders."""
    return cycle_vie.remettre_edi()
