from django.contrib import admin

from communication.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["titre", "destinataire", "categorie", "cree_le", "lue_le"]
    list_filter = ["categorie"]
    raw_id_fields = ["destinataire"]
    search_fields = ["titre", "destinataire__email"]
