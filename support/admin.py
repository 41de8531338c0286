from django.contrib import admin

from support.models import Categorie, ReponseType, Sollicitation, SousCategorie


class SousCategorieEnLigne(admin.TabularInline):
    model = SousCategorie
    extra = 0


@admin.register(Categorie)
class CategorieAdmin(admin.ModelAdmin):
    list_display = ["libelle", "destination", "ordre", "active"]
    inlines = [SousCategorieEnLigne]


@admin.register(ReponseType)
class ReponseTypeAdmin(admin.ModelAdmin):
    list_display = ["titre", "active"]


@admin.register(Sollicitation)
class SollicitationAdmin(admin.ModelAdmin):
    # read-only: tickets change through the services (statuses, history, mails), not by hand
    list_display = ["numero", "objet", "statut", "demandeur_email", "structure_destinataire", "derniere_activite"]
    list_filter = ["statut"]
    search_fields = ["numero", "objet", "demandeur_email"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
