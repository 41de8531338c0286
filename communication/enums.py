from django.db import models


class CategorieNotification(models.TextChoices):
    """What a message of « Mes messages » is about; the list filters on it."""

    RATTACHEMENT = "RATTACHEMENT", "Rattachements et profils"
    STRUCTURE = "STRUCTURE", "Structures"
    FACTURE = "FACTURE", "Factures"
    TRAVAUX = "TRAVAUX", "Factures de travaux"


class EtatLecture(models.TextChoices):
    NON_LUS = "non_lus", "Non lus"
    LUS = "lus", "Lus"
