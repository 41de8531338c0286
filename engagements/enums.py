from django.db import models


class EtatEngagement(models.TextChoices):
    """etatCourantEngagementJuridique (chorus-pro-api.md §2.6 and §4: « COMMANDE (others not seen) »). Only the
    value the real API is known to use: a state we invented would be one a client could never meet in Chorus Pro."""

    COMMANDE = "COMMANDE", "Commandé"
