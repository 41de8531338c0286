"""Delayed modifications: programme a change now, apply it later, in order, exactly once.

A domain registers what a change does with `@operation("nom")` (a function (objet, donnees) -> None that may raise
ApplicationError), then calls `modification_programmer(...)` from its service. The change is shown as pending until
its time; `modification_appliquer` is what the task and the sweeper call.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from chorus.exceptions import ApplicationError
from chorus.models import ModificationDifferee

_OPERATIONS = {}

OBJET_SUPPRIME = "L'objet a été supprimé entre-temps : la modification est abandonnée."


def operation(nom):
    def enregistrer(fonction):
        _OPERATIONS[nom] = fonction
        return fonction

    return enregistrer


def modification_programmer(*, objet, operation, donnees, par, libelle, perimetre="", delai=None):
    if operation not in _OPERATIONS:
        raise ValueError(f"Opération différée inconnue : {operation}")
    from chorus.tasks import appliquer_modification

    maintenant = timezone.now()
    modification = ModificationDifferee.objects.create(
        operation=operation,
        libelle=libelle,
        content_type=ContentType.objects.get_for_model(objet),
        object_id=str(objet.pk),
        perimetre=perimetre,
        donnees=donnees,
        demandee_par=par,
        demandee_le=maintenant,
        effective_le=maintenant + (delai if delai is not None else settings.MODIFICATIONS_DIFFEREES_DELAI),
    )
    appliquer_modification.apply_async_on_commit((modification.pk,), eta=modification.effective_le)
    return modification


def _appliquer_une(modification, maintenant):
    modele = modification.content_type.model_class()
    cible = modele._default_manager.filter(pk=modification.object_id).first()
    if cible is None:
        modification.statut = ModificationDifferee.Statut.ABANDONNEE
        modification.trace = OBJET_SUPPRIME
    else:
        try:
            with transaction.atomic():
                _OPERATIONS[modification.operation](cible, modification.donnees)
        except ApplicationError as erreur:
            modification.statut = ModificationDifferee.Statut.ABANDONNEE
            modification.trace = erreur.message
        else:
            modification.statut = ModificationDifferee.Statut.APPLIQUEE
    modification.appliquee_le = maintenant
    modification.save(update_fields=["statut", "trace", "appliquee_le"])


def modification_appliquer(*, modification_id):
    """Apply one due change, after the earlier pending changes of the same object. False if nothing was due."""
    maintenant = timezone.now()
    with transaction.atomic():
        modification = (
            ModificationDifferee.objects.select_for_update()
            .filter(pk=modification_id, statut=ModificationDifferee.Statut.EN_ATTENTE)
            .first()
        )
        if modification is None or modification.effective_le > maintenant:
            return False
        file_attente = list(
            ModificationDifferee.objects.select_for_update()
            .filter(
                content_type_id=modification.content_type_id,
                object_id=modification.object_id,
                statut=ModificationDifferee.Statut.EN_ATTENTE,
                effective_le__lte=modification.effective_le,
            )
            .order_by("effective_le", "pk")
        )
        for precedente in file_attente:
            if (precedente.effective_le, precedente.pk) <= (modification.effective_le, modification.pk):
                _appliquer_une(precedente, maintenant)
    return True


def modifications_en_retard(maintenant=None):
    return ModificationDifferee.objects.filter(
        statut=ModificationDifferee.Statut.EN_ATTENTE, effective_le__lte=maintenant or timezone.now()
    ).order_by("effective_le", "pk")


def modifications_en_attente(*, perimetre=None, objet=None):
    qs = ModificationDifferee.objects.filter(statut=ModificationDifferee.Statut.EN_ATTENTE)
    if perimetre is not None:
        qs = qs.filter(perimetre=perimetre)
    if objet is not None:
        qs = qs.filter(content_type=ContentType.objects.get_for_model(objet), object_id=str(objet.pk))
    return qs.order_by("effective_le", "pk")
