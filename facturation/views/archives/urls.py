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
        path(
            "<int:pk>/pieces-jointes/<int:piece_pk>/",
            pages.piece_jointe,
            {"cote": cote},
            name=f"{cote}_archives_piece_jointe",
        ),
    ]
