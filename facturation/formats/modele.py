"""Modèle neutre d'une facture, d'après le modèle sémantique EN 16931 (numéros BT en commentaire).

Les champs absents du document valent None (ou un tuple vide) : la lecture ne juge pas, la validation
(XSD, règles EN 16931, règles Chorus Pro) dit ensuite ce qui manque.
"""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal

from chorus.chiffres import que_des_chiffres

SCHEMA_SIRET = "0009"
SCHEMA_SIREN_OU_SIRET = "0002"


@dataclass(frozen=True)
class Identifiant:
    valeur: str
    schema: str | None = None

    def __str__(self) -> str:
        return f"{self.schema}:{self.valeur}" if self.schema else self.valeur


@dataclass(frozen=True)
class Partie:
    nom: str | None = None
    # Choisi dans l'ordre de préférence du corpus (identifiant légal d'abord), écrit « schéma:valeur ».
    identifiant: str | None = None
    siret: str | None = None
    tva: str | None = None
    pays: str | None = None  # BT-40 / BT-55
    identifiants: tuple[Identifiant, ...] = ()
    # Adresse postale (BG-5 vendeur, BG-8 acheteur).
    adresse: str | None = None  # BT-35 / BT-50
    complement_1: str | None = None  # BT-36 / BT-51
    complement_2: str | None = None  # BT-162 / BT-163
    code_postal: str | None = None  # BT-38 / BT-53
    ville: str | None = None  # BT-37 / BT-52


@dataclass(frozen=True)
class LigneNeutre:
    id: str | None = None  # BT-126
    designation: str | None = None  # BT-153
    quantite: Decimal | None = None  # BT-129
    unite: str | None = None  # BT-130
    prix_unitaire_ht: Decimal | None = None  # BT-146
    montant_ht: Decimal | None = None  # BT-131
    taux_tva: Decimal | None = None  # BT-152
    categorie_tva: str | None = None  # BT-151
    reference_vendeur: str | None = None  # BT-155
    # EXTENDED (CII LineStatusReasonCode): a « GROUP » line totals its sub-lines and an « INFORMATION » line is only
    # shown; the EXTENDED schematron sums only the lines without a status or « DETAIL » (BR-FXEXT-CO-10).
    statut: str | None = None
    ligne_parente: str | None = None  # EXTENDED ParentLineID
    # The line's VAT exemption reason (CII EXTENDED BT-X-96 / BT-X-97, UBL ClassifiedTaxCategory): the EXTENDED
    # schematrons sum a VAT category's base over the lines with the breakdown's reason (BR-FXEXT-S-08rev…).
    motif_exoneration: str | None = None
    code_exoneration: str | None = None

    @property
    def compte_dans_totaux(self) -> bool:
        return not self.statut or self.statut.upper() == "DETAIL"


@dataclass(frozen=True)
class VentilationTva:
    categorie: str | None = None  # BT-118
    taux: Decimal | None = None  # BT-119
    base: Decimal | None = None  # BT-116
    montant: Decimal | None = None  # BT-117
    motif_exoneration: str | None = None  # BT-120
    code_exoneration: str | None = None  # BT-121


@dataclass(frozen=True)
class RemiseDocument:
    """BG-20, a document-level allowance: it reduces the VAT base of its category and rate."""

    montant: Decimal | None = None  # BT-92
    categorie_tva: str | None = None  # BT-95
    taux_tva: Decimal | None = None  # BT-96
    motif: str | None = None  # BT-97
    code_motif: str | None = None  # BT-98
    motif_exoneration: str | None = None  # BT-173 (EXTENDED-CTC-FR)
    code_exoneration: str | None = None  # BT-174


@dataclass(frozen=True)
class FraisDocument:
    """BG-21, a document-level charge: it raises the VAT base of its category and rate."""

    montant: Decimal | None = None  # BT-99
    categorie_tva: str | None = None  # BT-102
    taux_tva: Decimal | None = None  # BT-103
    motif: str | None = None  # BT-104
    code_motif: str | None = None  # BT-105
    motif_exoneration: str | None = None  # BT-175 (EXTENDED-CTC-FR)
    code_exoneration: str | None = None  # BT-176


@dataclass(frozen=True)
class FraisLogistique:
    """EXTENDED CII SpecifiedLogisticsServiceCharge: counted in BT-108 and in the base of its VAT category."""

    montant: Decimal | None = None  # BT-X-272
    categorie_tva: str | None = None  # BT-X-273
    taux_tva: Decimal | None = None  # BT-X-274
    motif_exoneration: str | None = None  # BT-X-591
    code_exoneration: str | None = None  # BT-X-592


@dataclass(frozen=True)
class Paiement:
    """BG-16 (moyen de paiement) with BG-17 (virement) when the means is a credit transfer."""

    code: str | None = None  # BT-81, UNTDID 4461
    iban: str | None = None  # BT-84
    titulaire: str | None = None  # BT-85
    bic: str | None = None  # BT-86


@dataclass(frozen=True)
class Totaux:
    total_ht: Decimal | None = None  # BT-109
    total_tva: Decimal | None = None  # BT-110
    total_ttc: Decimal | None = None  # BT-112
    net_a_payer: Decimal | None = None  # BT-115
    total_lignes_ht: Decimal | None = None  # BT-106
    total_remises: Decimal | None = None  # BT-107
    total_frais: Decimal | None = None  # BT-108
    paye_avance: Decimal | None = None  # BT-113
    arrondi: Decimal | None = None  # BT-114


@dataclass(frozen=True)
class FactureNeutre:
    numero: str | None = None  # BT-1
    date: datetime.date | None = None  # BT-2
    type_code: str | None = None  # BT-3
    devise: str | None = None  # BT-5
    cadre: str | None = None  # BT-24
    reference_acheteur: str | None = None  # BT-10, le « code service » de Chorus Pro
    engagement: str | None = None  # BT-13
    marche: str | None = None  # BT-12
    vendeur: Partie = Partie()
    acheteur: Partie = Partie()
    lignes: tuple[LigneNeutre, ...] = ()
    ventilation_tva: tuple[VentilationTva, ...] = ()
    remises: tuple[RemiseDocument, ...] = ()
    frais: tuple[FraisDocument, ...] = ()
    # EXTENDED CII only: logistics charges (SpecifiedLogisticsServiceCharge, counted in BT-108 by BR-CO-12) and
    # financial adjustments (SpecifiedFinancialAdjustment, counted in BT-115 by BR-FXEXT-CO-16).
    frais_logistiques: tuple[FraisLogistique, ...] = ()
    ajustements_financiers: tuple[Decimal, ...] = ()
    totaux: Totaux = Totaux()
    conditions_paiement: str | None = None  # BT-20
    echeance: datetime.date | None = None  # BT-9
    paiement: Paiement | None = None
    note: str | None = None  # BT-22
    facture_origine: str | None = None  # BT-25
    # Valeurs présentes mais illisibles (montant non décimal…), à rapporter avec les erreurs de validation.
    anomalies: tuple[str, ...] = ()


def choisir_siret(identifiants: tuple[Identifiant, ...]) -> str | None:
    """Le schéma 0002 porte un SIREN (9 chiffres) ou un SIRET (14) : seul le second désigne un établissement."""
    for ident in identifiants:
        valeur = re.sub(r"\s", "", ident.valeur)
        if ident.schema == SCHEMA_SIRET and que_des_chiffres(valeur) and len(valeur) == 14:
            return valeur
        if ident.schema == SCHEMA_SIREN_OU_SIRET and que_des_chiffres(valeur) and len(valeur) == 14:
            return valeur
    return None
