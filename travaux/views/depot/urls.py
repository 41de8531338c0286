from django.urls import path

from travaux.views.depot import brouillons, formulaire, recapitulatif

urlpatterns = [
    path("", formulaire.nouveau, name="depot_nouveau"),
    path("brouillons/", brouillons.liste, name="depot_brouillons"),
    path("brouillons/<int:pk>/", formulaire.brouillon, name="depot_brouillon"),
    path("brouillons/<int:pk>/supprimer/", brouillons.supprimer, name="depot_brouillon_supprimer"),
    path("<int:pk>/recapitulatif/", recapitulatif.recapitulatif, name="depot_recapitulatif"),
    path("<int:pk>/piece.pdf", recapitulatif.pdf, name="depot_pdf"),
]
