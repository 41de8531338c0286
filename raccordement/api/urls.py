"""The API's routes: `/cpro/<group>/v1/<service>` with Chorus Pro's paths (chorus-pro-api.md §2), and the token
endpoint. The API has its own authentication: its views are exempt from the portal's login."""

from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.urls import path

from raccordement.api import (
    cycle_vie,
    engagements_juridiques,
    factures,
    factures_fournisseur,
    factures_recherches,
    factures_travaux,
    flux,
    gestion,
    organisations,
    pieces_jointes,
    referentiels,
    services_structure,
    siret,
    structures,
    transverses,
    travaux_moe,
    utilisateurs,
    valideurs_travaux,
)
from raccordement.api.documentation import documentation, schema_openapi
from raccordement.api.jeton import jeton


def _service(chemin, vue, nom):
    vue_ = login_not_required(vue.as_view())
    if vue.lecture_seule:
        vue_ = transaction.non_atomic_requests(vue_)
    return path(chemin, vue_, name=nom)


urlpatterns = [
    path("api/oauth/token", jeton, name="api_jeton"),
    path("cpro/openapi.json", schema_openapi, name="api_openapi"),
    path("cpro/documentation/", documentation, name="api_documentation"),
    _service("cpro/transverses/v1/health-check", transverses.HealthCheck, "api_health_check"),
    _service(
        "cpro/transverses/v1/recuperer/cadrefacturation",
        transverses.RecupererCadreFacturation,
        "api_recuperer_cadrefacturation",
    ),
    _service(
        "cpro/transverses/v1/recuperer/etat/typedp",
        transverses.RecupererEtatParTypeDemandePaiement,
        "api_recuperer_etat_typedp",
    ),
    _service(
        "cpro/transverses/v1/recuperer/etats/traitement",
        transverses.RecupererEtatsPossiblesPourTraitement,
        "api_recuperer_etats_traitement",
    ),
    _service("cpro/transverses/v1/recuperer/devises", transverses.RecupererDevises, "api_recuperer_devises"),
    _service("cpro/transverses/v1/recuperer/tauxtva", transverses.RecupererTauxTva, "api_recuperer_tauxtva"),
    _service("cpro/transverses/v1/recuperer/modedepot", transverses.RecupererModeDepot, "api_recuperer_modedepot"),
    _service(
        "cpro/transverses/v1/recuperer/structures/actives/fournisseur",
        structures.RecupererStructuresActives,
        "api_structures_actives_fournisseur",
    ),
    _service(
        "cpro/transverses/v1/recuperer/structures/actives/destinataire",
        structures.RecupererStructuresActivesDestinataire,
        "api_structures_actives_destinataire",
    ),
    _service("cpro/structures/v1/rechercher", structures.RechercherStructure, "api_structures_rechercher"),
    _service("cpro/structures/v1/consulter", structures.ConsulterStructure, "api_structures_consulter"),
    _service(
        "cpro/structures/v1/rechercher/services",
        structures.RechercherServicesStructure,
        "api_structures_rechercher_services",
    ),
    _service(
        "cpro/structures/v1/consulter/service",
        structures.ConsulterServiceStructure,
        "api_structures_consulter_service",
    ),
    _service(
        "cpro/factures/v1/rechercher/fournisseur",
        factures.RechercherFactureParFournisseur,
        "api_factures_rechercher_fournisseur",
    ),
    _service(
        "cpro/factures/v1/rechercher/recipiendaire",
        factures.RechercherFactureParRecipiendaire,
        "api_factures_rechercher_recipiendaire",
    ),
    _service(
        "cpro/factures/v1/consulter/fournisseur",
        factures.ConsulterFactureParFournisseur,
        "api_factures_consulter_fournisseur",
    ),
    _service(
        "cpro/factures/v1/consulter/recipiendaire",
        factures.ConsulterFactureParRecipiendaire,
        "api_factures_consulter_recipiendaire",
    ),
    _service("cpro/factures/v1/consulter/historique", factures.ConsulterHistoriqueFacture, "api_factures_historique"),
    _service("cpro/factures/v1/traiter/recue", factures.TraiterFactureRecue, "api_factures_traiter_recue"),
    _service("cpro/factures/v1/deposer/flux", flux.DeposerFluxFacture, "api_factures_deposer_flux"),
    _service("cpro/transverses/v1/consulterCR", flux.ConsulterCR, "api_consulter_cr"),
    _service(
        "cpro/transverses/v1/recuperer/cyclesDeVie", cycle_vie.RecupererCyclesDeVie, "api_recuperer_cycles_de_vie"
    ),
    _service("cpro/transverses/v1/consulterCRDetaille", flux.ConsulterCRDetaille, "api_consulter_cr_detaille"),
    _service(
        "cpro/transverses/v1/consulter/information/siret",
        siret.ConsulterInformationSiret,
        "api_consulter_information_siret",
    ),
    _service(
        "cpro/utilisateurs/v1/monCompte/recuperer/rattachements",
        utilisateurs.RecupererRattachements,
        "api_mon_compte_rattachements",
    ),
    # (path, view class, name) triples of the modules below
    *(_service(chemin, vue, nom) for chemin, vue, nom in factures_fournisseur.SERVICES),
    *(_service(chemin, vue, nom) for chemin, vue, nom in valideurs_travaux.SERVICES),
    *(_service(chemin, vue, nom) for chemin, vue, nom in factures_travaux.SERVICES),
    *(_service(chemin, vue, nom) for chemin, vue, nom in engagements_juridiques.SERVICES),
    *(_service(chemin, vue, nom) for chemin, vue, nom in referentiels.SERVICES),
    *(_service(chemin, vue, nom) for chemin, vue, nom in pieces_jointes.SERVICES),
    *(_service(chemin, vue, nom) for chemin, vue, nom in services_structure.SERVICES),
    *(_service(chemin, vue, nom) for chemin, vue, nom in gestion.SERVICES),
    *(_service(chemin, vue, nom) for chemin, vue, nom in organisations.SERVICES),
    *(_service(chemin, vue, nom) for chemin, vue, nom in factures_recherches.SERVICES),
    *(_service(chemin, vue, nom) for chemin, vue, nom in travaux_moe.SERVICES),
]
