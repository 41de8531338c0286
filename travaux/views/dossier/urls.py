from django.urls import path

from travaux.views.dossier import actions, pages, recyclage, telechargements

urlpatterns = [
    path("<int:pk>/", pages.consulter, name="dossier_consulter"),
    path("<int:pk>/telecharger/", telechargements.archive, name="dossier_archive"),
    path("pieces/<int:pk>/", pages.piece, name="dossier_piece"),
    path("pieces/<int:pk>/prendre-en-compte/", actions.prendre_en_compte, name="dossier_prendre_en_compte"),
    path("pieces/<int:pk>/refuser/", actions.refuser, name="dossier_refuser"),
    path("pieces/<int:pk>/demander-recyclage/", recyclage.demander_recyclage, name="dossier_demander_recyclage"),
    path(
        "factures/<int:facture_pk>/pieces-jointes/<int:jointe_pk>/",
        telechargements.piece_jointe,
        name="dossier_piece_jointe",
    ),
]
