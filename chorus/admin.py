from django.contrib import admin

from chorus.models import Courriel


@admin.register(Courriel)
class CourrielAdmin(admin.ModelAdmin):
    list_display = ["gabarit", "destinataire", "objet", "cree_le", "envoye_le", "tentatives"]
    readonly_fields = ["gabarit", "destinataire", "objet", "corps", "cree_le", "envoye_le", "tentatives"]
