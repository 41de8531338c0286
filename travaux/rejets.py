"""« Traiter le rejet » on the Synthèse of the works invoices (issue #5): the supplier side closes refused or rejected
pieces, of several cadres at once. The eligible statuses are travaux/regles/traiter_le_rejet.csv (the reference's
« factures de travaux » rows); like the invoice side (facturation.services.suivi.rejet_traiter) the status stays,
the action is kept in FactureAction and the eligible pieces are processed even when others are not."""

import csv
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from chorus.exceptions import ApplicationError
from facturation.enums import ActionUtilisateur
from facturation.models import Facture, FactureAction
from organisation import habilitations
from organisation.enums import Application, Niveau
from travaux.services.refus import PieceNonAccessible

TABLE = Path(__file__).resolve().parent / "regles" / "traiter_le_rejet.csv"

with open(TABLE, encoding="utf-8", newline="") as _fichier:
    STATUTS_ELIGIBLES = frozenset(ligne["statut"] for ligne in csv.DictReader(_fichier) if ligne["eligible"] == "yes")

# tables/messages.csv traiter_rejet_statut_non_eligible, verbatim. Chorus Pro did not update it when the two
# « Refusée par la MOE / la MOA pour erreur dans les données d'acheminement » statuses became eligible on 19/02/2025:
# they are eligible (STATUTS_ELIGIBLES) though the message does not list them.
MESSAGE_NON_ELIGIBLE = (
    "Des factures n'ont pu être traitées en raison de leur statut. Seuls les statuts suivants sont pris en compte par "
    "le bouton Traiter le rejet : Rejetée, Refusée par la MOA pour un autre motif, Refusée par la MOE pour un autre "
    "motif, Refusée par le fournisseur, Refusée par niveau 1, Refusée par niveau 2"
)


@dataclass
class ResultatTraiterRejet:
    traitees: list = field(default_factory=list)
    non_eligibles: list = field(default_factory=list)

    @property
    def message_non_eligibles(self):
        return MESSAGE_NON_ELIGIBLE if self.non_eligibles else ""


def _factures_permises(par, pieces):
    """The invoices of the selected pieces, locked, if the user may act for the supplier of every one of them."""
    demandees = {int(getattr(p, "pk", p)) for p in pieces}
    visibles = habilitations.filtre_visible(
        par, Application.FACTURES_TRAVAUX, Niveau.MODIFICATION, chemin_structure="fournisseur"
    )
    factures = list(
        Facture.objects.filter(visibles, piece_travaux__pk__in=demandees).select_for_update().order_by("pk")
    )
    if len(factures) != len(demandees):
        raise PieceNonAccessible()
    return factures


def rejets_traiter(*, par, pieces):
    """Process the selected pieces: those at an eligible status get rejet_traite_le and a TRAITEMENT_REJET action;
    the others are left as they are and returned in `non_eligibles` (the caller shows `message_non_eligibles`).
    `pieces` are PieceTravaux or their pks; the result holds their invoices. If the user may not act on one of them,
    nothing changes."""
    if not pieces:
        raise ApplicationError("Sélectionnez au moins une facture.", champ="pieces")
    resultat = ResultatTraiterRejet()
    with transaction.atomic():
        for facture in _factures_permises(par, pieces):
            if facture.statut not in STATUTS_ELIGIBLES:
                resultat.non_eligibles.append(facture)
            elif facture.rejet_traite_le is None:
                resultat.traitees.append(facture)
        maintenant = timezone.now()
        Facture.objects.filter(pk__in=[f.pk for f in resultat.traitees]).update(rejet_traite_le=maintenant)
        FactureAction.objects.bulk_create(
            FactureAction(facture=f, code=ActionUtilisateur.TRAITEMENT_REJET, par=par) for f in resultat.traitees
        )
    for facture in resultat.traitees:
        facture.rejet_traite_le = maintenant
    return resultat
