"""Status machines as data.

A document family declares its transitions once; one function applies a transition: it checks the table and who
may act, writes the history row, updates the status. Templates and APIs ask `possibles()`/`peut()`, so a rule is
written in one place.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from chorus.exceptions import ApplicationError


class TransitionInterdite(ApplicationError):
    pass


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset
    cible: str
    libelle: str
    # who may do it: (user, obj) -> bool; None means the caller has already checked.
    autorise: Callable | None = None
    motif_requis: bool = False


class Workflow:
    def __init__(self, *transitions, historique, lien, champ="statut", libelles=None, champ_date=None):
        self.transitions = {t.action: t for t in transitions}
        # the object's "status since" field, when it keeps one (lists sort and filter on it)
        self.champ_date = champ_date
        self.historique = historique  # concrete HistoriqueStatutBase model
        self.lien = lien  # name of its FK to the object
        self.champ = champ
        self.libelles = libelles or {}

    def transition(self, action):
        try:
            return self.transitions[action]
        except KeyError:
            raise TransitionInterdite(f"Action inconnue : {action}.") from None

    def _permise(self, t, obj, user):
        return getattr(obj, self.champ) in t.sources and (t.autorise is None or t.autorise(user, obj))

    def possibles(self, obj, user):
        return [t for t in self.transitions.values() if self._permise(t, obj, user)]

    def peut(self, obj, action, user):
        t = self.transitions.get(action)
        return t is not None and self._permise(t, obj, user)

    def sources(self, action):
        return self.transition(action).sources

    def appliquer(self, obj, action, *, par, motif="", commentaire=""):
        """Apply `action` to `obj` (updated in place) and write its history row. The object's row is locked and its
        status read again under the lock, whoever the caller: two processes applying a change to the same object at
        the same instant, or a caller holding a stale copy, cannot both start from the same status (the second sees
        the first's status and is refused by the table)."""
        t = self.transition(action)
        with transaction.atomic():
            verrou = type(obj)._default_manager.select_for_update().filter(pk=obj.pk)
            actuel = verrou.values_list(self.champ, flat=True).get()
            setattr(obj, self.champ, actuel)
            if actuel not in t.sources:
                libelle = self.libelles.get(actuel, actuel)
                raise TransitionInterdite(f"Action « {t.libelle} » impossible au statut « {libelle} ».")
            if t.autorise is not None and not t.autorise(par, obj):
                raise TransitionInterdite(f"Vous n'êtes pas habilité à effectuer l'action « {t.libelle} ».")
            if t.motif_requis and not motif.strip():
                raise ApplicationError("Le motif est obligatoire pour cette action.", champ="motif")
            setattr(obj, self.champ, t.cible)
            modifies = [self.champ]
            if self.champ_date:
                setattr(obj, self.champ_date, timezone.now())
                modifies.append(self.champ_date)
            obj.save(update_fields=modifies)
            return self.historique.objects.create(
                **{self.lien: obj},
                action=t.action,
                de_statut=actuel,
                vers_statut=t.cible,
                par=par,
                motif=motif.strip(),
                commentaire=commentaire.strip(),
            )
