"""Engagements juridiques (EJ): the purchase commitments a public entity publishes to its suppliers (Commande domain,
chorus-pro-features.md row 85). A supplier quotes the EJ number on its invoice (BT-13, numeroBonCommande)."""

from django.conf import settings
from django.db import models

from chorus import limites
from engagements.enums import EtatEngagement
from organisation.habilitations import PerimetreQuerySet

NUMERO_LONGUEUR_MAX = limites.nombre("numero_engagement_longueur_max")


class EngagementQuerySet(PerimetreQuerySet, models.QuerySet):
    chemin_structure = "structure"
    chemin_service = "service"


class EngagementJuridique(models.Model):
    structure = models.ForeignKey(
        "organisation.Structure",
        on_delete=models.PROTECT,
        related_name="engagements_emis",
        verbose_name="structure publique",
    )
    service = models.ForeignKey(
        "organisation.Service",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="engagements",
        verbose_name="service",
    )
    fournisseur = models.ForeignKey(
        "organisation.Structure",
        on_delete=models.PROTECT,
        related_name="engagements_recus",
        verbose_name="fournisseur",
    )
    numero = models.CharField("numéro d'engagement", max_length=NUMERO_LONGUEUR_MAX)
    date_engagement = models.DateField("date de l'engagement")
    etat = models.CharField("état", max_length=30, choices=EtatEngagement, default=EtatEngagement.COMMANDE)
    devise = models.CharField("devise", max_length=3, default="EUR")
    montant_ht = models.DecimalField("montant HT", max_digits=19, decimal_places=2)
    montant_tva = models.DecimalField("montant de TVA", max_digits=19, decimal_places=2)
    montant_ttc = models.DecimalField("montant TTC", max_digits=19, decimal_places=2)
    charge_le = models.DateTimeField("chargé le", auto_now_add=True)
    charge_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    fichier = models.CharField("fichier chargé", max_length=255, blank=True)

    objects = EngagementQuerySet.as_manager()

    class Meta:
        verbose_name = "engagement juridique"
        verbose_name_plural = "engagements juridiques"
        ordering = ["-date_engagement", "numero"]
        constraints = [models.UniqueConstraint(fields=["structure", "numero"], name="engagement_numero_unique")]
        indexes = [models.Index(fields=["fournisseur", "numero"], name="engagement_fournisseur_idx")]

    def __str__(self):
        return self.numero


class LigneEngagement(models.Model):
    engagement = models.ForeignKey(EngagementJuridique, on_delete=models.CASCADE, related_name="lignes")
    numero = models.PositiveIntegerField("numéro de ligne")
    designation = models.CharField("désignation", max_length=255)
    # EJ lines accept decimal quantities (release note 002, « Application Engagements »)
    quantite = models.DecimalField("quantité", max_digits=19, decimal_places=4)
    unite = models.CharField("unité", max_length=20, blank=True)
    prix_unitaire_ht = models.DecimalField("prix unitaire HT", max_digits=19, decimal_places=4)
    taux_tva = models.DecimalField("taux de TVA (%)", max_digits=5, decimal_places=2)
    montant_ht = models.DecimalField("montant HT", max_digits=19, decimal_places=2)

    class Meta:
        verbose_name = "ligne d'engagement"
        ordering = ["numero"]
        constraints = [models.UniqueConstraint(fields=["engagement", "numero"], name="ligne_engagement_unique")]

    def __str__(self):
        return f"{self.engagement.numero} / {self.numero}"
