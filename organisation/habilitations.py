"""The one authorization policy: who may do what, for which structure and service.

A user acts for a structure through an active rattachement; each rattachement carries profiles per application,
at structure level (service empty: every service) or for one service. "modification" includes "consultation".
Views, API, exports and selectors all ask here.
"""

from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from organisation.enums import Application, Niveau, StatutRattachement, StatutStructure
from organisation.models import Habilitation, Structure


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
            filtre_visible(
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
