"""The invoices a user may read from either side: above the two sides' selectors it combines (emises, recues),
which themselves read one invoice through consultation.py, so every import points down."""

from django.db.models import Q

from facturation.models import Facture
from facturation.selectors import emises, recues


def factures_consultables(user):
    """The invoices `user` may read from either side: sent by its structures (« Factures émises ») or received by
    them (« Factures reçues »), each side scoped by the policy. The API's history and downloads, and the assistant's
    lookup by number, read through it."""
    return Facture.objects.filter(
        Q(pk__in=emises.factures_emises(user).values("pk")) | Q(pk__in=recues.factures_recues(user).values("pk"))
    )
