"""Lifecycle messages follow every status change without the domains knowing it: the rows are written after the
change commits (so a rolled-back change tells nobody anything). The messages of an integration (deposit or rejection)
are the flux pipeline's own, written in the invoice's transaction (raccordement/services/flux.py)."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from facturation.models import FactureHistorique


@receiver(post_save, sender=FactureHistorique, dispatch_uid="raccordement_cycle_vie_statut")
def _statut_change(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        from raccordement.services.cycle_vie import message_statut_produire

        transaction.on_commit(lambda: message_statut_produire(historique=instance))
