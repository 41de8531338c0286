"""The MOE's 7-day deadline on a supplier's projet de décompte mensuel (A4, CCAG Travaux art. 12.2.2).

A piece that stays « Mise à disposition de la MOE » more than 7 days gets a reminder every day, one mail to the MOA and
one to the supplier, until the MOE acts
(chorus/regles/limites.csv moe_delai_reglementaire_projet_decompte_mensuel; the daily rhythm, the reference's
moe_relance_moa_frequence, is the beat schedule's).

Days are Europe/Paris calendar days: a piece that reached the MOE on day D is within the deadline on D+1…D+7 and is
reminded from D+8 on, whatever the hour. The RelanceMoe row (unique per piece and day) is what makes a job that runs
every few seconds send each day's pair once.
"""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from chorus import limites
from chorus.courriels import courriel_programmer
from communication.services import notifier_evenement
from facturation.models import Facture
from organisation.enums import Application
from organisation.habilitations import titulaires
from travaux.models import PieceTravaux, RelanceMoe

DELAI_MOE_JOURS = limites.duree("moe_delai_reglementaire_projet_decompte_mensuel").days
CADRES_RELANCES = ("A4",)
STATUT_CHEZ_LA_MOE = "MISE_A_DISPOSITION_MOE"
ARTICLE_CCAG = "CCAG Travaux, article 12.2.2"

APPLICATIONS_MOA = (Application.FACTURES_TRAVAUX, Application.FACTURES_RECUES)
APPLICATIONS_FOURNISSEUR = (Application.FACTURES_TRAVAUX, Application.FACTURES_EMISES)


def jours_chez_la_moe(depuis, jour):
    """Calendar days (Europe/Paris) between the day the piece reached the MOE and `jour`."""
    return (jour - timezone.localdate(depuis)).days


def _debut_du_jour(jour):
    return timezone.make_aware(datetime.combine(jour, time.min))


def pieces_a_relancer(maintenant=None):
    """The A4 pieces still with the MOE that reached it on day D ≤ today − 8, i.e. before midnight of today − 7."""
    jour = timezone.localdate(maintenant)
    limite = _debut_du_jour(jour - timedelta(days=DELAI_MOE_JOURS))
    return PieceTravaux.objects.filter(
        facture__cadre__in=CADRES_RELANCES,
        facture__statut=STATUT_CHEZ_LA_MOE,
        facture__statut_depuis__lt=limite,
        dossier__moa__isnull=False,
    )


def contacts(structure, applications, service=None):
    """The structure's address when it has one, else its active users holding one of `applications` on the whole
    structure or on `service` (a profile limited to another service does not see the piece)."""
    if structure.email:
        return [structure.email]
    return sorted(set(titulaires(structure, applications, service=service).values_list("email", flat=True)))


def _relancer(piece, jour):
    facture, dossier = piece.facture, piece.dossier
    contexte = {
        "numero_piece": facture.numero,
        "cadre": facture.cadre,
        "numero_dossier": dossier.numero,
        "fournisseur": dossier.fournisseur.designation,
        "moe": dossier.moe.designation if dossier.moe else "",
        "moa": dossier.moa.designation,
        "mise_a_disposition_le": timezone.localdate(facture.statut_depuis),
        "jours": jours_chez_la_moe(facture.statut_depuis, jour),
        "delai_jours": DELAI_MOE_JOURS,
        "article": ARTICLE_CCAG,
    }
    envois = [
        ("travaux/email/relance_moe_moa", contacts(dossier.moa, APPLICATIONS_MOA, dossier.service_moa)),
        ("travaux/email/relance_moe_fournisseur", contacts(dossier.fournisseur, APPLICATIONS_FOURNISSEUR)),
    ]
    for gabarit, adresses in envois:
        for adresse in adresses:
            courriel_programmer(gabarit=gabarit, destinataire=adresse, contexte=contexte)
    notifier_evenement(
        gabarit="travaux/email/relance_moe_moa",
        destinataires=titulaires(dossier.moa, [Application.FACTURES_TRAVAUX], service=dossier.service_moa),
        contexte={**contexte, "piece": piece},
    )
    notifier_evenement(
        gabarit="travaux/email/relance_moe_fournisseur",
        destinataires=titulaires(dossier.fournisseur, [Application.FACTURES_TRAVAUX]),
        contexte={**contexte, "piece": piece},
    )


def relancer_moe(*, maintenant=None):
    """Run by beat: remind the MOA and the supplier of each overdue piece, once per piece and per day.

    Each piece in its own transaction; returns the number of pieces reminded by this run.
    """
    maintenant = maintenant or timezone.now()
    jour = timezone.localdate(maintenant)
    relancees = 0
    for pk, facture_pk in list(
        pieces_a_relancer(maintenant)
        .exclude(relances__jour=jour)
        .order_by("facture__statut_depuis", "pk")
        .values_list("pk", "facture_id")[:500]
    ):
        with transaction.atomic():
            # The MOE processing the piece locks its invoice: wait for neither, and read the status after the lock.
            if Facture.objects.select_for_update(skip_locked=True).filter(pk=facture_pk).only("pk").first() is None:
                continue
            piece = (
                pieces_a_relancer(maintenant)
                .select_related("facture", "dossier__fournisseur", "dossier__moe", "dossier__moa")
                .filter(pk=pk)
                .first()
            )
            if piece is None:
                continue
            _relance, creee = RelanceMoe.objects.get_or_create(piece=piece, jour=jour)
            if not creee:
                continue
            _relancer(piece, jour)
            relancees += 1
    return relancees
