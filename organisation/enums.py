from django.db import models


class Application(models.TextChoices):
    """The applications ("espaces") a profile is granted on (chorus-pro-features.md rows 19, 21)."""

    FACTURES_EMISES = "FACTURES_EMISES", "Factures émises"
    FACTURES_RECUES = "FACTURES_RECUES", "Factures reçues"
    FACTURES_TRAVAUX = "FACTURES_TRAVAUX", "Factures de travaux"
    VALIDATION = "VALIDATION", "Factures à valider"
    MEMOIRES_JUSTICE = "MEMOIRES_JUSTICE", "Mémoires de frais de justice"
    ENGAGEMENTS = "ENGAGEMENTS", "Engagements"
    ORGANISATION = "ORGANISATION", "Organisation"
    RACCORDEMENT = "RACCORDEMENT", "Raccordement"
    SOLLICITATIONS = "SOLLICITATIONS", "Sollicitations"


class Niveau(models.TextChoices):
    CONSULTATION = "CONSULTATION", "consultation"
    MODIFICATION = "MODIFICATION", "modification"


class TypeIdentifiant(models.TextChoices):
    """typeIdentifiantStructure (chorus-pro-api.md §2.3)."""

    SIRET = "SIRET", "SIRET"
    UE_HORS_FRANCE = "UE_HORS_FRANCE", "Structure européenne hors France"
    HORS_UE = "HORS_UE", "Structure hors UE"
    RIDET = "RIDET", "RIDET"
    TAHITI = "TAHITI", "Numéro TAHITI"
    PARTICULIER = "PARTICULIER", "Particulier"
    EN_COURS_IMMATRICULATION = "EN_COURS_IMMATRICULATION", "En cours d'immatriculation"


class StatutStructure(models.TextChoices):
    EN_ATTENTE_VALIDATION = "EN_ATTENTE_VALIDATION", "En attente de validation"
    ACTIVE = "ACTIVE", "Active"
    REFUSEE = "REFUSEE", "Refusée"
    INACTIVE = "INACTIVE", "Inactive"


class StatutRattachement(models.TextChoices):
    EN_ATTENTE = "EN_ATTENTE", "En attente d'approbation"
    ACTIF = "ACTIF", "Actif"
    REFUSE = "REFUSE", "Refusé"
    TERMINE = "TERMINE", "Terminé"


class ObjetLien(models.TextChoices):
    """What a one-time link sent by mail is for."""

    ACTIVATION = "ACTIVATION", "Activation du compte"
    CHANGEMENT_ADRESSE = "CHANGEMENT_ADRESSE", "Changement d'adresse de connexion"


class RoleDemo(models.TextChoices):
    """The roles of the demo data set ("matelas de données")."""

    FOURNISSEUR = "fournisseur", "Fournisseur"
    ENTITE_PUBLIQUE = "entite_publique", "Entité publique (destinataire)"
    MOE = "moe", "Maître d'œuvre (MOE)"
    MOA = "moa", "Maître d'ouvrage (MOA)"
    COTRAITANT = "cotraitant", "Cotraitant"
    SOUS_TRAITANT = "sous_traitant", "Sous-traitant"
    AGENT_SUPPORT = "agent_support", "Agent du support"
    FOURNISSEUR_FNFE = "fournisseur_fnfe", "Fournisseur des exemples FNFE (corpus Factur-X)"
