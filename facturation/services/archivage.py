"""Moving closed invoices out of the live base (chorus-pro-features.md row 50, API `dpOuDpArchive`).

An invoice is closed when its status is final in facturation/regles/statuts.csv (terminal "yes", or a derived row
the table reads as terminal: mise en paiement, abandonnée…); a status « Traiter le rejet » accepts is closed only
once the supplier processed the rejection. Closed for more than FACTURES_ARCHIVAGE_ANNEES years (since its last
status change), it is flagged `archivee`: the live lists, dashboards and API searches no longer carry it (they read
`Facture.objects`), the Archives pages and DP_ARCHIVE searches find it. Works pieces stay with their dossier, which
has its own Archives in « Factures de travaux ».
"""

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from facturation.enums import lire_table
from facturation.models import Facture
from facturation.services.suivi import STATUTS_TRAITER_LE_REJET

STATUTS_CLOS = frozenset(
    ligne["code"]
    for ligne in lire_table("statuts.csv")
    if ligne["terminal"] == "yes" or (ligne["terminal"] == "derived" and "terminal=yes" in ligne["source"])
)


def _il_y_a(maintenant: datetime, annees: int) -> datetime:
    try:
        return maintenant.replace(year=maintenant.year - annees)
    except ValueError:  # 29 February
        return maintenant.replace(year=maintenant.year - annees, day=28)


def filtre_archivables(limite: datetime) -> Q:
    clos = Q(statut__in=STATUTS_CLOS - STATUTS_TRAITER_LE_REJET) | Q(
        statut__in=STATUTS_CLOS & STATUTS_TRAITER_LE_REJET, rejet_traite_le__isnull=False
    )
    ancien = Q(statut_depuis__lt=limite) | Q(statut_depuis__isnull=True, deposee_le__lt=limite)
    return clos & ancien & Q(piece_travaux__isnull=True)


def archiver_factures_closes(*, maintenant: datetime | None = None, lot: int | None = None) -> int:
    """Archive every invoice closed for long enough, `lot` at a time (one transaction each, so the nightly run never
    holds many rows locked); returns how many were archived."""
    maintenant = maintenant or timezone.now()
    lot = lot or settings.FACTURES_ARCHIVAGE_LOT
    limite = _il_y_a(maintenant, settings.FACTURES_ARCHIVAGE_ANNEES)
    total = 0
    while True:
        with transaction.atomic():
            ids = list(
                Facture.objects.filter(filtre_archivables(limite))
                .order_by("pk")
                # rows a user is processing right now wait for the next night; `of` locks the invoice only (the
                # works-piece test is an outer join PostgreSQL cannot lock)
                .select_for_update(skip_locked=True, of=("self",))
                .values_list("pk", flat=True)[:lot]
            )
            if not ids:
                return total
            total += Facture.objects.filter(pk__in=ids).update(archivee=True, archivee_le=maintenant)
