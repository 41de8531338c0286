from django.urls import path

from travaux.views.fiche import pages

urlpatterns = [
    path("<int:pk>/", pages.fiche_marche, name="fiche_marche"),
]
