from django.urls import path

from organisation.views.structures import edition, pages

racine = "organisation/structures/<int:pk>/"

urlpatterns = [
    path("organisation/structures/", pages.structures, name="structures"),
    path("organisation/structures/creer/", pages.creer_structure, name="creer_structure"),
    path(racine, pages.structure, name="structure"),
    path(f"{racine}fiche/", edition.fiche_modifier, name="structure_fiche_modifier"),
    path(f"{racine}parametres/", edition.parametres_modifier, name="structure_parametres_modifier"),
    path(f"{racine}services/ajouter/", edition.service_ajouter, name="structure_service_ajouter"),
    path(f"{racine}services/<int:service_pk>/", edition.service_modifier, name="structure_service_modifier"),
    path(f"{racine}coordonnees/ajouter/", edition.coordonnee_ajouter, name="structure_coordonnee_ajouter"),
    path(
        f"{racine}coordonnees/<int:coordonnee_pk>/", edition.coordonnee_modifier, name="structure_coordonnee_modifier"
    ),
    path(
        f"{racine}coordonnees/<int:coordonnee_pk>/desactiver/",
        edition.coordonnee_desactiver,
        name="structure_coordonnee_desactiver",
    ),
    path(f"{racine}mandats/ajouter/", edition.mandat_ajouter, name="structure_mandat_ajouter"),
    path(f"{racine}mandats/<int:mandat_pk>/", edition.mandat_modifier, name="structure_mandat_modifier"),
    path(f"{racine}pieces/ajouter/", edition.piece_ajouter, name="structure_piece_ajouter"),
    path(f"{racine}pieces/<int:piece_pk>/", edition.piece_telecharger, name="structure_piece_telecharger"),
    path(f"{racine}pieces/<int:piece_pk>/supprimer/", edition.piece_supprimer, name="structure_piece_supprimer"),
]
