"""The amounts of an invoice from its lines, rounded to the currency (chorus-pro-features.md rows 30, 51).

One place computes them, so the web form, the deposit service and the Factur-X writer agree to the cent (to the unit
in XPF): line HT = quantité × prix unitaire − remise; VAT per rate on the sum of the bases.

The « remise globale » is entered as ONE amount including VAT, as on Chorus Pro's form. EN 16931 has no TTC
discount: it knows document-level allowances (BG-20), each an HT amount with its VAT rate, that reduce the base of
that rate (BR-CO-16, BR-S-08). So the TTC discount is spread over the rates pro rata of their bases (the same
fraction remise / TTC of each base), each share rounded to the currency, and the VAT of each rate recomputed on the
reduced base. The highest rate (the last one) takes the rounding remainder: its share is chosen so that the TTC
falls by exactly the amount entered; when a VAT rounding step makes that cent unreachable, one earlier share is moved
by one unit and the last one chosen again. When no split can do it (one rate only, say 0,03 € off 100 € HT at 20 %:
0,02 € HT lowers the TTC by 0,02 €, 0,03 € HT by 0,04 €), the TTC falls by the closest reachable amount, one smallest
unit of the currency away, below the amount entered rather than above; Totaux.remise_ttc_appliquee says by how much.
Then total TTC = Σ reduced bases + VAT, and net à payer = total TTC − montant déjà payé (BT-113).
"""

from dataclasses import dataclass
from decimal import Decimal

from facturation.enums import arrondir, decimales


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
    base_ht: Decimal  # BT-116: the lines of this rate less their share of the global discount
    montant_tva: Decimal  # BT-117
    remise_ht: Decimal = Decimal(0)  # BT-92: this rate's share of the global discount, HT
    categorie: str = ""  # the web form knows the rate; the category follows the invoice's type de TVA
    frais_ht: Decimal = Decimal(0)  # the web form has no document-level charge (BG-21)

    @property
    def base_lignes_ht(self):
        return self.base_ht + self.remise_ht


@dataclass(frozen=True)
class Totaux:
    lignes: tuple[LigneCalculee, ...]
    ventilation: tuple[VentilationCalculee, ...]
    total_ht: Decimal  # BT-109, after the global discount
    total_tva: Decimal  # BT-110
    total_ttc: Decimal  # BT-112, after the global discount
    remise_globale: Decimal  # the TTC amount entered
    net_a_payer: Decimal  # BT-115
    total_lignes_ht: Decimal = Decimal(0)  # BT-106
    total_remises_ht: Decimal = Decimal(0)  # BT-107
    ttc_avant_remise: Decimal = Decimal(0)
    montant_paye_avance: Decimal = Decimal(0)  # BT-113

    @property
    def remise_ttc_appliquee(self):
        """The TTC reduction the allowances really make: the amount entered, or one smallest unit from it."""
        return self.ttc_avant_remise - self.total_ttc

    @property
    def remise_excessive(self):
        """A discount larger than the invoice: no allowance can make it, a deposit refuses it."""
        return self.remise_globale > 0 and self.remise_globale > max(self.ttc_avant_remise, Decimal(0))


def montant_ligne(quantite, prix_unitaire_ht, remise, devise):
    return arrondir(Decimal(quantite) * Decimal(prix_unitaire_ht) - Decimal(remise or 0), devise)


def _tva(base, taux, devise):
    return arrondir(base * taux / 100, devise)


def repartir_remise(bases, remise_ttc, devise):
    """The HT allowance of each (taux, base) of `bases` (in order) making a TTC reduction of `remise_ttc`."""
    ttc = sum((base + _tva(base, taux, devise) for taux, base in bases), Decimal(0))
    if not bases or remise_ttc <= 0 or ttc <= 0 or remise_ttc > ttc:
        return [Decimal(0)] * len(bases)
    unite = Decimal(1).scaleb(-decimales(devise))

    def reduction(taux, base, part):
        return part + _tva(base, taux, devise) - _tva(base - part, taux, devise)

    def derniere(parts):
        """The last rate's share closest to the remainder, and how far the TTC reduction is from the target."""
        taux, base = bases[-1]
        cible = remise_ttc - sum((reduction(t, b, p) for (t, b), p in zip(bases, parts, strict=False)), Decimal(0))
        depart = arrondir(cible * 100 / (100 + taux), devise)
        # Each unit of HT moves the reduction by one or two units (a VAT rounding step): three units around suffice.
        candidats = [depart + k * unite for k in range(-3, 4)]
        part = min(
            candidats,
            key=lambda p: (abs(reduction(taux, base, p) - cible), reduction(taux, base, p) > cible, abs(p - depart)),
        )
        return part, abs(reduction(taux, base, part) - cible)

    prorata = [arrondir(base * remise_ttc / ttc, devise) for _taux, base in bases[:-1]]
    # The pro rata shares first; when a VAT rounding step keeps the last rate from the exact amount, one unit moved on
    # one earlier share usually makes it exact.
    variantes = [prorata] + [
        prorata[:i] + [prorata[i] + delta] + prorata[i + 1 :] for i in range(len(prorata)) for delta in (unite, -unite)
    ]
    meilleure = None
    for parts in variantes:
        part, ecart = derniere(parts)
        if ecart == 0:
            return [*parts, part]
        if meilleure is None:
            meilleure = [*parts, part]
    return meilleure


def calculer(lignes, devise, remise_globale=0, montant_paye_avance=0):
    """`lignes`: iterable of objects or dicts with quantite, prix_unitaire_ht, remise, taux_tva.

    `remise_globale`: the TTC discount entered; `montant_paye_avance`: BT-113, deducted from the TTC to pay."""
    calculees = []
    for ligne in lignes:
        valeur = ligne.get if isinstance(ligne, dict) else lambda nom, defaut=None, ligne=ligne: getattr(ligne, nom)
        quantite, prix = Decimal(valeur("quantite")), Decimal(valeur("prix_unitaire_ht"))
        remise, taux = Decimal(valeur("remise", 0) or 0), Decimal(valeur("taux_tva"))
        calculees.append(LigneCalculee(quantite, prix, remise, taux, montant_ligne(quantite, prix, remise, devise)))
    bases = {}
    for ligne in calculees:
        bases[ligne.taux_tva] = bases.get(ligne.taux_tva, Decimal(0)) + ligne.montant_ht
    bases = sorted(bases.items())
    remise_globale = arrondir(Decimal(remise_globale or 0), devise)
    parts = repartir_remise(bases, remise_globale, devise)
    ventilation = tuple(
        VentilationCalculee(taux, base - part, _tva(base - part, taux, devise), part)
        for (taux, base), part in zip(bases, parts, strict=True)
    )
    total_lignes_ht = arrondir(sum((base for _taux, base in bases), Decimal(0)), devise)
    ttc_avant_remise = total_lignes_ht + sum((_tva(base, taux, devise) for taux, base in bases), Decimal(0))
    total_ht = arrondir(sum((v.base_ht for v in ventilation), Decimal(0)), devise)
    total_tva = arrondir(sum((v.montant_tva for v in ventilation), Decimal(0)), devise)
    total_ttc = total_ht + total_tva
    paye = arrondir(Decimal(montant_paye_avance or 0), devise)
    return Totaux(
        lignes=tuple(calculees),
        ventilation=ventilation,
        total_ht=total_ht,
        total_tva=total_tva,
        total_ttc=total_ttc,
        remise_globale=remise_globale,
        net_a_payer=total_ttc - paye,
        total_lignes_ht=total_lignes_ht,
        total_remises_ht=arrondir(sum(parts, Decimal(0)), devise),
        ttc_avant_remise=ttc_avant_remise,
        montant_paye_avance=paye,
    )
