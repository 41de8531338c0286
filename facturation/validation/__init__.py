"""Validation en couches des factures électroniques (XML bien formé, XSD, règles EN 16931)."""

from facturation.validation.couches import Anomalie, Rapport, valider

__all__ = ["Anomalie", "Rapport", "valider"]
