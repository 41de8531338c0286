from django.apps import AppConfig


class RaccordementConfig(AppConfig):
    name = "raccordement"
    verbose_name = "Raccordement"

    def ready(self):
        from raccordement import signaux  # noqa: F401  (connects the lifecycle messages)
        from raccordement.api.corps_par_morceaux import installer_serveur_de_developpement

        installer_serveur_de_developpement()
