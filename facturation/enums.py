"""Codes of the invoicing domain.

The status and frame lists are the project's own tables (facturation/regles/*.csv, taken from the Chorus Pro
reference): the enums are built from them at import so a label is written in one place.
"""

import csv
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.db import models
from django.db.models import Case, Func, Value, When
from django.db.models.functions import Abs, Cast, Coalesce, Concat, Trim, Upper
from django.db.models.lookups import LessThan

from chorus.sql import dans_table

# the number of digits of an amount column (facturation.models)
MONTANT = {"max_digits": 19, "decimal_places": 6}
REGLES = Path(__file__).resolve().parent / "regles"


def lire_table(nom):
    with open(REGLES / nom, encoding="utf-8", newline="") as fichier:
        return list(csv.DictReader(fichier))


def _choix(nom_enum, table):
    return models.TextChoices(nom_enum, [(ligne["code"], (ligne["code"], ligne["libelle"])) for ligne in table])


_STATUTS = lire_table("statuts.csv")

# The 57 statuses of a payment request (Chorus Pro API §4.2), e.g. StatutFacture.MISE_A_DISPOSITION.
StatutFacture = _choix("StatutFacture", _STATUTS)
StatutFacture.__module__ = __name__

# Statuses after which nothing happens any more; "derived" rows of the table are read as not terminal.
STATUTS_TERMINAUX = frozenset(ligne["code"] for ligne in _STATUTS if ligne["terminal"] == "yes")

# The frames of invoicing A1…A25 (cadreDeFacturation, API §4.1).
CadreFacturation = _choix("CadreFacturation", lire_table("cadres.csv"))
CadreFacturation.__module__ = __name__


class TypeFacture(models.TextChoices):
    FACTURE = "FACTURE", "Facture"
    AVOIR = "AVOIR", "Avoir"


# ISO 4217 minor units that differ from 2; amounts are stored with 6 decimals and rounded by the services.
_DECIMALES_ISO_4217 = {
    **dict.fromkeys(
        [
            "BIF",
            "CLP",
            "DJF",
            "GNF",
            "ISK",
            "JPY",
            "KMF",
            "KRW",
            "PYG",
            "RWF",
            "UGX",
            "UYI",
            "VND",
            "VUV",
            "XAF",
            "XOF",
            "XPF",
        ],
        0,
    ),
    **dict.fromkeys(["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"], 3),
    **dict.fromkeys(["CLF", "UYW"], 4),
}


def decimales(devise):
    """Number of decimals of a currency (ISO 4217 minor unit): XPF and JPY 0, EUR 2, KWD 3."""
    return _DECIMALES_ISO_4217.get((devise or "").strip().upper(), 2)


def arrondir(montant, devise):
    """Round an amount to its currency's decimals, half away from zero as on an invoice."""
    return Decimal(montant).quantize(Decimal(1).scaleb(-decimales(devise)), rounding=ROUND_HALF_UP)


def _arrondir_sql(montant, devise):
    """arrondir() in PostgreSQL, for the COPY export (exports.copie): round() is half away from zero too. The text of
    the rounded amount, labelled decimal so that it is written as an amount (no formula guard on « -12.00 »)."""
    echelle = Coalesce(
        dans_table(_DECIMALES_ISO_4217, Upper(Trim(devise)), models.IntegerField()),
        Value(2),
        output_field=models.IntegerField(),
    )
    arrondi = Func(montant, echelle, function="round", output_field=models.DecimalField(**MONTANT))
    # Decimal keeps the sign of a negative amount rounded to zero (« -0.00 »); numeric has no negative zero
    return Case(
        When(
            LessThan(montant, 0),
            then=Concat(Value("-"), Cast(Abs(arrondi), models.TextField()), output_field=models.TextField()),
        ),
        default=Cast(arrondi, models.TextField()),
        output_field=models.DecimalField(**MONTANT),
    )


arrondir.sql = _arrondir_sql


class ModeDepot(models.TextChoices):
    """modeDepot (chorus-pro-api.md, reference values): how the invoice reached the portal."""

    SAISIE_PORTAIL = "SAISIE_PORTAIL", "Saisie sur le portail"
    DEPOT_PDF_PORTAIL = "DEPOT_PDF_PORTAIL", "Dépôt PDF sur le portail"
    DEPOT_PDF_SIGNE_PORTAIL = "DEPOT_PDF_SIGNE_PORTAIL", "Dépôt PDF signé sur le portail"
    UPLOAD_PORTAIL = "UPLOAD_PORTAIL", "Dépôt d'un fichier structuré sur le portail"
    SAISIE_API = "SAISIE_API", "Saisie par API"
    DEPOT_PDF_API = "DEPOT_PDF_API", "Dépôt PDF par API"
    DEPOT_PDF_SIGNE_API = "DEPOT_PDF_SIGNE_API", "Dépôt PDF signé par API"
    UPLOAD_API = "UPLOAD_API", "Dépôt d'un fichier structuré par API"
    EDI = "EDI", "EDI"


class FormatDepot(models.TextChoices):
    """formatDepot of a PDF deposit (API §4.5), plus the structured syntaxes detected on upload."""

    PDF_NON_SIGNE = "PDF_NON_SIGNE", "PDF non signé"
    PDF_SIGNE_PADES = "PDF_SIGNE_PADES", "PDF signé PAdES"
    PDF_SIGNE_XADES = "PDF_SIGNE_XADES", "PDF signé XAdES"
    FACTURX = "FACTURX", "Factur-X"
    CII = "CII", "CII (UN/CEFACT)"
    UBL = "UBL", "UBL"


class TypeTva(models.TextChoices):
    TVA_SUR_DEBIT = "TVA_SUR_DEBIT", "TVA sur les débits"
    TVA_SUR_ENCAISSEMENT = "TVA_SUR_ENCAISSEMENT", "TVA sur les encaissements"
    EXONERATION = "EXONERATION", "Exonération de TVA"
    SANS_TVA = "SANS_TVA", "Sans TVA"


class ModePaiement(models.TextChoices):
    CHEQUE = "CHEQUE", "Chèque"
    PRELEVEMENT = "PRELEVEMENT", "Prélèvement"
    VIREMENT = "VIREMENT", "Virement"
    ESPECE = "ESPECE", "Espèces"
    AUTRE = "AUTRE", "Autre"
    REPORT = "REPORT", "Report"


class DroitDelegation(models.TextChoices):
    """Rights of a valideur délégué (chorus-pro-features.md row 63)."""

    VALIDATION = "VALIDATION", "Droit de validation"
    TRAITEMENT = "TRAITEMENT", "Droit de traitement"


class ActionUtilisateur(models.TextChoices):
    """User actions kept beside the status history (API: historiquesDesActionsUtilisateurs, histoActionCode)."""

    TELECHARGEMENT_FACTURE = "TELECHARGEMENT_FACTURE", "Téléchargement de la facture"
    ACQUITTEMENT_REJET = "ACQUITTEMENT_REJET", "Acquittement du rejet"
    TRAITEMENT_REJET = "TRAITEMENT_REJET", "Traitement du rejet"
    AJOUT_PIECE_JOINTE = "AJOUT_PIECE_JOINTE", "Ajout d'une pièce jointe"
    TELECHARGEMENT_CERTIFICAT = "TELECHARGEMENT_CERTIFICAT", "Téléchargement du certificat de dépôt"
