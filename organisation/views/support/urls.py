from django.urls import path

from organisation.views.support import pages, pigp

urlpatterns = [
    path("support/structures/", pages.structures_a_valider, name="support_structures"),
    path("support/structures/<int:pk>/valider/", pages.structure_valider, name="support_structure_valider"),
    path("support/structures/<int:pk>/refuser/", pages.structure_refuser, name="support_structure_refuser"),
    path("support/structures/recherche/", pages.structures_rechercher, name="support_structures_rechercher"),
    path("support/structures/<int:pk>/doublon/", pages.structure_doublon, name="support_doublon"),
    path("support/structures/<int:pk>/gestionnaire/", pages.gestionnaire_transferer, name="support_gestionnaire"),
    path("support/utilisateurs/", pages.utilisateurs, name="support_utilisateurs"),
    path("support/utilisateurs/<int:pk>/", pages.utilisateur, name="support_utilisateur"),
    path("support/utilisateurs/<int:pk>/adresse/", pages.utilisateur_adresse, name="support_utilisateur_adresse"),
    path("pigp/connexion/", pigp.connexion, name="pigp_connexion"),
]
