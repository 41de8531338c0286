"""Who may deposit which works piece, how, and where it goes: the deck's support matrix (facturation/regles/cadres.csv)
and the chain of the two flows (travaux/regles/enchainements.csv).

Both tables are read once at import; the services and the pages ask here, so a cadre's rule is written in one place.
"""

import csv
from dataclasses import dataclass
from pathlib import Path

from facturation.enums import StatutFacture, lire_table
from travaux.enums import CanalDepot, RoleTravaux, TypeDepot

_CADRES = {ligne["code"]: ligne for ligne in lire_table("cadres.csv") if ligne["famille"] == "travaux"}

CADRES_TRAVAUX = tuple(_CADRES)

# Issue #5 and FEAT #68; the test checks it against the « deposant » column of cadres.csv.
CADRES_PAR_ROLE = {
    RoleTravaux.FOURNISSEUR: ("A4", "A5", "A6", "A7", "A8", "A22", "A23"),
    RoleTravaux.SOUS_TRAITANT: ("A10", "A11"),
    RoleTravaux.COTRAITANT: ("A13", "A14"),
    RoleTravaux.MOE: ("A15", "A16", "A17", "A18", "A24"),
    RoleTravaux.MOA: ("A19", "A20", "A25"),
}

ROLE_DU_CADRE = {cadre: role for role, cadres in CADRES_PAR_ROLE.items() for cadre in cadres}

# The roles acting for the invoice's supplier; the MOE and the MOA act for the dossier's MOE and MOA.
ROLES_COTE_FOURNISSEUR = frozenset({RoleTravaux.FOURNISSEUR, RoleTravaux.SOUS_TRAITANT, RoleTravaux.COTRAITANT})

# Who validates the piece of a sub-contractor or a co-contractor before it goes to the MOE (S3, « Cas particulier :
# sous-traitance et cotraitance »): the titulaire of the contract, or the mandataire of a groupement conjoint (« le
# mandataire valide les pièces »). A sub-contractor of a co-contractor has two levels: its titulaire, then the
# mandataire (features row 36). A groupement solidaire needs none of this: its mandataire deposits one A4 for all.
VALIDEUR_DU_CADRE = {
    "A10": "du titulaire du marché",
    "A11": "du titulaire du marché",
    "A13": "du mandataire du groupement",
    "A14": "du mandataire du groupement",
}
CADRES_AVEC_SECOND_VALIDEUR = frozenset({"A10", "A11"})

_PAR_CANAL = {
    CanalDepot.EDI: "par EDI",
    CanalDepot.PORTAIL: "sur le portail",
    CanalDepot.SERVICE: "par le service (API)",
}


def cellule(cadre, canal, type_depot):
    """The matrix cell: "yes", "no" or "na" (the deposit type does not exist for this cadre)."""
    return _CADRES[cadre][f"{CanalDepot(canal).value}_{TypeDepot(type_depot).value}"]


def controler_depot(cadre, role, canal, type_depot):
    """Every reason this actor may not deposit `cadre` through `canal` as `type_depot`, in French (empty: allowed)."""
    if cadre not in _CADRES:
        return [f"Le cadre {cadre} n'est pas un cadre de facturation de travaux."]
    role, canal, type_depot = RoleTravaux(role), CanalDepot(canal), TypeDepot(type_depot)
    erreurs = []
    if ROLE_DU_CADRE[cadre] != role:
        erreurs.append(
            f"Le cadre {cadre} n'est pas proposé au déposant « {role.label} » : "
            f"il est réservé au déposant « {ROLE_DU_CADRE[cadre].label} »."
        )
    valeur = cellule(cadre, canal, type_depot)
    if valeur == "na":
        if type_depot == TypeDepot.INITIAL:
            erreurs.append(f"Le cadre {cadre} ne se dépose qu'à partir d'une pièce existante dans Chorus Pro.")
        else:
            erreurs.append(f"Le cadre {cadre} ne se dépose qu'en dépôt initial.")
    elif valeur != "yes":
        if type_depot == TypeDepot.INITIAL:
            erreurs.append(f"Le cadre {cadre} ne peut pas être déposé {_PAR_CANAL[canal]}.")
        else:
            erreurs.append(
                f"Le cadre {cadre} ne peut pas être déposé {_PAR_CANAL[canal]} à partir d'une pièce existante "
                "dans Chorus Pro."
            )
    return erreurs


@dataclass(frozen=True)
class Enchainement:
    """One row of enchainements.csv: a deposit of `cadre`, after a piece of cadre `precedente` (association) or
    not (initial), and the statuses it gives."""

    cadre: str
    type_depot: TypeDepot
    precedente: str
    statuts_precedente: frozenset
    statut_piece: str
    statut_precedente: str


def _lire_enchainements():
    with open(Path(__file__).resolve().parent / "regles" / "enchainements.csv", encoding="utf-8", newline="") as f:
        lignes = list(csv.DictReader(f))
    enchainements = []
    for ligne in lignes:
        statuts = frozenset(ligne["statuts_precedente"].split())
        for statut in statuts | {ligne["statut_piece"]} | ({ligne["statut_precedente"]} - {""}):
            StatutFacture(statut)  # a typo in the table fails at import, not at a user's deposit
        enchainements.append(
            Enchainement(
                cadre=ligne["cadre"],
                type_depot=TypeDepot(ligne["type_depot"]),
                precedente=ligne["precedente"],
                statuts_precedente=statuts,
                statut_piece=ligne["statut_piece"],
                statut_precedente=ligne["statut_precedente"],
            )
        )
    return tuple(enchainements)


ENCHAINEMENTS = _lire_enchainements()


def enchainement_initial(cadre):
    """The row of an initial deposit of `cadre`, or None when the cadre is never deposited first."""
    return next((e for e in ENCHAINEMENTS if e.cadre == cadre and e.type_depot == TypeDepot.INITIAL), None)


def enchainements_association(cadre):
    """The rows of `cadre` deposited from an existing piece: one per cadre it may follow."""
    return [e for e in ENCHAINEMENTS if e.cadre == cadre and e.type_depot == TypeDepot.ASSOCIATION]


def enchainement_association(cadre, precedente):
    return next((e for e in enchainements_association(cadre) if e.precedente == precedente), None)
