from django.urls import path

from organisation.views.structures import pages

urlpatterns = [
    path("organisation/rattachement/demander/", pages.demander_rattachement, name="demander_rattachement"),
]
