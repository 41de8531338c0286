from organisation.models.comptes import LienUnique, Utilisateur
from organisation.models.second_facteur import CodeCourriel
from organisation.models.structures import (
    Habilitation,
    Rattachement,
    Service,
    Structure,
    StructureHistorique,
)

__all__ = [
    "CodeCourriel",
    "Habilitation",
    "LienUnique",
    "Rattachement",
    "Service",
    "Structure",
    "StructureHistorique",
    "Utilisateur",
]
