"""/raccordement/: technical accounts, API clients and connection records of the structures a user manages."""

from django.urls import path

from raccordement.views.comptes import clients_api, comptes_techniques, fiches, pages

urlpatterns = [
    path("", pages.accueil, name="accueil"),
    path("structures/<int:structure_pk>/comptes-techniques/", comptes_techniques.liste, name="comptes_techniques"),
    path(
        "structures/<int:structure_pk>/comptes-techniques/export/",
        comptes_techniques.export,
        name="comptes_techniques_export",
    ),
    path(
        "structures/<int:structure_pk>/comptes-techniques/creer/",
        comptes_techniques.creer,
        name="compte_technique_creer",
    ),
    path(
        "structures/<int:structure_pk>/comptes-techniques/<int:pk>/renouveler/",
        comptes_techniques.renouveler,
        name="compte_technique_renouveler",
    ),
    path(
        "structures/<int:structure_pk>/comptes-techniques/<int:pk>/desactiver/",
        comptes_techniques.desactiver,
        name="compte_technique_desactiver",
    ),
    path("structures/<int:structure_pk>/clients-api/", clients_api.liste, name="clients_api"),
    path("structures/<int:structure_pk>/clients-api/creer/", clients_api.creer, name="client_api_creer"),
    path(
        "structures/<int:structure_pk>/clients-api/<int:pk>/desactiver/",
        clients_api.desactiver,
        name="client_api_desactiver",
    ),
    path("structures/<int:structure_pk>/fiches/", fiches.liste, name="fiches"),
    path("structures/<int:structure_pk>/fiches/creer/", fiches.creer, name="fiche_creer"),
    path("structures/<int:structure_pk>/fiches/<int:pk>/", fiches.fiche, name="fiche"),
    path("structures/<int:structure_pk>/fiches/<int:pk>/certificat/", fiches.certificat, name="fiche_certificat"),
    path("structures/<int:structure_pk>/fiches/<int:pk>/production/", fiches.production, name="fiche_production"),
    path("structures/<int:structure_pk>/fiches/<int:pk>/desactiver/", fiches.desactiver, name="fiche_desactiver"),
]
