from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "organisation"
    verbose_name = "Organisation"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from organisation import operations  # noqa: F401  (registers the delayed operations)
        from organisation.habilitations import oublier_les_lectures
        from organisation.models import Habilitation, Rattachement, Structure

        # what a request read of the user's profiles is forgotten when one of them changes (habilitations.profils)
        for modele in (Habilitation, Rattachement, Structure):
            post_save.connect(oublier_les_lectures, sender=modele, dispatch_uid=f"oublier-{modele.__name__}")
            post_delete.connect(oublier_les_lectures, sender=modele, dispatch_uid=f"oublier-{modele.__name__}")
