from django.apps import AppConfig


class FacturationConfig(AppConfig):
    name = "facturation"
    verbose_name = "Facturation"
