from django.urls import path

from facturation.views.emises import actions, exports, pages

urlpatterns = [
    path("", pages.accueil, name="emises_accueil"),
    path("synthese/", pages.synthese, name="emises_synthese"),
    path("rechercher/", pages.rechercher, name="emises_rechercher"),
    path("rechercher/export/", exports.export, name="emises_export"),
    path("rechercher/telecharger/", exports.selection, name="emises_telecharger_selection"),
    path("tableau-de-bord/", pages.tableau_de_bord, name="emises_tableau_de_bord"),
    path("acquitter/", actions.acquitter, name="emises_acquitter"),
    path("traiter-le-rejet/", actions.traiter_rejet, name="emises_traiter_rejet"),
    path("<int:pk>/", pages.consulter, name="emises_consulter"),
    path("<int:pk>/recycler/", actions.recycler, name="emises_recycler"),
    path("<int:pk>/completer/", actions.completer, name="emises_completer"),
    path("<int:pk>/corriger-valideur/", actions.corriger_valideur, name="emises_corriger_valideur"),
    path("<int:pk>/pieces-jointes/<int:piece_pk>/", actions.piece_jointe, name="emises_piece_jointe"),
]
