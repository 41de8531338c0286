from django.db import models


class RoleTravaux(models.TextChoices):
    """Who deposits a works piece (the « deposant » column of facturation/regles/cadres.csv)."""

    FOURNISSEUR = "fournisseur", "Fournisseur"
    SOUS_TRAITANT = "sous-traitant", "Sous-traitant"
    COTRAITANT = "cotraitant", "Cotraitant"
    MOE = "moe", "Maîtrise d'œuvre"
    MOA = "moa", "Maîtrise d'ouvrage"


class TypeDepot(models.TextChoices):
    """« TYPE DE DÉPÔT » of the deposit page (tables/messages.csv travaux_type_depot_*)."""

    INITIAL = "initial", "Dépôt initial"
    ASSOCIATION = "association", "A partir d'une pièce existante dans Chorus Pro"


class CanalDepot(models.TextChoices):
    """The three columns of the deck's support matrix (chorus-pro-api.md §4.6)."""

    EDI = "edi", "EDI"
    PORTAIL = "portail", "Portail"
    SERVICE = "service", "Service (API)"
