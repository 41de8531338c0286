"""The amounts of an invoice from its lines, rounded to the currency (chorus-pro-features.md rows 30, 51).

One place computes them, so the web form, the deposit service and the Factur-X writer agree to the cent (to the unit
in XPF): line HT = quantité × prix unitaire − remise; VAT per rate on the sum of the bases; net à payer = TTC − remise
globale.
"""

from dataclasses import dataclass
from decimal import Decimal

from facturation.enums import arrondir


@dataclass(frozen=True)
class LigneCalculee:
    quantite: Decimal
    prix_unitaire_ht: Decimal
    remise: Decimal
    taux_tva: Decimal
    montant_ht: Decimal


@dataclass(frozen=True)
class VentilationCalculee:
    taux: Decimal
    base_ht: Decimal
    montant_tva: Decimal


@dataclass(frozen=True)
class Totaux:
    lignes: tuple[LigneCalculee, ...]
    ventilation: tuple[VentilationCalculee, ...]
    total_ht: Decimal
    total_tva: Decimal
    total_ttc: Decimal
    remise_globale: Decimal
    net_a_payer: Decimal


def montant_ligne(quantite, prix_unitaire_ht, remise, devise):
    return arrondir(Decimal(quantite) * Decimal(prix_unitaire_ht) - Decimal(remise or 0), devise)


def calculer(lignes, devise, remise_globale=0):
    """`lignes`: iterable of objects or dicts with quantite, prix_unitaire_ht, remise, taux_tva."""
    calculees = []
    for ligne in lignes:
        valeur = ligne.get if isinstance(ligne, dict) else lambda nom, defaut=None, ligne=ligne: getattr(ligne, nom)
        quantite, prix = Decimal(valeur("quantite")), Decimal(valeur("prix_unitaire_ht"))
        remise, taux = Decimal(valeur("remise", 0) or 0), Decimal(valeur("taux_tva"))
        calculees.append(LigneCalculee(quantite, prix, remise, taux, montant_ligne(quantite, prix, remise, devise)))
    bases = {}
    for ligne in calculees:
        bases[ligne.taux_tva] = bases.get(ligne.taux_tva, Decimal(0)) + ligne.montant_ht
    ventilation = tuple(
        VentilationCalculee(taux, base, arrondir(base * taux / 100, devise)) for taux, base in sorted(bases.items())
    )
    total_ht = arrondir(sum((v.base_ht for v in ventilation), Decimal(0)), devise)
    total_tva = arrondir(sum((v.montant_tva for v in ventilation), Decimal(0)), devise)
    total_ttc = total_ht + total_tva
    remise_globale = arrondir(Decimal(remise_globale or 0), devise)
    return Totaux(
        lignes=tuple(calculees),
        ventilation=ventilation,
        total_ht=total_ht,
        total_tva=total_tva,
        total_ttc=total_ttc,
        remise_globale=remise_globale,
        net_a_payer=total_ttc - remise_globale,
    )
