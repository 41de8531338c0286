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
    """syntaxeFlux of deposerFluxFacture (chorus-pro-api.md §3.2), with the EDI interface each one stands for."""

    IN_DP_E1_UBL_INVOICE = "IN_DP_E1_UBL_INVOICE", "UBL Invoice / CreditNote (FSO1140A)"
    IN_DP_E1_CII_16B = "IN_DP_E1_CII_16B", "CII D16B"
    IN_DP_E1_CII = "IN_DP_E1_CII", "CII D22B (FSO1146A)"
    IN_DP_E2_CII_FACTURX = "IN_DP_E2_CII_FACTURX", "Factur-X (FSO1117A, FSO1147A)"
    IN_DP_E4_CII_FACTURX = "IN_DP_E4_CII_FACTURX", "Factur-X de travaux (FSO1137A)"


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
