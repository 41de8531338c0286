"""« Factures de travaux »: one URL module per view package (deposit, lists, dossier and piece pages)."""

from django.urls import include, path

app_name = "travaux"

urlpatterns = [
    path("factures-travaux/deposer/", include("travaux.views.depot.urls")),
    path("factures-travaux/dossiers/", include("travaux.views.dossier.urls")),
    path("factures-travaux/fiche/", include("travaux.views.fiche.urls")),
    path("factures-travaux/a-associer-moe/", include("travaux.views.moe.urls")),
    path("factures-travaux/", include("travaux.views.listes.urls")),
]
