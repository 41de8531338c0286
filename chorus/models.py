from django.conf import settings
from django.db import models


class Courriel(models.Model):
    """The outbox: a mail is a row first, sent by a task after commit, re-queued by a sweeper if the task was lost.

    The body is erased once sent, because it may hold a one-time code or a link that is a secret.
    """

    gabarit = models.CharField(max_length=120)
    destinataire = models.EmailField()
    objet = models.CharField(max_length=255)
    corps = models.TextField()
    cree_le = models.DateTimeField(auto_now_add=True)
    envoye_le = models.DateTimeField(null=True, blank=True)
    tentatives = models.PositiveSmallIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["envoye_le", "cree_le"], name="courriel_a_envoyer_idx")]
        verbose_name = "courriel"

    def __str__(self):
        return f"{self.gabarit} → {self.destinataire}"


class HistoriqueStatutBase(models.Model):
    """One row per status change, written by chorus.workflow; concrete tables add the FK to their object."""

    action = models.CharField(max_length=60)
    de_statut = models.CharField(max_length=60, blank=True)
    vers_statut = models.CharField(max_length=60)
    par = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    le = models.DateTimeField(auto_now_add=True)
    motif = models.CharField(max_length=255, blank=True)
    commentaire = models.TextField(blank=True)

    class Meta:
        abstract = True
        ordering = ["le", "pk"]
