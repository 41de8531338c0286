from django.conf import settings
from django.db import models

from chorus.models import HistoriqueStatutBase
from facturation.enums import CadreFacturation, StatutFacture, TypeFacture
from organisation.enums import Application, Niveau
from organisation.habilitations import PerimetreQuerySet, filtre_visible

MONTANT = {"max_digits": 19, "decimal_places": 6}


class FactureQuerySet(PerimetreQuerySet, models.QuerySet):
    # visible_to() reads the recipient side; the supplier side is scoped on `fournisseur` by emises_visibles.
    chemin_structure = "destinataire"
    chemin_service = "service_destinataire"

    def emises_visibles(self, user, niveau=Niveau.CONSULTATION):
        # A supplier's profile covers the whole structure: the recipient's service does not narrow what it sent.
        return self.filter(filtre_visible(user, Application.FACTURES_EMISES, niveau, chemin_structure="fournisseur"))

    def recues_visibles(self, user, niveau=Niveau.CONSULTATION):
        return self.visible_to(user, Application.FACTURES_RECUES, niveau)


class Facture(models.Model):
    """A payment request, from its draft to its payment (chorus-pro-api.md §4.1–§4.3)."""

    numero = models.CharField("numéro de facture", max_length=20)
    cadre = models.CharField("cadre de facturation", max_length=3, choices=CadreFacturation, default="A1")
    type_facture = models.CharField("type de facture", max_length=10, choices=TypeFacture, default=TypeFacture.FACTURE)
    date_facture = models.DateField("date de facture")
    devise = models.CharField("devise", max_length=3, default="EUR")
    fournisseur = models.ForeignKey(
        "organisation.Structure", on_delete=models.PROTECT, related_name="factures_emises", verbose_name="fournisseur"
    )
    destinataire = models.ForeignKey(
        "organisation.Structure", on_delete=models.PROTECT, related_name="factures_recues", verbose_name="destinataire"
    )
    service_destinataire = models.ForeignKey(
        "organisation.Service",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="factures_recues",
        verbose_name="service destinataire",
    )
    numero_engagement = models.CharField("numéro d'engagement", max_length=50, blank=True)
    numero_marche = models.CharField("numéro de marché", max_length=50, blank=True)
    total_ht = models.DecimalField("total HT", **MONTANT, default=0)
    total_tva = models.DecimalField("total TVA", **MONTANT, default=0)
    total_ttc = models.DecimalField("total TTC", **MONTANT, default=0)
    net_a_payer = models.DecimalField("net à payer", **MONTANT, default=0)
    statut = models.CharField("statut", max_length=60, choices=StatutFacture, default="BROUILLON")
    deposee_le = models.DateTimeField("déposée le", null=True, blank=True)
    telechargee = models.BooleanField("téléchargée par le destinataire", default=False)
    numero_mandat = models.CharField("numéro de mandat", max_length=50, blank=True)
    cree_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cree_le = models.DateTimeField(auto_now_add=True)

    objects = FactureQuerySet.as_manager()

    class Meta:
        verbose_name = "facture"
        constraints = [
            models.UniqueConstraint(fields=["fournisseur", "numero"], name="facture_numero_unique_par_fournisseur"),
        ]
        indexes = [
            models.Index(fields=["destinataire", "statut", "deposee_le"], name="facture_recues_idx"),
            models.Index(fields=["fournisseur", "statut"], name="facture_emises_idx"),
        ]

    def __str__(self):
        return f"Facture {self.numero}"


class LigneFacture(models.Model):
    facture = models.ForeignKey(Facture, on_delete=models.CASCADE, related_name="lignes")
    numero = models.PositiveIntegerField("numéro de ligne")
    reference = models.CharField("référence", max_length=100, blank=True)
    designation = models.CharField("désignation", max_length=255)
    quantite = models.DecimalField("quantité", **MONTANT)
    unite = models.CharField("unité", max_length=20, blank=True)
    prix_unitaire_ht = models.DecimalField("prix unitaire HT", **MONTANT)
    remise = models.DecimalField("remise", **MONTANT, default=0)
    taux_tva = models.DecimalField("taux de TVA", max_digits=7, decimal_places=4)
    montant_ht = models.DecimalField("montant HT", **MONTANT)

    class Meta:
        verbose_name = "ligne de facture"
        ordering = ["facture", "numero"]
        constraints = [models.UniqueConstraint(fields=["facture", "numero"], name="ligne_facture_numero_unique")]

    def __str__(self):
        return f"Ligne {self.numero} – {self.designation}"


class FactureHistorique(HistoriqueStatutBase):
    facture = models.ForeignKey(Facture, on_delete=models.CASCADE, related_name="historique")
