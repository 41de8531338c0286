"""Refusing a works piece (« Refuser », API refuserFactureTravaux) by the actor who holds it: the MOE, the MOA, or
the supplier for the general statement the MOA sends back. The rules are travaux.refus (travaux_refus.csv)."""

from django.db import transaction
from django.utils import timezone

from chorus.exceptions import ApplicationError
from facturation.enums import StatutFacture
from facturation.models import Facture, FactureHistorique
from organisation import habilitations
from organisation.enums import Application, Niveau
from travaux import refus
from travaux.enums import CanalDepot, RoleTravaux
from travaux.models import PieceTravaux

ACTION_REFUSER = "refuserFactureTravaux"
COMMENTAIRE_LONGUEUR_MAX = 2000


class PieceNonAccessible(ApplicationError):
    """The user does not act for this piece's structure: views answer 404, as for an object that does not exist."""

    def __init__(self):
        super().__init__("Pièce introuvable.")


class CorrectionMontantsDemandee(ApplicationError):
    """« Erreur de montant » on the portal: nothing is refused, the page opens the correction window."""

    def __init__(self):
        super().__init__(
            "Une erreur de montant ne permet pas de refuser la pièce : corrigez les montants et déposez la pièce "
            "suivante à partir de cette pièce.",
            champ="motif",
        )


def structure_de_l_acteur(piece, acteur):
    """The structure (and service) for which a user acts as `acteur` on this piece; (None, None) when the dossier
    names no such actor."""
    dossier = piece.dossier
    if acteur == RoleTravaux.MOE:
        return dossier.moe, dossier.service_moe
    if acteur == RoleTravaux.MOA:
        return dossier.moa, dossier.service_moa
    if acteur == RoleTravaux.FOURNISSEUR:
        # The dossier's supplier, not the invoice's: the pieces a supplier refuses (A18, A20) are deposited by the
        # MOE or the MOA, who stand in the invoice's « fournisseur » column as depositors.
        return dossier.fournisseur, None
    return None, None


def peut_agir(user, piece, acteur):
    structure, service = structure_de_l_acteur(piece, acteur)
    return structure is not None and habilitations.peut(
        user, Application.FACTURES_TRAVAUX, Niveau.MODIFICATION, structure, service
    )


def _verrouiller(piece):
    dossier = ("dossier__fournisseur", "dossier__moe", "dossier__moa", "dossier__service_moe", "dossier__service_moa")
    piece = PieceTravaux.objects.select_related(*dossier).get(pk=piece.pk)
    piece.facture = Facture.objects.select_for_update().select_related("fournisseur").get(pk=piece.facture_id)
    return piece


def piece_refuser(*, piece, par, acteur, motif, commentaire="", canal=CanalDepot.PORTAIL):
    """Refuse `piece` as `acteur` with `motif`; returns the FactureHistorique row of the new status.

    The order of the checks matters: a user who does not act for the piece learns nothing about it (not even its
    status); « Erreur de montant » only opens the correction window for the actor who holds the piece."""
    commentaire = (commentaire or "").strip()
    if len(commentaire) > COMMENTAIRE_LONGUEUR_MAX:
        raise ApplicationError(
            f"Le commentaire ne peut pas dépasser {COMMENTAIRE_LONGUEUR_MAX} caractères.", champ="commentaire"
        )
    with transaction.atomic():
        demandee, piece = piece, _verrouiller(piece)
        facture = piece.facture
        if acteur not in refus.ACTEURS or not peut_agir(par, piece, acteur):
            raise PieceNonAccessible()
        if facture.statut not in refus.STATUTS_EN_MAIN[acteur]:
            libelle = StatutFacture(facture.statut).label
            raise ApplicationError(f"Action « Refuser » impossible au statut « {libelle} ».")
        cible = refus.effet(facture.cadre, acteur, motif, canal)
        if cible == refus.CORRECTION:
            raise CorrectionMontantsDemandee()
        de_statut = facture.statut
        facture.statut, facture.statut_depuis = cible, timezone.now()
        facture.save(update_fields=["statut", "statut_depuis"])
        historique = FactureHistorique.objects.create(
            facture=facture,
            action=ACTION_REFUSER,
            de_statut=de_statut,
            vers_statut=cible,
            par=par,
            motif=motif.strip(),
            commentaire=commentaire,
        )
    demandee.facture.statut, demandee.facture.statut_depuis = facture.statut, facture.statut_depuis
    return historique
