from organisation.models.comptes import LienUnique, Utilisateur
from organisation.models.coordonnees import CoordonneeBancaire, MandatFacturation, PieceJointeStructure
from organisation.models.pigp import ComptePigp
from organisation.models.second_facteur import CodeCourriel
from organisation.models.structures import (
    DemandeHabilitation,
    Habilitation,
    Rattachement,
    Service,
    Structure,
    StructureHistorique,
)

__all__ = [
    "CodeCourriel",
    "ComptePigp",
    "CoordonneeBancaire",
    "DemandeHabilitation",
    "Habilitation",
    "LienUnique",
    "MandatFacturation",
    "PieceJointeStructure",
    "Rattachement",
    "Service",
    "Structure",
    "StructureHistorique",
    "Utilisateur",
]
