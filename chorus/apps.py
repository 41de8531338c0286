from django.apps import AppConfig


class ChorusConfig(AppConfig):
    name = "chorus"
    verbose_name = "Noyau partagé"

    def ready(self):
        from chorus import jours, production  # noqa: F401  (register the day lookups and the system checks)
