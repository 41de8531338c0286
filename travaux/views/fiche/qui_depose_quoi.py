"""« Qui dépose quoi ? » of the Fiche d'identité du marché (S3): for each actor, the cadres it deposits, the piece
each one follows and is followed by in the chain, and the channels where it may be deposited. Read from the rules the
deposit enforces (travaux.regles), so the fiche never promises what a deposit would refuse."""

from dataclasses import dataclass

from facturation.enums import CadreFacturation
from travaux import regles
from travaux.enums import CanalDepot, RoleTravaux, TypeDepot

# The order the deck's matrix reads in the fiche: portal first, then the API, then EDI.
CANAUX = (CanalDepot.PORTAIL, CanalDepot.SERVICE, CanalDepot.EDI)


@dataclass(frozen=True)
class LigneCadre:
    code: str
    libelle: str
    depot_initial: bool
    suit: tuple
    suivie_par: tuple
    canaux: tuple  # (channel label, the deposit types allowed there) in CANAUX order


def _types_autorises(cadre, role, canal):
    return tuple(
        type_depot.label
        for type_depot in (TypeDepot.INITIAL, TypeDepot.ASSOCIATION)
        if not regles.controler_depot(cadre, role, canal, type_depot)
    )


def _suivantes(cadre):
    return tuple(sorted({e.cadre for e in regles.ENCHAINEMENTS if e.precedente == cadre}, key=_rang))


def _rang(cadre):
    return int(cadre[1:])


def lignes_du_role(role):
    role = RoleTravaux(role)
    return [
        LigneCadre(
            code=cadre,
            libelle=CadreFacturation(cadre).label,
            depot_initial=regles.enchainement_initial(cadre) is not None,
            suit=tuple(sorted((e.precedente for e in regles.enchainements_association(cadre)), key=_rang)),
            suivie_par=_suivantes(cadre),
            canaux=tuple((canal.label, _types_autorises(cadre, role, canal)) for canal in CANAUX),
        )
        for cadre in regles.CADRES_PAR_ROLE[role]
    ]
