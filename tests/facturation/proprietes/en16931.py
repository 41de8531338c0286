"""Une facture EN 16931 et ses totaux calculés comme la norme les définit, indépendamment du code du portail.

Les totaux (BT-106 à BT-117) sont recalculés ici à la main, d'après EN 16931-1 § 6.4 et les règles BR-CO-10 à
BR-CO-17, BR-S-08, BR-S-09 : le test ne peut pas se donner raison en réutilisant ce qu'il teste (facturation.calcul).

Décimales : les artefacts officiels (BR-DEC-*) n'acceptent que 2 décimales au plus pour tout montant, quelle que
soit la devise ; une devise à 3 décimales (KWD, TND) s'écrit donc au centième, une devise sans décimales (JPY) en
unités entières. `pas(devise)` est le plus petit écart qu'un montant du fichier puisse porter.
"""

import datetime
from dataclasses import dataclass, field, replace
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

# ISO 4217 : chiffres après la virgule de l'unité mineure.
DECIMALES_ISO_4217 = {"JPY": 0, "EUR": 2, "GBP": 2, "KWD": 3, "TND": 3}
DECIMALES_MAX_ARTEFACT = 2  # BR-DEC-01 à BR-DEC-28 : « the allowed maximum number of decimals … is 2 »
# BR-S-09, BR-CO-17 : le montant de TVA d'une ventilation peut s'écarter de moins d'une unité de devise de
# base × taux arrondi au centième (UBL comme CII : « abs(BT-117) − 1 < … and abs(BT-117) + 1 > … »).
TOLERANCE_TVA = Decimal(1)


def decimales(devise: str) -> int:
    return min(DECIMALES_ISO_4217[devise], DECIMALES_MAX_ARTEFACT)


def pas(devise: str) -> Decimal:
    return Decimal(1).scaleb(-decimales(devise))


def arrondir(montant: Decimal, devise: str) -> Decimal:
    # Les montants générés sont positifs : « half up » de Python y vaut le round() de XPath (vers +∞).
    return montant.quantize(pas(devise), rounding=ROUND_HALF_UP)


def centimes(montant: Decimal) -> Decimal:
    """L'arrondi au centième des règles du schematron : round(x * 100) div 100."""
    return montant.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class CategorieTva:
    code: str  # BT-151, BT-95, BT-102, BT-118
    taux: Decimal  # BT-152, BT-96, BT-103, BT-119
    motif_exoneration: str | None = None  # BT-120
    code_exoneration: str | None = None  # BT-121


@dataclass(frozen=True)
class RemiseOuFrais:
    """BG-27 / BG-28 sur une ligne (sans catégorie de TVA : celle de la ligne), BG-20 / BG-21 sur le document."""

    est_frais: bool  # ChargeIndicator
    montant: Decimal  # BT-136, BT-141, BT-92, BT-99
    motif: str  # BT-139, BT-144, BT-97, BT-104
    code_motif: str  # BT-140, BT-145, BT-98, BT-105 (UNTDID 5189 pour une remise, 7161 pour des frais)
    categorie: CategorieTva | None = None  # document seulement


@dataclass(frozen=True)
class Ligne:
    numero: str  # BT-126
    designation: str  # BT-153
    quantite: Decimal  # BT-129
    prix_net: Decimal  # BT-146
    categorie: CategorieTva
    remise: RemiseOuFrais | None = None  # BG-27
    frais: RemiseOuFrais | None = None  # BG-28


@dataclass(frozen=True)
class Ventilation:
    """BG-23, une par catégorie et taux."""

    categorie: CategorieTva
    base: Decimal  # BT-116
    montant: Decimal  # BT-117


@dataclass(frozen=True)
class Totaux:
    lignes: Decimal  # BT-106
    remises: Decimal  # BT-107
    frais: Decimal  # BT-108
    ht: Decimal  # BT-109
    tva: Decimal  # BT-110
    ttc: Decimal  # BT-112
    paye: Decimal | None  # BT-113
    arrondi: Decimal | None  # BT-114
    net_a_payer: Decimal  # BT-115


@dataclass(frozen=True)
class Facture:
    numero: str  # BT-1
    date: datetime.date  # BT-2
    devise: str  # BT-5
    siret_vendeur: str  # BT-29 / BT-30
    siret_acheteur: str  # BT-46 / BT-47
    lignes: tuple[Ligne, ...]
    remises_et_frais: tuple[RemiseOuFrais, ...] = ()  # BG-20, BG-21
    paye: Decimal | None = None  # BT-113
    # Pas d'arrondi du net à payer (BT-114) : None ; sinon le multiple auquel on l'arrondit (0,05 CHF, 10 JPY…).
    arrondi_a: Decimal | None = None
    # Ce que le calcul donnerait, remplacé pour un test de rejet (voir decaler) : {BT: montant}.
    forces: dict = field(default_factory=dict)

    @property
    def remises(self):
        return tuple(r for r in self.remises_et_frais if not r.est_frais)

    @property
    def frais(self):
        return tuple(r for r in self.remises_et_frais if r.est_frais)

    def montant_ligne(self, ligne: Ligne) -> Decimal:
        """BT-131 = BT-129 × BT-146 − BT-136 + BT-141 (prix pour une unité : pas de BT-149)."""
        montant = arrondir(ligne.quantite * ligne.prix_net, self.devise)
        if ligne.remise:
            montant -= ligne.remise.montant
        if ligne.frais:
            montant += ligne.frais.montant
        return montant

    def ventilations(self) -> tuple[Ventilation, ...]:
        bases: dict[CategorieTva, Decimal] = {}
        for ligne in self.lignes:
            bases[ligne.categorie] = bases.get(ligne.categorie, Decimal(0)) + self.montant_ligne(ligne)
        for element in self.remises_et_frais:
            signe = 1 if element.est_frais else -1
            bases[element.categorie] = bases.get(element.categorie, Decimal(0)) + signe * element.montant
        ventilations = []
        for categorie, base in bases.items():
            montant = arrondir(base * categorie.taux / 100, self.devise) if categorie.code == "S" else Decimal(0)
            ventilations.append(Ventilation(categorie, base, self.forces.get(("BT-117", categorie), montant)))
        return tuple(ventilations)

    def totaux(self) -> Totaux:
        f = self.forces
        lignes = sum((self.montant_ligne(ligne) for ligne in self.lignes), Decimal(0))
        remises = sum((r.montant for r in self.remises), Decimal(0))
        frais = sum((r.montant for r in self.frais), Decimal(0))
        ht = f.get("BT-109", lignes - remises + frais)
        tva = f.get("BT-110", sum((v.montant for v in self.ventilations()), Decimal(0)))
        ttc = f.get("BT-112", ht + tva)
        du = ttc - (self.paye or 0)
        arrondi = None
        if self.arrondi_a is not None:
            arrondi = (du / self.arrondi_a).quantize(Decimal(1), rounding=ROUND_HALF_UP) * self.arrondi_a - du
        net = f.get("BT-115", du + (arrondi or 0))
        return Totaux(lignes, remises, frais, ht, tva, ttc, self.paye, arrondi, net)


# --- Décalages : la même facture, un total faux ------------------------------------------------------------------

# Le total décalé seul, et la règle de l'artefact qui le rattache à ce dont il se calcule (tolérance nulle).
REGLE_DU_TOTAL = {
    "BT-109": "BR-CO-13",  # BT-109 = BT-106 − BT-107 + BT-108
    "BT-110": "BR-CO-14",  # BT-110 = Σ BT-117
    "BT-112": "BR-CO-15",  # BT-112 = BT-109 + BT-110
    "BT-115": "BR-CO-16",  # BT-115 = BT-112 − BT-113 + BT-114
}
REGLE_TVA_NULLE = {"Z": "BR-Z-09", "E": "BR-E-09", "AE": "BR-AE-09"}  # BT-117 = 0, sans tolérance


def decaler(facture: Facture, bt: str, ecart: Decimal) -> Facture:
    """La facture dont le total `bt` (BT-109, BT-110, BT-112 ou BT-115) vaut `ecart` de plus que le calcul.

    Les totaux qui s'en calculent suivent (BT-109 décalé : BT-112 et BT-115 aussi) : une seule règle est fausse,
    celle qui relie `bt` à ce dont il se calcule (REGLE_DU_TOTAL)."""
    valeur = getattr(facture.totaux(), {"BT-109": "ht", "BT-110": "tva", "BT-112": "ttc", "BT-115": "net_a_payer"}[bt])
    return replace(facture, forces={**facture.forces, bt: valeur + ecart})


def decalages(facture: Facture):
    """(BT, règle, écart) : chaque total décalé d'un pas de la devise, vers le haut puis vers le bas.

    Un BT-112 égal à BT-109 n'est pas essayé : la BR-CO-15 du schematron CII accepte aussi « BT-112 = BT-109 » quel
    que soit BT-110 (une facture sans TVA), si bien qu'un BT-112 abaissé d'un pas quand BT-110 vaut un pas passe en
    CII et pas en UBL."""
    totaux = facture.totaux()
    for bt, regle in REGLE_DU_TOTAL.items():
        for ecart in (pas(facture.devise), -pas(facture.devise)):
            if not (bt == "BT-112" and totaux.ttc + ecart == totaux.ht):
                yield bt, regle, ecart


def ventilation_temoin(facture: Facture) -> Ventilation:
    """La ventilation dont on décale BT-117 : la première au taux normal (S) s'il y en a une."""
    ventilations = facture.ventilations()
    return next((v for v in ventilations if v.categorie.code == "S"), ventilations[0])


def regle_tva(ventilation: Ventilation) -> str:
    return "BR-S-09" if ventilation.categorie.code == "S" else REGLE_TVA_NULLE[ventilation.categorie.code]


def ecarts_tva_limites(facture: Facture, ventilation: Ventilation) -> tuple[Decimal, Decimal]:
    """(le plus grand décalage de BT-117 que l'artefact accepte encore, le premier qu'il refuse), vers le haut.

    BR-S-09 compare BT-117 à round(BT-116 × BT-119) div 100 avec une tolérance strictement inférieure à une unité ;
    le montant du fichier en est déjà écarté de l'arrondi à la devise (JPY : jusqu'à 0,5). Z, E, AE : 0 exactement.
    """
    unite = pas(facture.devise)
    if ventilation.categorie.code != "S":
        return Decimal(0), unite
    exact = centimes(ventilation.base * ventilation.categorie.taux / 100)
    premier_refuse = ((TOLERANCE_TVA + exact - ventilation.montant) / unite).quantize(
        Decimal(1), rounding=ROUND_CEILING
    ) * unite
    return premier_refuse - unite, premier_refuse


def decaler_tva(facture: Facture, ventilation: Ventilation, ecart: Decimal) -> Facture:
    """BT-117 de `ventilation` décalé de `ecart`, et les totaux qui en découlent (BT-110, BT-112, BT-115) recalculés :
    seule la tolérance de BR-S-09 (ou BT-117 = 0 pour Z, E, AE) est en jeu."""
    return replace(facture, forces={**facture.forces, ("BT-117", ventilation.categorie): ventilation.montant + ecart})
