"""The invoicing area: one URL module per view package, so each space (émises, reçues, à valider…) stays apart."""

from django.urls import include, path

from facturation.views.archives.urls import routes as archives

app_name = "facturation"

urlpatterns = [
    path("factures/emises/saisir/", include("facturation.views.saisie.urls")),
    path("factures/emises/deposer/", include("facturation.views.televersement.urls")),
    path("factures/emises/archives/", include(archives("emises"))),
    path("factures/emises/", include("facturation.views.emises.urls")),
    path("factures/recues/archives/", include(archives("recues"))),
    path("factures/recues/", include("facturation.views.recues.urls")),
    path("factures/a-valider/", include("facturation.views.validation.urls")),
    path("factures/delegations/", include("facturation.views.delegation.urls")),
]
