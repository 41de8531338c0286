from django.contrib import admin

from chorus.models import Courriel


class EnEchecFiltre(admin.SimpleListFilter):
    title = "envoi"
    parameter_name = "envoi"

    def lookups(self, request, model_admin):
        return [("echec", "En échec (non envoyé)"), ("attente", "En attente"), ("envoye", "Envoyé")]

    def queryset(self, request, queryset):
        if self.value() == "echec":
            return queryset.filter(envoye_le__isnull=True, dernier_echec_le__isnull=False)
        if self.value() == "attente":
            return queryset.filter(envoye_le__isnull=True)
        if self.value() == "envoye":
            return queryset.filter(envoye_le__isnull=False)
        return queryset


@admin.register(Courriel)
class CourrielAdmin(admin.ModelAdmin):
    list_display = ["gabarit", "destinataire", "objet", "cree_le", "envoye_le", "tentatives", "dernier_echec_le"]
    list_filter = [EnEchecFiltre]
    readonly_fields = [
        "gabarit",
        "destinataire",
        "objet",
        "corps",
        "cree_le",
        "envoye_le",
        "tentatives",
        "derniere_erreur",
        "dernier_echec_le",
    ]
