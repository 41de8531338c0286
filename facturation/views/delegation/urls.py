from django.urls import path

from facturation.views.delegation import pages

urlpatterns = [
    path("", pages.liste, name="delegation_liste"),
    path("structures/<int:structure_pk>/creer/", pages.creer, name="delegation_creer"),
    path("<int:pk>/terminer/", pages.terminer, name="delegation_terminer"),
]
