"""Who may do what on a ticket, from each side. Built on the one policy (organisation.habilitations)."""

from organisation.enums import Application, Niveau
from organisation.habilitations import peut


def est_agent(user):
    return bool(user.is_authenticated and getattr(user, "est_agent_support", False))


def peut_traiter(user, sollicitation):
    """Answer, add internal notes, resolve: the agents for the support's tickets; for a business request, the
    recipient structure's users with « Sollicitations – modification » (for its service, when it names one)."""
    if not user.is_authenticated:
        return False
    if sollicitation.pour_le_support:
        return est_agent(user)
    return peut(
        user,
        Application.SOLLICITATIONS,
        Niveau.MODIFICATION,
        sollicitation.structure_destinataire,
        sollicitation.service_destinataire,
    )


def est_demandeur(user, sollicitation):
    return bool(user.is_authenticated and sollicitation.demandeur_id == user.pk)
