from django.urls import path

from facturation.views.televersement import pages

urlpatterns = [
    path("", pages.depot_fichier, name="depot_fichier"),
]
