from django.urls import path

from organisation.views.structures import pages

urlpatterns = [
    path("organisation/structures/creer/", pages.creer_structure, name="creer_structure"),
]
