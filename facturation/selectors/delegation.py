"""Reads of the delegations of received invoices (chorus-pro-features.md rows 62, 63)."""

from django.db.models import Prefetch, Q

from facturation.models import DelegationFactures
from organisation import habilitations
from organisation.enums import Application, Niveau, StatutStructure
from organisation.habilitations import filtre_visible, objet_visible_ou_404
from organisation.models import Service


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


def structures_delegantes(user):
    """The public active structures whose delegations `user` manages (« Factures reçues – modification »)."""
    return (
        habilitations.structures_visibles(user, Application.FACTURES_RECUES, Niveau.MODIFICATION)
        .filter(est_publique=True, statut=StatutStructure.ACTIVE)
        .order_by("raison_sociale", "pk")
    )


def structure_delegante_ou_404(user, pk):
    return objet_visible_ou_404(structures_delegantes(user), pk=pk)


def _avec_liens(qs):
    services = Prefetch("services", queryset=Service.objects.order_by("code"))
    return qs.select_related("delegant", "delegue", "cree_par").prefetch_related(services)


def delegations_donnees(user):
    """The delegations of the structures whose received invoices `user` sees, active first, newest first."""
    visibles = filtre_visible(user, Application.FACTURES_RECUES, chemin_structure="delegant")
    return _avec_liens(DelegationFactures.objects.filter(visibles)).order_by(
        "-active", "delegant__raison_sociale", "-cree_le"
    )


def delegations_recues(user):
    """The active delegations naming a structure `user` validates for: its « Factures à valider » space shows
    their invoices."""
    visibles = filtre_visible(user, Application.VALIDATION, chemin_structure="delegue")
    return _avec_liens(DelegationFactures.objects.filter(visibles, active=True)).order_by("delegant__raison_sociale")


def delegation_geree_ou_404(user, pk):
    """A delegation `user` may end: « Factures reçues – modification » on its delegant, else 404."""
    gerees = filtre_visible(user, Application.FACTURES_RECUES, Niveau.MODIFICATION, chemin_structure="delegant")
    return objet_visible_ou_404(_avec_liens(DelegationFactures.objects.filter(gerees)), pk=pk)
