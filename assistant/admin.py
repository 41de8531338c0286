from django.contrib import admin

from assistant.models import Article


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["titre", "theme", "publie", "ordre", "modifie_le"]
    list_filter = ["theme", "publie"]
    search_fields = ["titre", "mots_cles", "corps"]
    prepopulated_fields = {"slug": ["titre"]}
