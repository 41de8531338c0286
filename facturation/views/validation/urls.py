from django.urls import path

from facturation.views.validation import actions, exports, pages

urlpatterns = [
    path("", pages.synthese, name="validation_synthese"),
    path("rechercher/", pages.recherche, name="validation_recherche"),
    path("rechercher/export.csv", exports.export_csv, name="validation_export_csv"),
    path("rechercher/export.xlsx", exports.export_xlsx, name="validation_export_xlsx"),
    path("tableau-de-bord/", pages.tableau_de_bord, name="validation_tableau_de_bord"),
    path("<int:pk>/", pages.facture, name="validation_facture"),
    path("<int:pk>/valider/", actions.valider, name="validation_valider"),
    path("<int:pk>/refuser/", actions.refuser, name="validation_refuser"),
    path("<int:pk>/traiter/", actions.traiter, name="validation_traiter"),
]
