"""The validators' circuit (chorus-pro-features.md rows 36, 62–64; API traiterFactureAValider, §4.7).

An A9 (sub-contractor) or A12 (co-contractor) invoice waits for its validator: the titulaire or the mandataire,
then a second level when the invoice names one. An A1 invoice whose recipient delegated its validation waits for
the delegate. A validated invoice is forwarded at once, in the same transaction: to the second validator when there
is one, else to the recipient (« Mise à disposition du destinataire »). Fifteen days without an answer count as a
tacit validation (« Validation 1/2 hors délai ») and the invoice is forwarded the same way.
"""

from django.db import transaction
from django.utils import timezone

from chorus import limites
from chorus.exceptions import ApplicationError
from chorus.workflow import TransitionInterdite
from facturation.enums import StatutFacture
from facturation.models import Facture
from facturation.workflow import FACTURE_WORKFLOW, STATUTS_DE_VALIDATION

DELAI_VALIDATION = limites.duree("validation_cotraitance_soustraitance_delai")
MOTIF_LONGUEUR_MAX = 255  # FactureHistorique.motif

NIVEAUX = {
    StatutFacture.A_VALIDER_1: (1, StatutFacture.VALIDEE_1, StatutFacture.REFUSEE_1),
    StatutFacture.A_VALIDER_2: (2, StatutFacture.VALIDEE_2, StatutFacture.REFUSEE_2),
}
STATUTS_A_VALIDER = tuple(NIVEAUX)


def _verrouiller(facture):
    # Locked so that a validator and the beat job cannot both act on the same invoice.
    return Facture.objects.select_for_update().get(pk=facture.pk)


def _transition(facture, par, cible, verbe):
    """The first transition of the table that lets `par` give `cible`: the validator's, the delegate's, then the
    recipient stepping in."""
    libelle = StatutFacture(facture.statut).label
    if facture.statut not in NIVEAUX:
        raise TransitionInterdite(f"Une facture au statut « {libelle} » ne peut pas être {verbe}.")
    for t in FACTURE_WORKFLOW.transitions.values():
        if t.cible == cible and t.cible in STATUTS_DE_VALIDATION and FACTURE_WORKFLOW.peut(facture, t.action, par):
            return t
    raise TransitionInterdite("Vous n'êtes pas habilité à valider ou refuser cette facture.")


def _transmettre(facture):
    """Forward a validated invoice (explicitly or tacitly): the table's system rows choose the next level."""
    for t in FACTURE_WORKFLOW.possibles(facture, None):
        if t.action.startswith("systeme:TRANSMISSION"):
            return FACTURE_WORKFLOW.appliquer(facture, t.action, par=None)
    raise TransitionInterdite(f"Aucune transmission prévue au statut « {StatutFacture(facture.statut).label} ».")


def _marquer_validee(facture, niveau, quand):
    champ = f"date_validation_{niveau}"
    setattr(facture, champ, quand)
    facture.save(update_fields=[champ])


def _recopier(demandee, facture):
    for champ in ("statut", "statut_depuis", "date_validation_1", "date_validation_2"):
        setattr(demandee, champ, getattr(facture, champ))


def facture_valider(*, facture, par, commentaire=""):
    """The validator (or the delegate, or the recipient stepping in) validates; the invoice goes on at once."""
    with transaction.atomic():
        demandee, facture = facture, _verrouiller(facture)
        niveau, validee, _refusee = NIVEAUX.get(facture.statut, (None, None, None))
        transition = _transition(facture, par, validee, "validée")
        historique = FACTURE_WORKFLOW.appliquer(facture, transition.action, par=par, commentaire=commentaire)
        _marquer_validee(facture, niveau, historique.le)
        _transmettre(facture)
    _recopier(demandee, facture)
    return historique


def facture_refuser(*, facture, par, motif, commentaire=""):
    """The validator refuses with a motif: « Refusée par niveau 1/2 », final; the supplier may then « Traiter le
    rejet »."""
    motif = (motif or "").strip()
    if not motif:
        raise ApplicationError("Le motif du refus est obligatoire : il est communiqué au fournisseur.", champ="motif")
    if len(motif) > MOTIF_LONGUEUR_MAX:
        raise ApplicationError(
            f"Le motif du refus ne doit pas dépasser {MOTIF_LONGUEUR_MAX} caractères ({len(motif)} saisis).",
            champ="motif",
        )
    with transaction.atomic():
        demandee, facture = facture, _verrouiller(facture)
        _niveau, _validee, refusee = NIVEAUX.get(facture.statut, (None, None, None))
        transition = _transition(facture, par, refusee, "refusée")
        historique = FACTURE_WORKFLOW.appliquer(
            facture, transition.action, par=par, motif=motif, commentaire=commentaire
        )
    _recopier(demandee, facture)
    return historique


def factures_hors_delai(maintenant=None):
    """The co-/sub-contracting invoices left unanswered for 15 days. A delegated A1 invoice stays with its
    delegate: the 15-day rule is the co-/sub-contracting one, and the recipient can step in at any time."""
    limite = (maintenant or timezone.now()) - DELAI_VALIDATION
    return Facture.objects.filter(statut__in=STATUTS_A_VALIDER, statut_depuis__lte=limite, delegation__isnull=True)


def transmettre_validations_hors_delai(*, maintenant=None):
    """Run by beat: each overdue invoice becomes « Validation n hors délai » then goes on, in its own transaction.

    Idempotent: an invoice already forwarded (or locked by a validator acting right now) is left alone. Returns the
    number of invoices forwarded.
    """
    maintenant = maintenant or timezone.now()
    transmises = 0
    for pk in list(factures_hors_delai(maintenant).order_by("statut_depuis").values_list("pk", flat=True)[:500]):
        with transaction.atomic():
            facture = factures_hors_delai(maintenant).select_for_update(skip_locked=True).filter(pk=pk).first()
            if facture is None:
                continue
            niveau = NIVEAUX[facture.statut][0]
            action = f"systeme:HORS_DELAI:ABSENCE_VALIDATION_{niveau}_HORS_DELAI"
            historique = FACTURE_WORKFLOW.appliquer(facture, action, par=None)
            _marquer_validee(facture, niveau, historique.le)
            _transmettre(facture)
            transmises += 1
    return transmises
