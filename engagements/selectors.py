"""Every read of engagements juridiques, scoped by the one policy (organisation.habilitations): a public entity's
user sees the EJs of its structure (of its services when its profile is limited to some), a supplier's user those
issued to its structure; anything else is not found."""

from engagements.models import EngagementJuridique
from organisation.enums import Application, Niveau
from organisation.habilitations import filtre_visible, structures_visibles


def engagements_visibles(user):
    emis = filtre_visible(
        user, Application.ENGAGEMENTS, Niveau.CONSULTATION, chemin_structure="structure", chemin_service="service"
    )
    recus = filtre_visible(user, Application.ENGAGEMENTS, Niveau.CONSULTATION, chemin_structure="fournisseur")
    return EngagementJuridique.objects.filter(emis | recus).select_related("structure", "service", "fournisseur")


def engagements_de_la_structure(user, structure):
    """The EJs a public structure issued, as its user may see them (the page's list)."""
    return engagements_visibles(user).filter(structure=structure).order_by("-date_engagement", "numero", "pk")


def structures_chargeantes(user):
    """The public structures for which `user` may load EJs: « Engagements – modification » on the whole structure."""
    return (
        structures_visibles(user, Application.ENGAGEMENTS, Niveau.MODIFICATION)
        .filter(est_publique=True)
        .order_by("raison_sociale", "pk")
    )


def structures_consultantes(user):
    """The public structures whose EJs `user` may list."""
    return (
        structures_visibles(user, Application.ENGAGEMENTS, Niveau.CONSULTATION)
        .filter(est_publique=True)
        .order_by("raison_sociale", "pk")
    )
