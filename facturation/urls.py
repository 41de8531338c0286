"""The invoicing area: one URL module per view package, so each space (émises, reçues, à valider…) stays apart."""

from django.urls import include, path

app_name = "facturation"

urlpatterns = [
    path("factures/emises/saisir/", include("facturation.views.saisie.urls")),
    path("factures/emises/deposer/", include("facturation.views.televersement.urls")),
    path("factures/emises/", include("facturation.views.emises.urls")),
    path("factures/recues/", include("facturation.views.recues.urls")),
    path("factures/a-valider/", include("facturation.views.validation.urls")),
    path("factures/delegations/", include("facturation.views.delegation.urls")),
]
