from django.apps import AppConfig


class RaccordementConfig(AppConfig):
    name = "raccordement"
    verbose_name = "Raccordement"
