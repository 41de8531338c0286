from chorus.workflow import Transition, Workflow
from organisation.enums import StatutStructure
from organisation.models import StructureHistorique


def _agent_support(user, structure):
    return user.is_authenticated and user.est_agent_support


STRUCTURE_WORKFLOW = Workflow(
    Transition(
        action="valider",
        sources=frozenset({StatutStructure.EN_ATTENTE_VALIDATION}),
        cible=StatutStructure.ACTIVE,
        libelle="Valider la création",
        autorise=_agent_support,
    ),
    Transition(
        action="refuser",
        sources=frozenset({StatutStructure.EN_ATTENTE_VALIDATION}),
        cible=StatutStructure.REFUSEE,
        libelle="Refuser la création",
        autorise=_agent_support,
        motif_requis=True,
    ),
    # The same legal entity registered twice: the support ends the duplicate (chorus-pro-features.md row 27);
    # the link to the structure of origin is set by organisation.services.support.structure_marquer_doublon.
    Transition(
        action="marquer_doublon",
        sources=frozenset({StatutStructure.ACTIVE, StatutStructure.EN_ATTENTE_VALIDATION}),
        cible=StatutStructure.INACTIVE,
        libelle="Marquer comme doublon",
        autorise=_agent_support,
        motif_requis=True,
    ),
    historique=StructureHistorique,
    lien="structure",
    libelles=dict(StatutStructure.choices),
)
