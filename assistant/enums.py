from django.db import models


class Theme(models.TextChoices):
    """The knowledge base's themes, in the order the FAQ page shows them."""

    COMPTE = "COMPTE", "Compte et connexion"
    ORGANISATION = "ORGANISATION", "Structures et utilisateurs"
    FACTURES = "FACTURES", "Dépôt et suivi des factures"
    TRAVAUX = "TRAVAUX", "Factures de travaux"
    RACCORDEMENT = "RACCORDEMENT", "Raccordement EDI et API"
    SUPPORT = "SUPPORT", "Support et documentation"
