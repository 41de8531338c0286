from django.apps import AppConfig


class ChorusConfig(AppConfig):
    name = "chorus"
    verbose_name = "Noyau partagé"

    def ready(self):
        from chorus import production  # noqa: F401  (registers its system checks)
