"""The processing of an invoice as data: facturation/regles/traitements_recus.csv, one row per (from, to, actor).

Rows sharing the same API action, target status and actor become one Transition whose sources are their starting
statuses. The table's `champ_requis` stays on the transition: facture_traiter supplies the mandate number itself,
the other fields belong to dedicated operations (recycler, compléter, traiter le rejet).
"""

import re
from dataclasses import dataclass

from chorus.workflow import Transition, Workflow
from facturation.enums import StatutFacture, lire_table
from facturation.models import FactureHistorique
from organisation import habilitations
from organisation.enums import Application, Niveau

CHAMP_NUMERO_MANDAT = "numeroDPMandat"

DESTINATAIRE = "destinataire"
FOURNISSEUR = "fournisseur"
VALIDEUR_DELEGUE = "valideur delegue traitement"


@dataclass(frozen=True)
class TransitionFacture(Transition):
    acteur: str = ""
    # the table's text, e.g. "numeroDPMandat"; empty when the action needs nothing more than the status
    champ_requis: str = ""

    @property
    def par_traitement(self):
        """Whether facture_traiter can apply it: no other data than a motif and, for MANDATEE, the mandate number."""
        return self.champ_requis in ("", CHAMP_NUMERO_MANDAT)


def _destinataire(user, facture):
    return habilitations.peut(
        user, Application.FACTURES_RECUES, Niveau.MODIFICATION, facture.destinataire, facture.service_destinataire
    )


def _fournisseur(user, facture):
    return habilitations.peut(user, Application.FACTURES_EMISES, Niveau.MODIFICATION, facture.fournisseur)


def _valideur_delegue(user, facture):
    # Nobody yet: the delegation of processing to a validator is not modelled, so these rows stay closed until it is.
    return False


AUTORISATIONS = {DESTINATAIRE: _destinataire, FOURNISSEUR: _fournisseur, VALIDEUR_DELEGUE: _valideur_delegue}
PREFIXES = {DESTINATAIRE: "", FOURNISSEUR: "", VALIDEUR_DELEGUE: "delegue:"}


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
        regle = (acteur, cible, ligne["motif_obligatoire"] == "yes", ligne["champ_requis"], ligne["action"])
        groupe = groupes.setdefault(nom, {"regle": regle, "sources": []})
        if groupe["regle"] != regle:
            raise ValueError(f"traitements_recus.csv : règles différentes pour l'action {nom}.")
        groupe["sources"].append(StatutFacture(ligne["from_status"]))
    transitions = []
    for nom, groupe in groupes.items():
        acteur, cible, motif_requis, champ_requis, texte = groupe["regle"]
        if len(nom) > 60:  # HistoriqueStatutBase.action
            raise ValueError(f"traitements_recus.csv : nom d'action trop long : {nom}.")
        transitions.append(
            TransitionFacture(
                action=nom,
                sources=frozenset(groupe["sources"]),
                cible=StatutFacture(cible),
                libelle=_libelle(texte, cible),
                autorise=AUTORISATIONS[acteur],
                motif_requis=motif_requis,
                acteur=acteur,
                champ_requis=champ_requis,
            )
        )
    return transitions


TRAITEMENTS = lire_table("traitements_recus.csv")

FACTURE_WORKFLOW = Workflow(
    *construire_transitions(TRAITEMENTS),
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
