"""Raccordement in the portal: one URL module per view package (technical accounts and connection records, flux)."""

from django.urls import include, path

app_name = "raccordement"

urlpatterns = [
    path("raccordement/", include("raccordement.views.comptes.urls")),
    path("raccordement/flux/", include("raccordement.views.flux.urls")),
]
