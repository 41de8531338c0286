"""The ticket's status machine as data. Who acts (requester or handler) is checked by the services, which know
from which side the user comes; the table says from which statuses each action goes where."""

from datetime import timedelta

from chorus.workflow import Transition, Workflow
from support.enums import StatutSollicitation as S
from support.models import SollicitationHistorique

# A resolved or closed ticket may be reopened by its requester for 30 days: long enough to see whether the answer
# worked (an invoice's next processing step, a monthly flux), short enough that an old thread is not revived for a
# new question, which deserves a new ticket with its own category.
DELAI_REOUVERTURE = timedelta(days=30)

OUVERTES = frozenset({S.NOUVELLE, S.EN_COURS, S.EN_ATTENTE_DEMANDEUR})

SOLLICITATION_WORKFLOW = Workflow(
    Transition("confirmer", frozenset({S.A_CONFIRMER}), S.NOUVELLE, "Confirmer l'adresse"),
    # handler: takes the ticket, or answers that it is being looked into; requester: answers the question asked
    Transition("mettre_en_cours", frozenset({S.NOUVELLE, S.EN_ATTENTE_DEMANDEUR}), S.EN_COURS, "Passer en cours"),
    Transition("demander_complement", OUVERTES, S.EN_ATTENTE_DEMANDEUR, "Attendre le demandeur"),
    Transition("resoudre", OUVERTES, S.RESOLUE, "Résoudre"),
    Transition("cloturer", OUVERTES | {S.RESOLUE}, S.CLOTUREE, "Clôturer"),
    Transition("rouvrir", frozenset({S.RESOLUE, S.CLOTUREE}), S.EN_COURS, "Rouvrir"),
    historique=SollicitationHistorique,
    lien="sollicitation",
    libelles=dict(S.choices),
    champ_date="statut_depuis",
)

# The status a handler may leave the ticket in after a reply, and the transition that leads there.
STATUTS_APRES_REPONSE = {
    S.EN_COURS: "mettre_en_cours",
    S.EN_ATTENTE_DEMANDEUR: "demander_complement",
    S.RESOLUE: "resoudre",
}
