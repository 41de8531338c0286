from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo (`make run`): its loader, which fills every domain from their own `matelas` modules, and its tools
    (the mailbox, the accounts table). It sits above all the domains, so none of them imports another's demo data
    through it; its pages answer 404 outside the demo (settings.DEMO)."""

    name = "demo"
    verbose_name = "Démonstration"
