"""Reads of the Référentiel des organisations (the API's `organisations/v1/…` and `structures/v1/…`): who sees which
structure, service and attachment. The public structures form a directory everyone may read; a private structure,
and a structure's own documents, are seen by its own users only (organisation.habilitations decides who they are)."""

from django.db.models import Exists, OuterRef, Q

from organisation.enums import Application, StatutStructure
from organisation.habilitations import objet_visible_ou_404, structures_consultables, structures_visibles
from organisation.models import PieceJointeStructure, Service, Structure


def _propres(user, chemin="pk"):
    """A Q on the structures `user` acts for: those whose page it may open (« Organisation »), and those it
    invoices for (a technical account has no « Organisation » profile, but « Factures émises »). Each is a subquery
    driven by the user's own attachments: ORed with the directory's criterion, it never reads the whole table."""
    return Q(**{f"{chemin}__in": structures_consultables(user).values("pk")}) | Q(
        **{f"{chemin}__in": structures_visibles(user, Application.FACTURES_EMISES).values("pk")}
    )


def structures_du_referentiel(user):
    """Every public active structure, and the structures `user` acts for (private ones included)."""
    return Structure.objects.filter(Q(est_publique=True, statut=StatutStructure.ACTIVE) | _propres(user))


def services_du_referentiel(user):
    """The services of the structures of `structures_du_referentiel`. The directory's criterion is an EXISTS on the
    service's own structure (one index lookup per candidate service), not a join the planner could turn into a
    scan of every structure."""
    publique = Exists(
        Structure.objects.filter(pk=OuterRef("structure_id"), est_publique=True, statut=StatutStructure.ACTIVE)
    )
    return Service.objects.filter(Q(publique) | _propres(user, "structure_id"))


def structure_du_referentiel_ou_404(user, uuid):
    return objet_visible_ou_404(structures_du_referentiel(user), uuid=uuid)


def structure_propre_ou_404(user, uuid):
    """A structure `user` acts for: what it may change (the services then check the profile)."""
    return objet_visible_ou_404(Structure.objects.filter(_propres(user)), uuid=uuid)


def service_du_referentiel_ou_404(user, uuid):
    return objet_visible_ou_404(services_du_referentiel(user).select_related("structure"), uuid=uuid)


def pieces_jointes_propres(user, structure):
    """A structure's reusable attachments (RIB, Kbis…): its own users' business, even for a public structure."""
    return PieceJointeStructure.objects.filter(Q(structure=structure) & _propres(user, "structure_id"))


def piece_jointe_propre_ou_404(user, structure, uuid):
    return objet_visible_ou_404(pieces_jointes_propres(user, structure), uuid=uuid)
