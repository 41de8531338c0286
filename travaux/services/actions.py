"""The actions of the actor who holds a works piece (the piece page's buttons): « Prendre en compte » by the MOE,
and which of « Prendre en compte », « Refuser », « Déposer la pièce suivante » each user may see. Refusing is
travaux.services.refus; the next piece is travaux.services.depot."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from chorus.exceptions import ApplicationError
from facturation.enums import StatutFacture
from facturation.models import Facture, FactureHistorique
from travaux import refus, regles
from travaux.enums import CanalDepot, RoleTravaux
from travaux.models import PieceTravaux
from travaux.services.refus import PieceNonAccessible, peut_agir

ACTION_PRENDRE_EN_COMPTE = "prendreEnCompteFactureTravaux"


def piece_prendre_en_compte(*, piece, par):
    """« Prendre en compte » (MOE, « Mise à disposition de la MOE » → « Prise en compte MOE »): the MOE tells the
    supplier it has the piece in hand; it stops the 7-day reminders. Returns the history row."""
    with transaction.atomic():
        verrouillee = PieceTravaux.objects.select_related("dossier__moe", "dossier__service_moe").get(pk=piece.pk)
        facture = Facture.objects.select_for_update().get(pk=verrouillee.facture_id)
        verrouillee.facture = facture
        if not peut_agir(par, verrouillee, RoleTravaux.MOE):
            raise PieceNonAccessible()
        if facture.statut != StatutFacture.MISE_A_DISPOSITION_MOE:
            libelle = StatutFacture(facture.statut).label
            raise ApplicationError(f"Action « Prendre en compte » impossible au statut « {libelle} ».")
        de_statut = facture.statut
        facture.statut, facture.statut_depuis = StatutFacture.PRISE_EN_COMPTE_MOE, timezone.now()
        facture.save(update_fields=["statut", "statut_depuis"])
        historique = FactureHistorique.objects.create(
            facture=facture, action=ACTION_PRENDRE_EN_COMPTE, de_statut=de_statut, vers_statut=facture.statut, par=par
        )
    piece.facture.statut, piece.facture.statut_depuis = facture.statut, facture.statut_depuis
    return historique


@dataclass
class ActionsPiece:
    """What the piece page offers `user`: the role they act as (None: nothing), and each button."""

    acteur: str | None = None
    prendre_en_compte: bool = False
    motifs: list = field(default_factory=list)
    cadres_suivants: list = field(default_factory=list)

    @property
    def aucune(self):
        return not (self.prendre_en_compte or self.motifs or self.cadres_suivants)


def cadres_suivants(piece, role):
    """The cadres `role` may deposit from `piece` at its current status (enchainements.csv), none once answered."""
    if _a_une_suivante(piece):
        return []
    statut = piece.facture.statut
    return [
        e.cadre
        for e in regles.ENCHAINEMENTS
        if e.precedente == piece.facture.cadre
        and statut in e.statuts_precedente
        and regles.ROLE_DU_CADRE[e.cadre] == role
    ]


def _a_une_suivante(piece):
    try:
        return piece.piece_suivante is not None
    except PieceTravaux.DoesNotExist:
        return False


def actions_possibles(user, piece):
    """The buttons of the actor holding the piece, if `user` acts for that actor with « modification »."""
    statut = piece.facture.statut
    for acteur in refus.ACTEURS:
        if statut in refus.STATUTS_EN_MAIN[acteur] and peut_agir(user, piece, acteur):
            return ActionsPiece(
                acteur=acteur,
                prendre_en_compte=acteur == RoleTravaux.MOE and statut == StatutFacture.MISE_A_DISPOSITION_MOE,
                motifs=refus.motifs_proposes(piece.facture.cadre, acteur, CanalDepot.PORTAIL),
                cadres_suivants=cadres_suivants(piece, acteur),
            )
    return ActionsPiece()
