from django.apps import AppConfig


class ChorusConfig(AppConfig):
    name = "chorus"
    verbose_name = "Noyau partagé"
