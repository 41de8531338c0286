from django.urls import path

from travaux.views.listes import pages, registres

urlpatterns = [
    path("", pages.synthese, name="listes_synthese"),
    path("export/", pages.synthese_export, name="listes_synthese_export"),
    path("traiter-le-rejet/", pages.traiter_rejet, name="listes_traiter_rejet"),
    path("rechercher/", pages.rechercher, name="listes_rechercher"),
    path("rechercher/export/", pages.export, name="listes_export"),
    path("tableau-de-bord/", pages.tableau_de_bord, name="listes_tableau_de_bord"),
    path("liste-fiscale/", registres.liste_fiscale, name="listes_liste_fiscale"),
    path("liste-fiscale/export/", registres.liste_fiscale_export, name="listes_liste_fiscale_export"),
    path("archives/", registres.archives, name="listes_archives"),
    path("archives/export/", registres.archives_export, name="listes_archives_export"),
]
