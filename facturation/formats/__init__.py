"""Lecture des factures électroniques (Factur-X, CII, UBL) vers le modèle neutre EN 16931."""

from facturation.formats.erreurs import FormatInvalide
from facturation.formats.lecture import lire
from facturation.formats.modele import FactureNeutre, LigneNeutre, Partie, Totaux, VentilationTva

__all__ = ["FactureNeutre", "FormatInvalide", "LigneNeutre", "Partie", "Totaux", "VentilationTva", "lire"]
