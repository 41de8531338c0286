"""« Mes exports »: an Excel export asked from a list, built by a Celery task (too long for a request past a few
thousand rows), kept a few days for its owner to download."""

from django.conf import settings
from django.db import models


class EtatExport(models.TextChoices):
    EN_ATTENTE = "EN_ATTENTE", "En attente"
    EN_COURS = "EN_COURS", "En cours"
    PRET = "PRET", "Prêt"
    ECHEC = "ECHEC", "Échec"


class DemandeExport(models.Model):
    # only this user downloads the file; the rows are read again with their rights when the task runs
    demandeur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="demandes_export")
    # the structure a structure-scoped list belongs to (technical accounts); None for the user's own lists
    structure = models.ForeignKey("organisation.Structure", on_delete=models.CASCADE, null=True, blank=True)
    genre = models.CharField("liste exportée", max_length=40)
    # the list's search parameters as the page had them (query string pairs)
    criteres = models.JSONField(default=dict, blank=True)
    etat = models.CharField(max_length=12, choices=EtatExport, default=EtatExport.EN_ATTENTE)
    lignes_ecrites = models.PositiveIntegerField(default=0)
    lignes_total = models.PositiveIntegerField(null=True, blank=True)
    fichier = models.FileField(upload_to="exports/%Y/%m/", blank=True)
    nom_fichier = models.CharField(max_length=150, blank=True)
    erreur = models.CharField(max_length=300, blank=True)
    cree_le = models.DateTimeField(auto_now_add=True)
    termine_le = models.DateTimeField(null=True, blank=True)
    expire_le = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "demande d'export"
        ordering = ["-cree_le", "-pk"]
        indexes = [models.Index(fields=["demandeur", "-cree_le"], name="export_demandeur_cree")]

    def __str__(self):
        return f"{self.genre} ({self.get_etat_display()})"

    @property
    def pourcentage(self):
        if self.etat == EtatExport.PRET:
            return 100
        if not self.lignes_total:
            return 0
        return min(99, self.lignes_ecrites * 100 // self.lignes_total)

    @property
    def termine(self):
        return self.etat in (EtatExport.PRET, EtatExport.ECHEC)
