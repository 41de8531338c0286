"""Who of a structure hears of an event: its active users holding a profile on one of the applications concerned.

The domain apps import communication, so the organisation models are imported inside the function only.
"""


def habilites(structure, applications, service=None):
    """Active users with an active attachment to `structure` and a profile on one of `applications` covering the
    whole structure or `service`: the same people the linked page lets in (organisation.habilitations.filtre_visible
    reads the same rows)."""
    from django.db.models import Exists, OuterRef, Q

    from organisation.enums import StatutRattachement
    from organisation.models import Habilitation, Utilisateur

    portee = Q(service__isnull=True) | Q(service=service) if service is not None else Q(service__isnull=True)
    profil = Habilitation.objects.filter(
        portee, rattachement__utilisateur=OuterRef("pk"), application__in=list(applications)
    ).filter(rattachement__structure=structure, rattachement__statut=StatutRattachement.ACTIF)
    return Utilisateur.objects.filter(Exists(profil), is_active=True).order_by("pk")
