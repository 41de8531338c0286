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
    # The last refusal of the mail server, kept after a later success: support reads why a mail was late.
    derniere_erreur = models.CharField("dernière erreur d'envoi", max_length=500, blank=True)
    dernier_echec_le = models.DateTimeField("dernier échec d'envoi", null=True, blank=True)

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


class ModificationDifferee(models.Model):
    """A change that takes effect later (Chorus Pro: "un délai pouvant atteindre 30 minutes").

    The row is the truth: a task sent with the delay applies it, and a periodic sweeper applies any overdue row whose
    task was lost. What it does is a registered operation (chorus.differe.operation) applied to its target object.
    """

    class Statut(models.TextChoices):
        EN_ATTENTE = "EN_ATTENTE", "En attente"
        APPLIQUEE = "APPLIQUEE", "Appliquée"
        ABANDONNEE = "ABANDONNEE", "Abandonnée"

    operation = models.CharField(max_length=80)
    libelle = models.CharField(max_length=255)
    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64)
    # a key to list the pending changes of a screen, e.g. "structure:12"; the kernel does not interpret it
    perimetre = models.CharField(max_length=64, blank=True, db_index=True)
    donnees = models.JSONField(default=dict, blank=True)
    demandee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    demandee_le = models.DateTimeField()
    effective_le = models.DateTimeField()
    statut = models.CharField(max_length=20, choices=Statut, default=Statut.EN_ATTENTE)
    appliquee_le = models.DateTimeField(null=True, blank=True)
    trace = models.TextField(blank=True)

    class Meta:
        verbose_name = "modification différée"
        ordering = ["effective_le", "pk"]
        indexes = [
            models.Index(fields=["statut", "effective_le"], name="modif_en_attente_idx"),
            models.Index(fields=["content_type", "object_id", "statut"], name="modif_objet_idx"),
        ]

    def __str__(self):
        return self.libelle
