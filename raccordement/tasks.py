"""Raccordement's background work: flux integration (thin: an id in, the service does the work) and its sweepers."""

from datetime import timedelta

from celery import shared_task

from chorus.tache import publier
from raccordement.enums import EtatFlux
from raccordement.services import cycle_vie, flux, flux_edi

# A message can be lost between commit and publish, or a worker killed mid-flux: the sweeper's thresholds are well
# above a normal integration step (one invoice), so a running integration is never taken for lost.
RECU_DEPUIS = timedelta(minutes=2)
INACTIF_DEPUIS = flux.INACTIF_DEPUIS
# A status change's lifecycle message is written after its commit: a process that dies in between leaves it unwritten
# until this sweeper, which looks back one day (older changes are not scanned every minute).
MESSAGE_MANQUANT_DEPUIS, MESSAGE_MANQUANT_FENETRE = timedelta(minutes=2), timedelta(days=1)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def integrer_flux(flux_id, suite=False):
    integre = flux.flux_integrer(flux_id=flux_id, suite=suite)
    if integre is not None and integre.etat == EtatFlux.IN_EN_COURS_TRAITEMENT_CPP:
        # a run of PAR_PASSAGE invoices is done: the next one goes behind the flux queued meanwhile (a lost publish
        # is the sweeper's: the flux shows no progress for INACTIF_DEPUIS)
        publier(integrer_flux, flux_id, suite=True)


@shared_task
def relancer_flux_en_souffrance():
    """Beat: re-queue the flux left IN_RECU (lost message) or in progress without progress (killed worker)."""
    en_souffrance = flux.flux_en_souffrance(recu_depuis=RECU_DEPUIS, inactif_depuis=INACTIF_DEPUIS)
    for flux_id in en_souffrance.values_list("pk", flat=True)[:500]:
        integrer_flux.delay(flux_id)


@shared_task
def produire_messages_cycle_vie_manquants():
    """Beat: the lifecycle messages of status changes whose process died before writing them."""
    return cycle_vie.messages_statut_manquants_produire(
        depuis=MESSAGE_MANQUANT_DEPUIS, fenetre=MESSAGE_MANQUANT_FENETRE
    )


@shared_task
def relever_depots_edi():
    """Beat: turn the files of the EDI drop folders into flux."""
    return len(flux_edi.depots_edi_relever())


@shared_task
def remettre_cycle_vie_edi():
    """Beat: write the pending lifecycle messages of EDI-connected structures to their drop folders."""
    return cycle_vie.remettre_edi()
