from django.apps import AppConfig


class TravauxConfig(AppConfig):
    name = "travaux"
    verbose_name = "Factures de travaux"

    def ready(self):
        from django.db.models.signals import post_migrate

        from travaux.services.cles import retablir_declencheurs_sqlite

        post_migrate.connect(retablir_declencheurs_sqlite, sender=self, dispatch_uid="travaux_declencheurs_sqlite")
