from django.apps import AppConfig


class FacturationConfig(AppConfig):
    name = "facturation"
    verbose_name = "Facturation"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_migrate

        from facturation.services.compteurs import retablir_declencheurs_sqlite
        from facturation.views.emises.popup import marquer_a_la_connexion

        user_logged_in.connect(marquer_a_la_connexion, dispatch_uid="facturation_popup_rejets")
        post_migrate.connect(retablir_declencheurs_sqlite, sender=self, dispatch_uid="facturation_declencheurs_sqlite")
