"""Works invoicing (issue #5): the dossier de facturation that gathers one payment cycle's pieces, and what a works
piece adds to an invoice. A piece is a facturation.Facture (cadre A4…A25, statuses of the one status table); this
app points at it, so the dependency stays travaux → facturation."""

from django.conf import settings
from django.db import models

from travaux.enums import RoleTravaux, TypeDepot


class DossierFacturation(models.Model):
    """One payment cycle of a works contract: the supplier's piece, the MOE's, the MOA's, each with its history."""

    numero = models.CharField("numéro du dossier de facturation", max_length=30, unique=True)
    numero_marche = models.CharField("numéro de marché", max_length=50, blank=True)
    fournisseur = models.ForeignKey(
        "organisation.Structure", on_delete=models.PROTECT, related_name="dossiers_fournisseur"
    )
    moe = models.ForeignKey(
        "organisation.Structure",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dossiers_moe",
        verbose_name="maîtrise d'œuvre",
    )
    service_moe = models.ForeignKey(
        "organisation.Service", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    moa = models.ForeignKey(
        "organisation.Structure",
        on_delete=models.PROTECT,
        related_name="dossiers_moa",
        verbose_name="maîtrise d'ouvrage",
    )
    service_moa = models.ForeignKey(
        "organisation.Service", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cree_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cree_le = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "dossier de facturation"
        verbose_name_plural = "dossiers de facturation"
        ordering = ["-cree_le", "-pk"]

    def __str__(self):
        return f"Dossier de facturation {self.numero}"


class PieceTravaux(models.Model):
    """A works piece: its invoice row, its dossier, who deposited it and which piece it answers (association)."""

    facture = models.OneToOneField("facturation.Facture", on_delete=models.CASCADE, related_name="piece_travaux")
    dossier = models.ForeignKey(DossierFacturation, on_delete=models.PROTECT, related_name="pieces")
    role_deposant = models.CharField("déposant", max_length=20, choices=RoleTravaux)
    type_depot = models.CharField("type de dépôt", max_length=20, choices=TypeDepot, default=TypeDepot.INITIAL)
    piece_precedente = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="piece_suivante",
        verbose_name="pièce précédente",
    )
    # The works lists' sort and filter keys (issue #16), copied from the invoice and the dossier by the database
    # (triggers of migration 0003, travaux.services.cles): a list reads and sorts its rows on the pieces alone, through
    # an index per dossier party, where it read every piece's invoice to sort them. Never written by the code: a save
    # of the piece has them recomputed from its invoice and its dossier.
    statut_facture = models.CharField("statut de la facture", max_length=60, default="", editable=False)
    statut_depuis = models.DateTimeField("date du statut courant", null=True, editable=False)
    deposee_le = models.DateTimeField("déposée le", null=True, editable=False)
    telechargee = models.BooleanField("téléchargée par le destinataire", default=False, editable=False)
    rejet_traite_le = models.DateTimeField("rejet traité le", null=True, editable=False)
    id_fournisseur = models.BigIntegerField("fournisseur du dossier", null=True, editable=False)
    id_moe = models.BigIntegerField("maîtrise d'œuvre du dossier", null=True, editable=False)
    id_service_moe = models.BigIntegerField("service de la maîtrise d'œuvre", null=True, editable=False)
    id_moa = models.BigIntegerField("maîtrise d'ouvrage du dossier", null=True, editable=False)
    id_service_moa = models.BigIntegerField("service de la maîtrise d'ouvrage", null=True, editable=False)

    class Meta:
        verbose_name = "pièce de travaux"
        verbose_name_plural = "pièces de travaux"
        ordering = ["dossier", "facture__deposee_le", "pk"]
        # per dossier party, the lists' sorts (deposit, status date) and their counts by status (index only)
        indexes = [
            *(
                models.Index(fields=[partie, tri, "id"], name=f"piece_{nom}_{suffixe}_idx")
                for partie, nom in (("id_fournisseur", "four"), ("id_moe", "moe"), ("id_moa", "moa"))
                for tri, suffixe in (("deposee_le", "depot"), ("statut_depuis", "statut_le"))
            ),
            models.Index(fields=["id_fournisseur", "statut_facture"], name="piece_four_statut_idx"),
            models.Index(fields=["id_moe", "statut_facture", "id_service_moe"], name="piece_moe_statut_idx"),
            models.Index(fields=["id_moa", "statut_facture", "id_service_moa"], name="piece_moa_statut_idx"),
        ]

    def __str__(self):
        return f"{self.facture.cadre} {self.facture.numero}"

    def save(self, *args, **kwargs):
        nouvelle = self._state.adding
        super().save(*args, **kwargs)
        if nouvelle:
            # the invoice spaces tell works pieces apart by this column of the invoice row (facturation.models)
            self._meta.get_field("facture").related_model.objects.filter(pk=self.facture_id).update(
                est_piece_travaux=True
            )
            facture = self._state.fields_cache.get("facture")
            if facture is not None:
                facture.est_piece_travaux = True

    @property
    def cote_deposant(self):
        """The dossier actor the depositor acts for: a sub-contractor or co-contractor is on the supplier's side.
        That actor closes the piece's rejection (« Traiter le rejet »)."""
        return cote_du_role(self.role_deposant)


def cote_du_role(role):
    if role in (RoleTravaux.SOUS_TRAITANT, RoleTravaux.COTRAITANT):
        return RoleTravaux.FOURNISSEUR
    return RoleTravaux(role)


class RelanceMoe(models.Model):
    """One reminder day of a piece left with the MOE (CCAG Travaux art. 12.2.2): the unique row makes the daily job
    send each day's mails once, however many times it runs."""

    piece = models.ForeignKey(PieceTravaux, on_delete=models.CASCADE, related_name="relances")
    jour = models.DateField()
    envoyee_le = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["piece", "jour"], name="relance_moe_une_par_jour")]
        ordering = ["piece", "jour"]

    def __str__(self):
        return f"Relance du {self.jour:%d/%m/%Y} – {self.piece}"


def _chemin_pdf_brouillon(instance, nom):
    return f"travaux/brouillons/{instance.user_id}/{nom}"


class BrouillonTravaux(models.Model):
    """« Enregistrer » on the deposit page: what the user typed, kept as the form's data until he sends it (a works
    piece only becomes an invoice row at its deposit, so the draft does not create one)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="brouillons_travaux")
    structure = models.ForeignKey(
        "organisation.Structure", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    role = models.CharField("déposant", max_length=20, choices=RoleTravaux)
    cadre = models.CharField("cadre de facturation", max_length=3, blank=True)
    type_depot = models.CharField("type de dépôt", max_length=20, choices=TypeDepot, default=TypeDepot.INITIAL)
    donnees = models.JSONField("données saisies", default=dict, blank=True)
    pdf = models.FileField("pièce (PDF)", upload_to=_chemin_pdf_brouillon, max_length=255, blank=True)
    cree_le = models.DateTimeField(auto_now_add=True)
    modifie_le = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "brouillon de pièce de travaux"
        verbose_name_plural = "brouillons de pièces de travaux"
        ordering = ["-modifie_le", "-pk"]

    def __str__(self):
        return f"Brouillon {self.cadre or 'sans cadre'} du {self.modifie_le:%d/%m/%Y}"
