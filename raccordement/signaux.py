"""Lifecycle messages follow every status change without the domains knowing it: the rows are written after the
change commits (so a rolled-back change tells nobody anything)."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from facturation.models import FactureHistorique
from raccordement.models import FluxFacture


@receiver(post_save, sender=FactureHistorique, dispatch_uid="raccordement_cycle_vie_statut")
def _statut_change(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        from raccordement.services.cycle_vie import message_statut_produire

        transaction.on_commit(lambda: message_statut_produire(historique=instance))


@receiver(post_save, sender=FluxFacture, dispatch_uid="raccordement_cycle_vie_flux")
def _facture_de_flux(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        from raccordement.services.cycle_vie import messages_de_la_facture_de_flux

        # the integration completes the row after creating it: what it became is read once committed
        structure_id = instance.flux.structure_id
        transaction.on_commit(
            lambda: messages_de_la_facture_de_flux(flux_facture_id=instance.pk, structure_id=structure_id)
        )
