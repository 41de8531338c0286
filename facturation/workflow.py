"""The processing of an invoice as data: facturation/regles/traitements_recus.csv, one row per (from, to, actor),
and the validators' circuit facturation/regles/validations.csv (A9, A12, delegated A1 invoices, and the works
pieces of sub-contractors and co-contractors, A10, A11, A13 and A14, which go on to the MOE once validated).

Rows sharing the same API action, target status and actor become one Transition whose sources are their starting
statuses. The table's `champ_requis` stays on the transition: facture_traiter supplies the mandate number itself,
the other fields belong to dedicated operations (recycler, compléter, traiter le rejet). Validating and refusing
belong to facturation.services.validation, which forwards a validated invoice to the next level or the recipient.
"""

import re
from dataclasses import dataclass

from chorus.workflow import Transition, Workflow
from facturation.acheminement import CADRES_AVEC_VALIDEUR
from facturation.enums import DroitDelegation, StatutFacture, lire_table
from facturation.models import FactureHistorique
from organisation import habilitations
from organisation.enums import Application, Niveau

CHAMP_NUMERO_MANDAT = "numeroDPMandat"

DESTINATAIRE = "destinataire"
FOURNISSEUR = "fournisseur"
VALIDEUR_DELEGUE = "valideur delegue traitement"
VALIDEUR_1 = "valideur 1"
VALIDEUR_2 = "valideur 2"
# Nobody acts: the portal forwards a validated invoice, or one left 15 days without an answer (par=None).
SYSTEME = "systeme"
SYSTEME_AVEC_VALIDEUR_2 = "systeme avec valideur 2"
SYSTEME_SANS_VALIDEUR_2 = "systeme sans valideur 2"
SYSTEME_HORS_TRAVAUX = "systeme hors travaux"
# A validated works piece (sub-contractor A10/A11, co-contractor A13/A14) goes on to the MOE, not to the payer.
SYSTEME_TRAVAUX = "systeme travaux"
SYSTEME_TRAVAUX_SANS_VALIDEUR_2 = "systeme travaux sans valideur 2"
CADRES_TRAVAUX = frozenset(ligne["code"] for ligne in lire_table("cadres.csv") if ligne["famille"] == "travaux")

# Reached only through facture_valider / facture_refuser: a validation is followed by its forwarding.
STATUTS_DE_VALIDATION = frozenset({"VALIDEE_1", "VALIDEE_2", "REFUSEE_1", "REFUSEE_2"})


@dataclass(frozen=True)
class TransitionFacture(Transition):
    acteur: str = ""
    # the table's text, e.g. "numeroDPMandat"; empty when the action needs nothing more than the status
    champ_requis: str = ""

    @property
    def par_traitement(self):
        """Whether facture_traiter can apply it: no other data than a motif and, for MANDATEE, the mandate number."""
        return (
            self.champ_requis in ("", CHAMP_NUMERO_MANDAT)
            and self.acteur not in ACTEURS_SYSTEME
            and self.cible not in STATUTS_DE_VALIDATION
        )


def _destinataire(user, facture):
    return habilitations.peut(
        user, Application.FACTURES_RECUES, Niveau.MODIFICATION, facture.destinataire, facture.service_destinataire
    )


def _fournisseur(user, facture):
    return habilitations.peut(user, Application.FACTURES_EMISES, Niveau.MODIFICATION, facture.fournisseur)


def _destinataire_substitue(user, facture):
    """The recipient steps in for its delegate at any time (S2); an A9/A12 validation is not the recipient's."""
    return facture.delegation_id is not None and _destinataire(user, facture)


def _valideur(user, structure_id, structure, service):
    if user is None or structure_id is None:
        return False
    return habilitations.peut(user, Application.VALIDATION, Niveau.MODIFICATION, structure, service)


def _valideur_1(user, facture):
    return _valideur(user, facture.valideur_1_id, facture.valideur_1, facture.service_valideur_1)


def _valideur_2(user, facture):
    return _valideur(user, facture.valideur_2_id, facture.valideur_2, facture.service_valideur_2)


def _valideur_delegue(user, facture):
    # A delegate with the « droit de traitement » processes the A1 invoice in the recipient's place (S2).
    return (
        facture.delegation_id is not None
        and facture.delegation.droit == DroitDelegation.TRAITEMENT
        and _valideur_1(user, facture)
    )


def _systeme(user, facture):
    return user is None


def _systeme_avec_valideur_2(user, facture):
    return user is None and facture.valideur_2_id is not None


def _systeme_sans_valideur_2(user, facture):
    return user is None and facture.valideur_2_id is None and facture.cadre not in CADRES_TRAVAUX


def _systeme_hors_travaux(user, facture):
    return user is None and facture.cadre not in CADRES_TRAVAUX


def _systeme_travaux(user, facture):
    return user is None and facture.cadre in CADRES_TRAVAUX


def _systeme_travaux_sans_valideur_2(user, facture):
    return _systeme_travaux(user, facture) and facture.valideur_2_id is None


AUTORISATIONS = {
    DESTINATAIRE: _destinataire,
    FOURNISSEUR: _fournisseur,
    VALIDEUR_DELEGUE: _valideur_delegue,
    VALIDEUR_1: _valideur_1,
    VALIDEUR_2: _valideur_2,
    SYSTEME: _systeme,
    SYSTEME_AVEC_VALIDEUR_2: _systeme_avec_valideur_2,
    SYSTEME_SANS_VALIDEUR_2: _systeme_sans_valideur_2,
    SYSTEME_HORS_TRAVAUX: _systeme_hors_travaux,
    SYSTEME_TRAVAUX: _systeme_travaux,
    SYSTEME_TRAVAUX_SANS_VALIDEUR_2: _systeme_travaux_sans_valideur_2,
}
ACTEURS_SYSTEME = frozenset(
    {
        SYSTEME,
        SYSTEME_AVEC_VALIDEUR_2,
        SYSTEME_SANS_VALIDEUR_2,
        SYSTEME_HORS_TRAVAUX,
        SYSTEME_TRAVAUX,
        SYSTEME_TRAVAUX_SANS_VALIDEUR_2,
    }
)
PREFIXES = {
    DESTINATAIRE: "",
    FOURNISSEUR: "",
    VALIDEUR_DELEGUE: "delegue:",
    VALIDEUR_1: "valideur1:",
    VALIDEUR_2: "valideur2:",
    SYSTEME: "systeme:",
    SYSTEME_AVEC_VALIDEUR_2: "systeme:",
    SYSTEME_SANS_VALIDEUR_2: "systeme:",
    SYSTEME_HORS_TRAVAUX: "systeme:",
    SYSTEME_TRAVAUX: "systeme:",
    SYSTEME_TRAVAUX_SANS_VALIDEUR_2: "systeme:",
}
ACTION_A_VALIDER = "traiterFactureAValider"


def _autorisation(acteur, texte_action):
    if acteur == DESTINATAIRE and texte_action.startswith(ACTION_A_VALIDER):
        return _destinataire_substitue
    return AUTORISATIONS[acteur]


def _code_action(texte):
    """'traiterFactureAValider action=REFUS' → 'REFUS'; 'recyclerFacture (Recycler)' → 'recyclerFacture'."""
    sous_action = re.search(r"action=(\w+)", texte)
    return sous_action.group(1) if sous_action else texte.split()[0]


def _libelle(texte, cible):
    entre_parentheses = re.search(r"\(([^)]+)\)", texte)
    return entre_parentheses.group(1) if entre_parentheses else StatutFacture(cible).label


def construire_transitions(lignes):
    groupes = {}
    for ligne in lignes:
        acteur, cible = ligne["acteur"], ligne["to_status"]
        nom = f"{PREFIXES[acteur]}{_code_action(ligne['action'])}:{cible}"
        # validations.csv names its labels; traitements_recus.csv gives them in the action's parentheses
        libelle = ligne.get("libelle") or _libelle(ligne["action"], cible)
        regle = (acteur, cible, ligne["motif_obligatoire"] == "yes", ligne.get("champ_requis", ""), libelle)
        groupe = groupes.setdefault(nom, {"regle": regle, "sources": [], "texte": ligne["action"]})
        if groupe["regle"] != regle:
            raise ValueError(f"Tables de traitement : règles différentes pour l'action {nom}.")
        groupe["sources"].append(StatutFacture(ligne["from_status"]))
    transitions = []
    for nom, groupe in groupes.items():
        acteur, cible, motif_requis, champ_requis, libelle = groupe["regle"]
        if len(nom) > 60:  # HistoriqueStatutBase.action
            raise ValueError(f"Tables de traitement : nom d'action trop long : {nom}.")
        transitions.append(
            TransitionFacture(
                action=nom,
                sources=frozenset(groupe["sources"]),
                cible=StatutFacture(cible),
                libelle=libelle,
                autorise=_autorisation(acteur, groupe["texte"]),
                motif_requis=motif_requis,
                acteur=acteur,
                champ_requis=champ_requis,
            )
        )
    return transitions


TRAITEMENTS = lire_table("traitements_recus.csv")
# The portal's own rows (traitements_recus.csv mirrors the reference table row for row): a works piece awaiting the
# supplier's recycling at the MOE's or the MOA's request (demanderRecyclagePiecePrecedente) is recycled as an
# A_RECYCLER invoice is; same columns, and a row with the same action joins its transition's starting statuses.
TRAITEMENTS_TRAVAUX = lire_table("traitements_recus_travaux.csv")
VALIDATIONS = lire_table("validations.csv")

FACTURE_WORKFLOW = Workflow(
    *construire_transitions(TRAITEMENTS + TRAITEMENTS_TRAVAUX),
    *construire_transitions(VALIDATIONS),
    historique=FactureHistorique,
    lien="facture",
    libelles=dict(StatutFacture.choices),
    champ_date="statut_depuis",
)

# corrigerValideurFacture (chorus-pro-api.md §2.1, features row 65): the supplier names another validator while the
# first level has not answered, or after a refusal for a wrong validator (statuts.csv ERREUR_FOURNISSEUR_SUR_VALIDEUR:
# « corrigeable via corrigerValideurFacture »). Written here rather than in a table: it is the one supplier action of
# the validators' circuit, and the tables above mirror the reference row for row.
ACTION_CORRIGER_VALIDEUR = "corrigerValideurFacture"
CHAMP_VALIDEUR = "identifiantStructure"


def _fournisseur_de_son_valideur(user, facture):
    # The supplier chose the A9/A12 validator; a delegate is the recipient's choice (row 62), not the supplier's.
    return (
        facture.cadre in CADRES_AVEC_VALIDEUR
        and facture.delegation_id is None
        and facture.valideur_1_id is not None
        and _fournisseur(user, facture)
    )


CORRECTION_VALIDEUR = TransitionFacture(
    action=ACTION_CORRIGER_VALIDEUR,
    sources=frozenset({StatutFacture.A_VALIDER_1, StatutFacture.ERREUR_FOURNISSEUR_SUR_VALIDEUR}),
    cible=StatutFacture.A_VALIDER_1,
    libelle="Corriger le valideur",
    autorise=_fournisseur_de_son_valideur,
    acteur=FOURNISSEUR,
    # the new validator is data of its own: never a target of facture_traiter
    champ_requis=CHAMP_VALIDEUR,
)

# Same status field, same history table and status date as FACTURE_WORKFLOW, but its own machine: the validators',
# delegates' and recipients' pages ask FACTURE_WORKFLOW.possibles() for their actions at A_VALIDER_1, and this
# supplier-only action would cost each of them one more rights query.
CORRECTION_VALIDEUR_WORKFLOW = Workflow(
    CORRECTION_VALIDEUR,
    historique=FactureHistorique,
    lien="facture",
    libelles=dict(StatutFacture.choices),
    champ_date="statut_depuis",
)


def transitions_vers(facture, statut_cible):
    """The processing transitions from the invoice's status to `statut_cible`, in the table's order."""
    return [
        t
        for t in FACTURE_WORKFLOW.transitions.values()
        if t.par_traitement and facture.statut in t.sources and t.cible == statut_cible
    ]


def statuts_cibles(facture, user):
    """The statuses `user` may give the invoice now (the answer of « recuperer/etats/traitement »)."""
    cibles = []
    for t in FACTURE_WORKFLOW.possibles(facture, user):
        if t.par_traitement and t.cible not in cibles:
            cibles.append(t.cible)
    return [StatutFacture(c) for c in cibles]
