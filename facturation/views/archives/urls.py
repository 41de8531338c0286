from django.urls import path

from facturation.views.archives import pages


def routes(cote):
    return [
        path("", pages.rechercher, {"cote": cote}, name=f"{cote}_archives"),
        path("<int:pk>/", pages.consulter, {"cote": cote}, name=f"{cote}_archives_consulter"),
        path(
            "<int:pk>/telecharger/<str:format>/",
            pages.telecharger,
            {"cote": cote},
            name=f"{cote}_archives_telecharger",
        ),
    ]
