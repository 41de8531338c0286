"""« Traiter le rejet » on the Synthèse of the works invoices (issue #5): the depositor's side (the supplier, the MOE
or the MOA) closes its refused or rejected pieces, of several cadres at once. The eligible statuses are
travaux/regles/traiter_le_rejet.csv (the reference's « factures de travaux » rows); like the invoice side
(facturation.services.suivi.rejet_traiter) the status stays, the action is kept in FactureAction and the eligible
pieces are processed even when others are not."""

import csv
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from chorus.exceptions import ApplicationError
from facturation.enums import ActionUtilisateur
from facturation.models import Facture, FactureAction
from organisation.enums import Niveau
from travaux.enums import RoleTravaux
from travaux.models import PieceTravaux, cote_du_role
from travaux.selectors.visibilite import pieces_visibles
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


# The dossier actor → the depositor roles whose rejections it closes.
DEPOSANTS_PAR_COTE = {}
for _role in RoleTravaux:
    DEPOSANTS_PAR_COTE.setdefault(cote_du_role(_role), []).append(_role)


@dataclass
class ResultatTraiterRejet:
    traitees: list = field(default_factory=list)
    non_eligibles: list = field(default_factory=list)

    @property
    def message_non_eligibles(self):
        return MESSAGE_NON_ELIGIBLE if self.non_eligibles else ""


def _factures_permises(par, pieces):
    """The invoices of the selected pieces, locked, if the user may act for the depositor of every one of them: the
    supplier for its pieces (and its sub-contractors' and co-contractors'), the MOE for its A15/A17, the MOA for its
    A19/A20 (the supplier refuses an A20: its MOA closes that rejection)."""
    demandees = {int(getattr(p, "pk", p)) for p in pieces}
    permises = Q(pk__in=[])
    for cote, roles in DEPOSANTS_PAR_COTE.items():
        permises |= Q(
            pk__in=pieces_visibles(par, Niveau.MODIFICATION, roles=[cote]).filter(role_deposant__in=roles).values("pk")
        )
    factures = list(
        Facture.objects.filter(pk__in=PieceTravaux.objects.filter(permises, pk__in=demandees).values("facture_id"))
        .select_for_update()
        .order_by("pk")
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
