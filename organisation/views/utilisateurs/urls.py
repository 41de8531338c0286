from django.urls import path

from organisation.views.utilisateurs import rattachements, transfert, utilisateurs

STRUCTURE = "organisation/structures/<int:pk>/"

urlpatterns = [
    path("organisation/rattachement/demander/", rattachements.demander_rattachement, name="demander_rattachement"),
    path("organisation/approbations/", rattachements.approbations, name="approbations"),
    path(
        "organisation/approbations/rattachements/<int:pk>/accepter/",
        rattachements.rattachement_accepter,
        name="rattachement_accepter",
    ),
    path(
        "organisation/approbations/rattachements/<int:pk>/refuser/",
        rattachements.rattachement_refuser,
        name="rattachement_refuser",
    ),
    path(
        "organisation/approbations/profils/<int:pk>/accepter/",
        rattachements.demande_profil_accepter,
        name="demande_profil_accepter",
    ),
    path(
        "organisation/approbations/profils/<int:pk>/refuser/",
        rattachements.demande_profil_refuser,
        name="demande_profil_refuser",
    ),
    path("organisation/utilisateurs/", utilisateurs.structures, name="utilisateurs_structures"),
    path(STRUCTURE + "utilisateurs/", utilisateurs.utilisateurs, name="utilisateurs"),
    path(STRUCTURE + "utilisateurs/export.csv", utilisateurs.export_csv, name="utilisateurs_csv"),
    path(STRUCTURE + "utilisateurs/export.xlsx", utilisateurs.export_xlsx, name="utilisateurs_xlsx"),
    path(STRUCTURE + "utilisateurs/<int:rattachement_pk>/", utilisateurs.utilisateur, name="utilisateur"),
    path(
        STRUCTURE + "utilisateurs/<int:rattachement_pk>/terminer/",
        utilisateurs.utilisateur_terminer,
        name="utilisateur_terminer",
    ),
    path(STRUCTURE + "profils/demander/", utilisateurs.demander_profil, name="demander_profil"),
    path(
        "organisation/gestionnaire-principal/transferer/",
        transfert.transfert_gestionnaire,
        name="transfert_gestionnaire",
    ),
]
