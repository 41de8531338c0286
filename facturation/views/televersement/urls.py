from django.urls import path

from facturation.views.televersement import pages, rapport

urlpatterns = [
    path("", pages.depot_fichier, name="depot_fichier"),
    path("rapport.csv", rapport.rapport_csv, name="depot_rapport_csv"),
]
