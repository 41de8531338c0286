"""The one authorization policy: who may do what, for which structure and service.

A user acts for a structure through an active rattachement; each rattachement carries profiles per application,
at structure level (service empty: every service) or for one service. "modification" includes "consultation".
Views, API, exports and selectors all ask here.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from organisation.enums import Application, Niveau, StatutRattachement, StatutStructure
from organisation.models import Habilitation, Rattachement, Structure, Utilisateur


def _niveaux(niveau):
    return [Niveau.MODIFICATION] if niveau == Niveau.MODIFICATION else [Niveau.CONSULTATION, Niveau.MODIFICATION]


def habilitations_actives(user, application, niveau=Niveau.CONSULTATION):
    if not user.is_authenticated or not user.is_active:
        return Habilitation.objects.none()
    return Habilitation.objects.filter(
        rattachement__utilisateur=user,
        rattachement__statut=StatutRattachement.ACTIF,
        rattachement__structure__statut=StatutStructure.ACTIVE,
        application=application,
        niveau__in=_niveaux(niveau),
    )


def peut(user, application, niveau, structure, service=None):
    """May `user` act at `niveau` on `application` for `structure` (and `service`, when the object has one)?"""
    portee = Q(service__isnull=True)
    if service is not None:
        portee |= Q(service=service)
    return habilitations_actives(user, application, niveau).filter(portee, rattachement__structure=structure).exists()


def titulaires(structure, applications, *, niveau=Niveau.CONSULTATION, service=None):
    """Who holds a profile on one of `applications` at `niveau` for `structure`: the active users with an active
    attachment to it, the structure active, the profile covering the whole structure or `service` (a profile limited
    to another service does not see the object). The people `peut` lets in, hence those the mails and messages of an
    event reach (communication, facturation, travaux, the gestionnaires who approve); ordered by pk."""
    portee = Q(service__isnull=True)
    if service is not None:
        portee |= Q(service=service)
    profil = Habilitation.objects.filter(
        portee,
        rattachement__utilisateur=OuterRef("pk"),
        rattachement__structure=structure,
        rattachement__statut=StatutRattachement.ACTIF,
        rattachement__structure__statut=StatutStructure.ACTIVE,
        application__in=list(applications),
        niveau__in=_niveaux(niveau),
    )
    return Utilisateur.objects.filter(Exists(profil), is_active=True).order_by("pk")


def filtre_visible(user, application, niveau=Niveau.CONSULTATION, *, chemin_structure, chemin_service=None):
    """A Q that keeps the rows of a queryset `user` may see; the queryset's model reaches its structure by
    `chemin_structure` and, if it belongs to a service, the service by `chemin_service`."""
    portee = Q(service__isnull=True)
    if chemin_service:
        portee |= Q(service=OuterRef(chemin_service))
    return Q(
        Exists(
            habilitations_actives(user, application, niveau).filter(
                portee, rattachement__structure=OuterRef(chemin_structure)
            )
        )
    )


@dataclass(frozen=True)
class Perimetre:
    """Where a user's profiles reach, as ids: the structures seen whole, and per structure the services seen."""

    structures: frozenset = frozenset()
    services: tuple = ()  # ((structure id, frozenset of service ids), …), only for structures not seen whole

    def filtre(self, chemin_structure, chemin_service=None):
        """The Q `filtre_visible` means, over literal ids: the planner then reads the index of the structure (and
        its sort) instead of probing the profiles once per row."""
        q = Q(**{f"{chemin_structure}__in": sorted(self.structures)})
        if chemin_service:
            for structure, services in self.services:
                q |= Q(**{chemin_structure: structure, f"{chemin_service}__in": sorted(services)})
        return q


# The user's attachments and profiles, read once per GET request or API call (`une_lecture_par_requete`, entered by
# organisation.middleware.LecturesParRequeteMiddleware for a page and by raccordement.api.vues.ServiceCpro for a
# call): the header's menus, the rows of a list, its counters and its form's structures all ask them, and each asked
# with a query of its own (four of a search page's eleven, issue #16); an API search asks them for its page and its
# total. The one memo of the profiles: what is derived from them (perimetre, ouvertures) is recomputed from it, in
# Python. None outside a request: a service, a task or a test reads the database every time.
_LECTURES = ContextVar("lectures_des_habilitations", default=None)


@contextmanager
def une_lecture_par_requete():
    jeton = _LECTURES.set({})
    try:
        yield
    finally:
        _LECTURES.reset(jeton)


def oublier_les_lectures(**kwargs):
    """A write to an attachment, a profile or a structure (signals, organisation/apps.py) forgets what was read."""
    lectures = _LECTURES.get()
    if lectures:
        lectures.clear()


@dataclass(frozen=True)
class Profil:
    """One row of the user's attachments (active or pending) joined to their profiles (None when it has none)."""

    statut: str
    est_gestionnaire_principal: bool
    structure_id: int
    raison_sociale: str
    identifiant: str
    statut_structure: str
    est_publique: bool
    espaces: list
    application: str | None
    niveau: str | None
    service_id: int | None

    def ouvre(self, application, niveaux):
        """What habilitations_actives() counts: an active attachment to an active structure, this profile."""
        return (
            self.statut == StatutRattachement.ACTIF
            and self.statut_structure == StatutStructure.ACTIVE
            and self.application == application
            and self.niveau in niveaux
        )


def profils(user):
    """[Profil] of the user: one query, or none within a GET request or an API call that already read them."""
    if not user.is_authenticated or not user.is_active:
        return []
    lectures = _LECTURES.get()
    if lectures is not None and user.pk in lectures:
        return lectures[user.pk]
    lignes = [
        Profil(*ligne)
        for ligne in Rattachement.objects.filter(
            utilisateur=user, statut__in=[StatutRattachement.ACTIF, StatutRattachement.EN_ATTENTE]
        ).values_list(
            "statut",
            "est_gestionnaire_principal",
            "structure_id",
            "structure__raison_sociale",
            "structure__identifiant",
            "structure__statut",
            "structure__est_publique",
            "structure__espaces",
            "habilitations__application",
            "habilitations__niveau",
            "habilitations__service_id",
        )
    ]
    if lectures is not None:
        lectures[user.pk] = lignes
    return lignes


def structures_du_perimetre(user, application, niveau=Niveau.CONSULTATION):
    """[(id, raison sociale, identifiant)] of the structures where `user` sees `application`, whole or for some
    services, by raison sociale: what `habilitations_actives` reaches, from `profils` (no query of its own)."""
    niveaux = _niveaux(niveau)
    structures = {
        p.structure_id: (p.raison_sociale, p.identifiant) for p in profils(user) if p.ouvre(application, niveaux)
    }
    return sorted(((pk, *noms) for pk, noms in structures.items()), key=lambda s: (s[1], s[0]))


def perimetre(user, application, niveau=Niveau.CONSULTATION):
    """The user's Perimetre for `application` at `niveau`, from their profiles (`profils`: one small query, or none
    when the GET request or the API call already read them)."""
    entieres, par_structure = set(), {}
    niveaux = _niveaux(niveau)
    lignes = [(p.structure_id, p.service_id) for p in profils(user) if p.ouvre(application, niveaux)]
    for structure, service in lignes:
        if service is None:
            entieres.add(structure)
        else:
            par_structure.setdefault(structure, set()).add(service)
    services = tuple(
        (structure, frozenset(ids)) for structure, ids in sorted(par_structure.items()) if structure not in entieres
    )
    return Perimetre(frozenset(entieres), services)


def filtre_resolu(user, application, niveau=Niveau.CONSULTATION, *, chemin_structure, chemin_service=None):
    """`filtre_visible` resolved first into ids (one query now): for the large lists, whose rows are then found
    through the index on their structure rather than by a correlated EXISTS after joining every row."""
    return perimetre(user, application, niveau).filtre(chemin_structure, chemin_service)


def structures_visibles(user, application, niveau=Niveau.CONSULTATION):
    return Structure.objects.filter(filtre_visible(user, application, niveau, chemin_structure="pk"))


def _lecture_seule_hors_activite(utilisateur):
    # Read-only exceptions to "active structures only" (no service lets anyone write there): the creator of a public
    # structure sees it while the support has not validated it (or after a refusal), and the users of a structure
    # marked as a duplicate see it, to learn which structure to go to.
    return Q(
        statut__in=[StatutStructure.EN_ATTENTE_VALIDATION, StatutStructure.REFUSEE],
        rattachements__utilisateur=utilisateur,
        rattachements__statut=StatutRattachement.ACTIF,
        rattachements__est_gestionnaire_principal=True,
    ) | Q(
        statut=StatutStructure.INACTIVE,
        structure_origine__isnull=False,
        rattachements__utilisateur=utilisateur,
        rattachements__statut=StatutRattachement.ACTIF,
    )


def structures_consultables(utilisateur):
    """The structures whose page a user may open: Organisation – consultation, plus the read-only exceptions."""
    if not utilisateur.is_authenticated:
        return Structure.objects.none()
    return Structure.objects.filter(
        filtre_visible(utilisateur, Application.ORGANISATION, Niveau.CONSULTATION, chemin_structure="pk")
        | _lecture_seule_hors_activite(utilisateur)
    ).distinct()


def objet_visible_ou_404(queryset, **lookup):
    """Fetch from an already scoped queryset; an object of another structure is simply not found."""
    obj = queryset.filter(**lookup).first()
    if obj is None:
        raise Http404("Objet introuvable.")
    return obj


class PerimetreQuerySet:
    """Mixin for domain querysets: `Facture.objects.visible_to(user, Application.FACTURES_EMISES)`.

    Subclasses set `chemin_structure` (and `chemin_service` when rows belong to a service).
    """

    chemin_structure = "structure"
    chemin_service = None

    def visible_to(self, user, application, niveau=Niveau.CONSULTATION):
        return self.filter(
            filtre_resolu(
                user,
                application,
                niveau,
                chemin_structure=self.chemin_structure,
                chemin_service=self.chemin_service,
            )
        )


def toutes_les_habilitations():
    """What a gestionnaire principal receives: modification (hence consultation) on every application."""
    return [(application, Niveau.MODIFICATION) for application in Application]


# A private structure receives no invoice (the routing rules want a public, active recipient): a « Factures reçues »
# profile on it opens nothing to look at. Nor does « Engagements » yet: only public entities' pages exist (the
# suppliers' Commande pages come later, issue #14).
APPLICATIONS_DES_STRUCTURES_PUBLIQUES = frozenset({Application.FACTURES_RECUES, Application.ENGAGEMENTS})


@dataclass(frozen=True)
class Ouvertures:
    """What a user's profiles open, for the menus and the home page: read once per request (`ouvertures`), so a
    page pays one query for them whatever the number of attachments."""

    profils: frozenset = frozenset()  # {(application, niveau)} that open something
    rattache: bool = False  # at least one active attachment (whatever the structure's state)
    demandes_en_attente: tuple = ()  # the structures (raison sociale) the user asked to join, not yet approved
    structures_organisation: tuple = ()  # the structures whose users the user may list (Organisation, whole)
    gestionnaire_principal: bool = False  # of at least one active structure
    est_agent: bool = False

    def ouvre(self, application, niveau=Niveau.CONSULTATION):
        """Does some profile open `application` at `niveau` ("modification" includes "consultation")?"""
        return any((application, n) in self.profils for n in _niveaux(niveau))


def ouvertures(user):
    """The user's Ouvertures, from `profils` (one query, shared with the page's lists within a GET request). A
    profile counts on an active attachment to an active structure that uses the application (its « espaces
    utilisés »), as `habilitations_actives` counts it; for any service of the structure too, since its pages then
    show that service's documents."""
    if not user.is_authenticated or not user.is_active:
        return Ouvertures()
    ouverts, en_attente, organisation = set(), set(), set()
    rattache = gestionnaire_principal = False
    for p in profils(user):
        if p.statut == StatutRattachement.EN_ATTENTE:
            en_attente.add(p.raison_sociale)
            continue
        rattache = True
        if p.statut_structure != StatutStructure.ACTIVE:
            continue
        gestionnaire_principal |= p.est_gestionnaire_principal
        if p.application is None or (p.espaces and p.application not in p.espaces):
            continue
        if p.application in APPLICATIONS_DES_STRUCTURES_PUBLIQUES and not p.est_publique:
            continue
        ouverts.add((p.application, p.niveau))
        if p.application == Application.ORGANISATION and p.service_id is None:
            organisation.add(p.structure_id)
    return Ouvertures(
        profils=frozenset(ouverts),
        rattache=rattache,
        demandes_en_attente=tuple(sorted(en_attente)),
        structures_organisation=tuple(sorted(organisation)),
        gestionnaire_principal=gestionnaire_principal,
        est_agent=bool(getattr(user, "est_agent_support", False)),
    )
