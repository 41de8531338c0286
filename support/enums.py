from django.db import models


class StatutSollicitation(models.TextChoices):
    # A ticket filed logged out waits for its requester to follow the confirmation link; nobody else sees it.
    A_CONFIRMER = "A_CONFIRMER", "Adresse à confirmer"
    NOUVELLE = "NOUVELLE", "Nouvelle"
    EN_COURS = "EN_COURS", "En cours"
    EN_ATTENTE_DEMANDEUR = "EN_ATTENTE_DEMANDEUR", "En attente du demandeur"
    RESOLUE = "RESOLUE", "Résolue"
    CLOTUREE = "CLOTUREE", "Clôturée"


class Destination(models.TextChoices):
    """Who handles the tickets of a category."""

    SUPPORT = "SUPPORT", "Le support Chorus Pro"
    STRUCTURE = "STRUCTURE", "Le service d'une structure publique (demande métier)"
