from django.urls import path

from raccordement.views.flux import pages

urlpatterns = [
    path("", pages.liste, name="flux_liste"),
    path("export/", pages.export, name="flux_export"),
    path("deposer/", pages.deposer, name="flux_deposer"),
    path("<int:pk>/", pages.consulter, name="flux_consulter"),
    path("<int:pk>/etat/", pages.etat, name="flux_etat"),
    path("<int:pk>/rapport.csv", pages.rapport_csv, name="flux_rapport_csv"),
]
