"""The technical user of a technical account: the API acts as it, so the one policy (organisation.habilitations)
applies to the API unchanged — a technical account sees and does exactly what its structure's profiles allow.

As in Chorus Pro, where a technical account is a user of type « technique » of its structure: attached to it, with
the invoice applications' profiles, never a password of its own (it cannot log into the portal) and never the
management of the structure (« Organisation ») nor the support's requests."""

from django.db import IntegrityError, transaction

from organisation.enums import Application, Niveau, StatutRattachement
from organisation.models import Habilitation, Rattachement, Utilisateur
from raccordement.models import CompteTechnique

APPLICATIONS_TECHNIQUES = tuple(
    a for a in Application if a not in (Application.ORGANISATION, Application.SOLLICITATIONS)
)


def _creer(compte):
    utilisateur = Utilisateur(email=compte.login.lower(), prenom="Compte technique", nom=compte.login, is_active=True)
    utilisateur.set_unusable_password()
    utilisateur.save()
    rattachement = Rattachement.objects.create(
        utilisateur=utilisateur, structure=compte.structure, statut=StatutRattachement.ACTIF
    )
    Habilitation.objects.bulk_create(
        Habilitation(rattachement=rattachement, application=a, niveau=Niveau.MODIFICATION)
        for a in APPLICATIONS_TECHNIQUES
    )
    CompteTechnique.objects.filter(pk=compte.pk).update(utilisateur=utilisateur)
    compte.utilisateur = utilisateur
    return utilisateur


def utilisateur_technique(compte):
    """The account's technical user, created at its first use (a creation racing another finds the other's)."""
    if compte.utilisateur_id is not None:
        return compte.utilisateur
    try:
        with transaction.atomic():
            return _creer(compte)
    except IntegrityError:
        compte.refresh_from_db(fields=["utilisateur"])
        if compte.utilisateur_id is None:
            compte.utilisateur = Utilisateur.objects.get(email=compte.login.lower())
        return compte.utilisateur
