"""The vocabulary of Raccordement (issue #6; chorus-pro-api.md §1, §2.5, §3.2)."""

from django.db import models


class EtatFlux(models.TextChoices):
    """etatCourantDepotFlux (chorus-pro-api.md §3.2): the states a deposited flux goes through here."""

    IN_RECU = "IN_RECU", "Reçu"
    IN_EN_ATTENTE_TRAITEMENT_CPP = "IN_EN_ATTENTE_TRAITEMENT_CPP", "En attente de traitement"
    IN_EN_COURS_TRAITEMENT_CPP = "IN_EN_COURS_TRAITEMENT_CPP", "En cours de traitement"
    IN_INTEGRE = "IN_INTEGRE", "Intégré"
    IN_INTEGRE_PARTIEL = "IN_INTEGRE_PARTIEL", "Intégré partiellement"
    IN_REJETE = "IN_REJETE", "Rejeté"
    IN_INCIDENTE = "IN_INCIDENTE", "Incidenté : à déposer de nouveau"


ETATS_FINAUX = frozenset({EtatFlux.IN_INTEGRE, EtatFlux.IN_INTEGRE_PARTIEL, EtatFlux.IN_REJETE, EtatFlux.IN_INCIDENTE})


class SyntaxeFlux(models.TextChoices):
    """syntaxeFlux of deposerFluxFacture: every value of the real enum (chorus-pro-api.md §3.2). E1 = structured,
    E2 = mixed (minimal data plus the invoice's PDF, or Factur-X), E3 = mémoires de frais de justice, E4 = works,
    PDFARCHIVE = an archive of PDF invoices each with its data file."""

    IN_DP_E1_UBL_INVOICE = "IN_DP_E1_UBL_INVOICE", "UBL Invoice / CreditNote (FSO1140A)"
    IN_DP_E1_CII_16B = "IN_DP_E1_CII_16B", "CII D16B"
    IN_DP_E1_CII = "IN_DP_E1_CII", "CII D22B (FSO1146A)"
    IN_DP_E1_PES_FACTURE = "IN_DP_E1_PES_FACTURE", "PES Facture (structuré)"
    IN_DP_E1_XCBL = "IN_DP_E1_XCBL", "xCBL (structuré)"
    IN_DP_E2_UBL_INVOICE_MIN = "IN_DP_E2_UBL_INVOICE_MIN", "UBL minimal et PDF (mixte)"
    IN_DP_E2_CII_MIN_16B = "IN_DP_E2_CII_MIN_16B", "CII D16B minimal et PDF (mixte)"
    IN_DP_E2_CII_MIN = "IN_DP_E2_CII_MIN", "CII D22B minimal et PDF (mixte)"
    IN_DP_E2_CPP_FACTURE_MIN = "IN_DP_E2_CPP_FACTURE_MIN", "CPP Facture minimal et PDF (mixte)"
    IN_DP_E2_PES_FACTURE_MIN = "IN_DP_E2_PES_FACTURE_MIN", "PES Facture minimal et PDF (mixte)"
    IN_DP_E2_CII_FACTURX = "IN_DP_E2_CII_FACTURX", "Factur-X (FSO1117A, FSO1147A)"
    IN_DP_E3_UBL_INVOICE = "IN_DP_E3_UBL_INVOICE", "UBL mémoire de frais de justice"
    IN_DP_E4_CII_FACTURX = "IN_DP_E4_CII_FACTURX", "Factur-X de travaux (FSO1137A)"
    IN_DP_PDFARCHIVE_UBL_INVOICE_MUG = "IN_DP_PDFARCHIVE_UBL_INVOICE_MUG", "Archive de PDF et UBL"
    IN_DP_PDFARCHIVE_CII_MUG = "IN_DP_PDFARCHIVE_CII_MUG", "Archive de PDF et CII"


# What the portal reads in a flux of each syntax: the syntaxes detected in its invoices that agree with the one
# declared. A syntax absent from this table is accepted at deposit and rejected in the report (SYNTAXES_NON_INTEGREES).
SYNTAXES_LUES = {
    SyntaxeFlux.IN_DP_E1_UBL_INVOICE: {SyntaxeFlux.IN_DP_E1_UBL_INVOICE},
    SyntaxeFlux.IN_DP_E1_CII_16B: {SyntaxeFlux.IN_DP_E1_CII_16B},
    SyntaxeFlux.IN_DP_E1_CII: {SyntaxeFlux.IN_DP_E1_CII},
    SyntaxeFlux.IN_DP_E2_UBL_INVOICE_MIN: {SyntaxeFlux.IN_DP_E1_UBL_INVOICE},
    SyntaxeFlux.IN_DP_E2_CII_MIN_16B: {SyntaxeFlux.IN_DP_E1_CII_16B},
    SyntaxeFlux.IN_DP_E2_CII_MIN: {SyntaxeFlux.IN_DP_E1_CII},
    SyntaxeFlux.IN_DP_E2_CII_FACTURX: {SyntaxeFlux.IN_DP_E2_CII_FACTURX},
    SyntaxeFlux.IN_DP_E4_CII_FACTURX: {SyntaxeFlux.IN_DP_E4_CII_FACTURX},
    SyntaxeFlux.IN_DP_PDFARCHIVE_UBL_INVOICE_MUG: {SyntaxeFlux.IN_DP_E1_UBL_INVOICE},
    SyntaxeFlux.IN_DP_PDFARCHIVE_CII_MUG: {SyntaxeFlux.IN_DP_E1_CII_16B, SyntaxeFlux.IN_DP_E1_CII},
}
# the invoice's PDF travels inside its XML (E2 mixed: an embedded attachment, BG-24) …
SYNTAXES_PDF_EMBARQUE = {
    SyntaxeFlux.IN_DP_E2_UBL_INVOICE_MIN,
    SyntaxeFlux.IN_DP_E2_CII_MIN_16B,
    SyntaxeFlux.IN_DP_E2_CII_MIN,
}
# … or beside it in the archive, under the same name (PDFARCHIVE)
SYNTAXES_PDF_A_COTE = {SyntaxeFlux.IN_DP_PDFARCHIVE_UBL_INVOICE_MUG, SyntaxeFlux.IN_DP_PDFARCHIVE_CII_MUG}
SYNTAXES_NON_INTEGREES = set(SyntaxeFlux) - set(SYNTAXES_LUES)


class CanalFlux(models.TextChoices):
    PORTAIL = "PORTAIL", "Portail (Suivi des flux)"
    API = "API", "API (deposerFluxFacture)"
    EDI = "EDI", "EDI (répertoire de dépôt)"


class TypeRaccordement(models.TextChoices):
    EDI = "EDI", "EDI"
    API = "API", "API"


class ProtocoleRaccordement(models.TextChoices):
    AS2 = "AS2", "AS/2"
    SFTP = "SFTP", "SFTP"
    PESIT = "PESIT", "PeSIT-E (TLS)"
    API = "API", "API REST (PISTE)"


class EnvironnementRaccordement(models.TextChoices):
    """A connection is qualified first (Chorus Pro's « qualification » sandbox), then goes to production."""

    QUALIFICATION = "QUALIFICATION", "Qualification"
    PRODUCTION = "PRODUCTION", "Production"
