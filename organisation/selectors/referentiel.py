"""Reads of the Référentiel des organisations (the API's `organisations/v1/…` and `structures/v1/…`): who sees which
structure, service and attachment. The public structures form a directory everyone may read; a private structure,
and a structure's own documents, are seen by its own users only (organisation.habilitations decides who they are)."""

from django.db.models import Q

from organisation.enums import Application, StatutStructure
from organisation.habilitations import objet_visible_ou_404, structures_consultables, structures_visibles
from organisation.models import PieceJointeStructure, Service, Structure


def structures_propres(user):
    """The structures `user` acts for: those whose page it may open (« Organisation »), and those it invoices for
    (a technical account has no « Organisation » profile, but « Factures émises »). A subquery of primary keys."""
    return Structure.objects.filter(
        Q(pk__in=structures_consultables(user).values("pk"))
        | Q(pk__in=structures_visibles(user, Application.FACTURES_EMISES).values("pk"))
    ).values("pk")


def _publique_active(prefixe=""):
    return Q(**{f"{prefixe}est_publique": True, f"{prefixe}statut": StatutStructure.ACTIVE})


def structures_du_referentiel(user):
    """Every public active structure, and the structures `user` acts for (private ones included)."""
    return Structure.objects.filter(_publique_active() | Q(pk__in=structures_propres(user)))


def services_du_referentiel(user):
    """The services of the structures of `structures_du_referentiel`."""
    return Service.objects.filter(_publique_active("structure__") | Q(structure_id__in=structures_propres(user)))


def structure_du_referentiel_ou_404(user, uuid):
    return objet_visible_ou_404(structures_du_referentiel(user), uuid=uuid)


def structure_propre_ou_404(user, uuid):
    """A structure `user` acts for: what it may change (the services then check the profile)."""
    return objet_visible_ou_404(Structure.objects.filter(pk__in=structures_propres(user)), uuid=uuid)


def service_du_referentiel_ou_404(user, uuid):
    return objet_visible_ou_404(services_du_referentiel(user).select_related("structure"), uuid=uuid)


def pieces_jointes_propres(user, structure):
    """A structure's reusable attachments (RIB, Kbis…): its own users' business, even for a public structure."""
    return PieceJointeStructure.objects.filter(structure=structure, structure_id__in=structures_propres(user))


def piece_jointe_propre_ou_404(user, structure, uuid):
    return objet_visible_ou_404(pieces_jointes_propres(user, structure), uuid=uuid)
