from django.urls import path

from facturation.views.recues import actions, pages, telechargements

urlpatterns = [
    path("", pages.synthese, name="recues_synthese"),
    path("rechercher/", pages.rechercher, name="recues_rechercher"),
    path("rechercher/telecharger/", telechargements.selection, name="recues_telecharger_selection"),
    path("rechercher/export.<str:format>", telechargements.export, name="recues_export"),
    path("tableau-de-bord/", pages.tableau_de_bord, name="recues_tableau_de_bord"),
    path("<int:pk>/", pages.consulter, name="recues_consulter"),
    path("<int:pk>/traiter/", actions.traiter, name="recues_traiter"),
    path("<int:pk>/valider/", actions.valider, name="recues_valider"),
    path("<int:pk>/refuser/", actions.refuser, name="recues_refuser"),
    path("<int:pk>/telecharger/<str:format>/", telechargements.telecharger, name="recues_telecharger"),
    path("<int:pk>/pieces-jointes/<int:piece_pk>/", telechargements.piece_jointe, name="recues_piece_jointe"),
]
