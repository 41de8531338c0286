"""« Mes messages »: what the portal tells a user (attachment approved, invoice rejected, reminder…), read or not."""

from django.conf import settings
from django.db import models

from communication.enums import CategorieNotification


class Notification(models.Model):
    # by string: the apps that notify (organisation, facturation, travaux…) import this one, never the reverse
    destinataire = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    categorie = models.CharField(max_length=20, choices=CategorieNotification)
    titre = models.CharField(max_length=200)
    texte = models.TextField(blank=True)
    # a path inside the portal (validated when written and again before redirecting)
    lien = models.CharField(max_length=500, blank=True)
    cree_le = models.DateTimeField(auto_now_add=True, db_index=True)
    lue_le = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "notification"
        ordering = ["-cree_le", "-pk"]
        indexes = [
            # the unread count and the read/unread filter; the list orders by creation within one user's rows
            models.Index(fields=["destinataire", "lue_le"], name="notification_dest_lue"),
            models.Index(fields=["destinataire", "-cree_le"], name="notification_dest_cree"),
        ]

    def __str__(self):
        return self.titre

    @property
    def est_lue(self):
        return self.lue_le is not None
