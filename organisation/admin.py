from django.contrib import admin

from organisation.models import Habilitation, Rattachement, Service, Structure, Utilisateur


@admin.register(Utilisateur)
class UtilisateurAdmin(admin.ModelAdmin):
    list_display = ["email", "prenom", "nom", "is_active", "est_agent_support", "last_login"]
    search_fields = ["email", "nom", "prenom"]
    list_filter = ["is_active", "est_agent_support", "is_staff"]
    exclude = ["password"]
    readonly_fields = ["last_login", "connexion_precedente", "date_joined"]


class HabilitationInline(admin.TabularInline):
    model = Habilitation
    extra = 0


@admin.register(Rattachement)
class RattachementAdmin(admin.ModelAdmin):
    list_display = ["utilisateur", "structure", "statut", "est_gestionnaire_principal"]
    inlines = [HabilitationInline]


@admin.register(Structure)
class StructureAdmin(admin.ModelAdmin):
    list_display = ["raison_sociale", "type_identifiant", "identifiant", "est_publique", "statut"]
    search_fields = ["raison_sociale", "identifiant"]


admin.site.register(Service)
