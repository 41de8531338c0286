"""The header's menus and the home page's tiles, as data: each entry says which profile opens it, asked of the one
policy (organisation.habilitations.ouvertures), so that a menu never promises a closed space and a tile never denies
an open one. The templates only draw what this module returns."""

import functools
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.urls import get_script_prefix, get_urlconf, reverse

from organisation.enums import Application, Niveau
from organisation.habilitations import Ouvertures, ouvertures


@dataclass(frozen=True)
class Visiteur:
    """Who looks at the page: what the profiles open, and the little else a menu depends on."""

    ouvertures: Ouvertures
    connecte: bool
    demo: bool


Condition = Callable[[Visiteur], bool]


def consultation(application) -> Condition:
    return lambda v: v.ouvertures.ouvre(application, Niveau.CONSULTATION)


def modification(application) -> Condition:
    return lambda v: v.ouvertures.ouvre(application, Niveau.MODIFICATION)


def connecte(v):
    return v.connecte


def anonyme(v):
    return not v.connecte


def toujours(v):
    return True


def rattache(v):
    return v.ouvertures.rattache


def agent(v):
    return v.ouvertures.est_agent


def flux(v):
    # « Suivi des flux » shows the flux of the structures where the user sends invoices or runs the connection
    return consultation(Application.FACTURES_EMISES)(v) or consultation(Application.RACCORDEMENT)(v)


def utilisateurs(v):
    return bool(v.ouvertures.structures_organisation)


def gestionnaire_principal(v):
    return v.ouvertures.gestionnaire_principal


@dataclass(frozen=True)
class Entree:
    libelle: str
    url: str  # URL name
    ouverte: Condition


@dataclass(frozen=True)
class Menu:
    titre: str
    ident: str
    entrees: tuple
    courant: Callable  # (namespace, url_name) -> bool: the page belongs to this menu


ORGANISATION_PAGES = {
    "structures",
    "structure",
    "creer_structure",
    "approbations",
    "utilisateurs",
    "utilisateurs_structures",
    "utilisateur",
    "demander_rattachement",
    "transfert_gestionnaire",
    "annuaire",
    "annuaire_structure",
}

MENUS = (
    Menu(
        "Facturation",
        "menu-facturation",
        (
            Entree("Saisir une facture", "facturation:saisie_nouvelle", modification(Application.FACTURES_EMISES)),
            Entree("Déposer une facture", "facturation:depot_fichier", modification(Application.FACTURES_EMISES)),
            Entree(
                "Factures en brouillon", "facturation:saisie_brouillons", modification(Application.FACTURES_EMISES)
            ),
            Entree("Factures émises", "facturation:emises_accueil", consultation(Application.FACTURES_EMISES)),
            Entree("Factures reçues", "facturation:recues_synthese", consultation(Application.FACTURES_RECUES)),
            Entree("Factures à valider", "facturation:validation_synthese", consultation(Application.VALIDATION)),
            Entree(
                "Gérer délégation des factures reçues",
                "facturation:delegation_liste",
                modification(Application.FACTURES_RECUES),
            ),
        ),
        lambda espace, nom: espace == "facturation",
    ),
    Menu(
        "Commande",
        "menu-commande",
        (
            Entree("Engagements juridiques", "engagements:liste", consultation(Application.ENGAGEMENTS)),
            Entree("Charger des engagements", "engagements:charger", modification(Application.ENGAGEMENTS)),
        ),
        lambda espace, nom: espace == "engagements",
    ),
    Menu(
        "Factures de travaux",
        "menu-travaux",
        (
            Entree("Synthèse", "travaux:listes_synthese", consultation(Application.FACTURES_TRAVAUX)),
            Entree("Rechercher", "travaux:listes_rechercher", consultation(Application.FACTURES_TRAVAUX)),
            Entree("Déposer", "travaux:depot_nouveau", modification(Application.FACTURES_TRAVAUX)),
            Entree("Pièces en brouillon", "travaux:depot_brouillons", modification(Application.FACTURES_TRAVAUX)),
            Entree(
                "Pièces à associer à une MOE", "travaux:moe_a_associer", modification(Application.FACTURES_TRAVAUX)
            ),
            Entree(
                "Tableau de bord (stock)", "travaux:listes_tableau_de_bord", consultation(Application.FACTURES_TRAVAUX)
            ),
            Entree("Liste fiscale", "travaux:listes_liste_fiscale", consultation(Application.FACTURES_TRAVAUX)),
            Entree("Archives", "travaux:listes_archives", consultation(Application.FACTURES_TRAVAUX)),
        ),
        lambda espace, nom: espace == "travaux",
    ),
    Menu(
        "Raccordement",
        "menu-raccordement",
        (
            Entree("Suivi des flux", "raccordement:flux_liste", flux),
            Entree(
                "Comptes techniques et raccordements",
                "raccordement:accueil",
                consultation(Application.RACCORDEMENT),
            ),
            # the API's documentation is public knowledge: a software vendor reads it before any structure exists
            Entree("Documentation de l'API", "api_documentation", connecte),
        ),
        lambda espace, nom: espace == "raccordement" or nom == "api_documentation",
    ),
    Menu(
        "Organisation",
        "menu-organisation",
        (
            Entree("Mes structures", "organisation:structures", rattache),
            Entree("Utilisateurs", "organisation:utilisateurs_structures", utilisateurs),
            Entree("Créer une nouvelle structure", "organisation:creer_structure", connecte),
            Entree("Demander un rattachement à une structure", "organisation:demander_rattachement", connecte),
            Entree("Approbations", "organisation:approbations", modification(Application.ORGANISATION)),
            Entree(
                "Transférer le gestionnaire principal", "organisation:transfert_gestionnaire", gestionnaire_principal
            ),
            Entree("Annuaire des destinataires", "organisation:annuaire", connecte),
        ),
        lambda espace, nom: espace == "organisation" and nom in ORGANISATION_PAGES,
    ),
    Menu(
        "Espace support",
        "menu-agent",
        (
            Entree("Structures publiques à valider", "organisation:support_structures", agent),
            Entree("Utilisateurs", "organisation:support_utilisateurs", agent),
            Entree("File des sollicitations", "support:agent_file", agent),
            Entree("Catégories des sollicitations", "support:agent_categories", agent),
            Entree("Réponses types", "support:agent_reponses_types", agent),
        ),
        lambda espace, nom: (
            (espace == "organisation" and nom.startswith("support_"))
            or (espace == "support" and nom.startswith("agent_"))
        ),
    ),
    Menu(
        "SUPPORT",
        "menu-support",
        (
            Entree("Suivi des tickets", "support:emises", connecte),
            Entree("Saisir une sollicitation", "support:sollicitation_saisir", connecte),
            Entree("Sollicitations reçues", "support:recues", consultation(Application.SOLLICITATIONS)),
            Entree("Compléter le formulaire de demande", "support:sollicitation_publique", anonyme),
            Entree("Accessibilité", "accessibilite", toujours),
            Entree("Boîte mail de démonstration", "demo:boite_mail", lambda v: v.demo),
        ),
        lambda espace, nom: False,
    ),
)


@dataclass(frozen=True)
class Tuile:
    titre: str
    description: str
    url: str  # URL name
    ouverte: Condition


# The spaces a logged-in user may open, each worded after what its pages do today.
TUILES = (
    Tuile(
        "Factures émises",
        "Saisir ou déposer les factures de votre structure, puis suivre leur traitement par le destinataire.",
        "facturation:emises_accueil",
        consultation(Application.FACTURES_EMISES),
    ),
    Tuile(
        "Factures reçues",
        "Traiter les factures adressées à votre entité : service fait, mise en paiement, suspension, rejet.",
        "facturation:recues_synthese",
        consultation(Application.FACTURES_RECUES),
    ),
    Tuile(
        "Factures à valider",
        "Valider ou refuser sous 15 jours les factures de vos cotraitants et sous-traitants.",
        "facturation:validation_synthese",
        consultation(Application.VALIDATION),
    ),
    Tuile(
        "Factures de travaux",
        "Déposer et traiter les pièces des marchés de travaux entre l'entreprise, la maîtrise d'œuvre et la maîtrise "
        "d'ouvrage, dossier par dossier.",
        "travaux:listes_synthese",
        consultation(Application.FACTURES_TRAVAUX),
    ),
    Tuile(
        "Raccordement",
        "Raccorder votre logiciel par API ou EDI : comptes techniques, fiches de raccordement.",
        "raccordement:accueil",
        consultation(Application.RACCORDEMENT),
    ),
    Tuile(
        "Suivi des flux",
        "Suivre les flux de factures déposés par votre logiciel et lire leurs comptes rendus d'intégration.",
        "raccordement:flux_liste",
        lambda v: flux(v) and not consultation(Application.RACCORDEMENT)(v),
    ),
    Tuile(
        "Organisation",
        "Gérer vos structures, leurs services, leurs utilisateurs et leurs habilitations.",
        "organisation:structures",
        rattache,
    ),
    Tuile(
        "Espace support",
        "Traiter les sollicitations, valider les structures publiques, accompagner les utilisateurs.",
        "support:agent_file",
        agent,
    ),
    Tuile(
        "Sollicitations",
        "Poser une question au support ou à une structure et suivre vos tickets.",
        "support:emises",
        connecte,
    ),
    Tuile(
        "Annuaire des destinataires",
        "Consulter et télécharger l'annuaire des structures publiques et de leurs services.",
        "organisation:annuaire",
        connecte,
    ),
)


@functools.cache
def _chemin(nom, prefixe, urlconf):
    return reverse(nom, urlconf=urlconf)


def chemin(nom):
    """reverse(nom) of an entry without arguments, remembered: the header reversed up to 38 names on every page
    (about 8 ms under load, issue #16); the key holds what reverse() depends on (script prefix, URLconf)."""
    return _chemin(nom, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


def visiteur(request):
    """The request's Visiteur, read once per request (the header and the page share it)."""
    if not hasattr(request, "_visiteur"):
        user = getattr(request, "user", None) or AnonymousUser()
        request._visiteur = Visiteur(ouvertures(user), bool(user.is_authenticated), bool(settings.DEMO))
    return request._visiteur


def menus(request):
    """[{titre, ident, courant, entrees: [(libelle, href)]}] of the menus with at least one open entry."""
    v = visiteur(request)
    correspondance = getattr(request, "resolver_match", None)
    espace, nom = (correspondance.namespace, correspondance.url_name or "") if correspondance else ("", "")
    resultat = []
    for menu in MENUS:
        entrees = [(e.libelle, chemin(e.url)) for e in menu.entrees if e.ouverte(v)]
        if entrees:
            resultat.append(
                {"titre": menu.titre, "ident": menu.ident, "courant": menu.courant(espace, nom), "entrees": entrees}
            )
    return resultat


def tuiles(request):
    v = visiteur(request)
    return [{"titre": t.titre, "description": t.description, "url": chemin(t.url)} for t in TUILES if t.ouverte(v)]
