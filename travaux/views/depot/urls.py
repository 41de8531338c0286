from django.urls import path

from travaux.views.depot import formulaire, recapitulatif

urlpatterns = [
    path("", formulaire.nouveau, name="depot_nouveau"),
    path("brouillons/<int:pk>/", formulaire.brouillon, name="depot_brouillon"),
    path("<int:pk>/recapitulatif/", recapitulatif.recapitulatif, name="depot_recapitulatif"),
    path("<int:pk>/piece.pdf", recapitulatif.pdf, name="depot_pdf"),
]
