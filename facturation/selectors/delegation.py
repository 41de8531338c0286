"""Reads of the delegations of received invoices (chorus-pro-features.md rows 62, 63)."""

from django.db.models import Q

from facturation.models import DelegationFactures


def delegation_applicable(destinataire, service=None):
    """The active delegation an A1 invoice to `destinataire` (and `service`) follows at deposit, or None.

    A delegation without services covers the whole structure; one naming services covers only those.
    """
    delegations = DelegationFactures.objects.filter(delegant=destinataire, active=True).select_related("delegue")
    if service is None:
        delegations = delegations.filter(services__isnull=True)
    else:
        delegations = delegations.filter(Q(services__isnull=True) | Q(services=service))
    return delegations.order_by("cree_le").first()
