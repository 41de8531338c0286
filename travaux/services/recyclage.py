"""« Demander le recyclage de la pièce précédente » (API demanderRecyclagePiecePrecedente, §2.2): the MOE or the
MOA who holds a works piece finds that the piece it follows was addressed with wrong routing data (recipient, service
exécutant) and asks the supplier to recycle that previous piece. The rules are travaux.recyclage
(travaux/regles/demande_recyclage.csv); the supplier then recycles it with facturation.services.suivi.facture_recycler
(EN_ATTENTE_RECYCLAGE_FOURNISSEUR is one of its starting statuses in facturation/regles/traitements_recus.csv)."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from chorus.courriels import courriel_programmer
from chorus.exceptions import ApplicationError
from chorus.workflow import TransitionInterdite
from communication.services import notifier_evenement
from facturation.enums import StatutFacture
from facturation.models import Facture, FactureHistorique
from facturation.services.traitement import contacts_fournisseur
from organisation.enums import Application
from organisation.habilitations import titulaires
from travaux import recyclage
from travaux.models import PieceTravaux
from travaux.services.refus import peut_agir, structure_de_l_acteur

ACTION_DEMANDER_RECYCLAGE = "demanderRecyclagePiecePrecedente"
COMMENTAIRE_LONGUEUR_MAX = 2000
GABARIT = "travaux/email/demande_recyclage"
LIBELLE_ACTION = "Demander le recyclage de la pièce précédente"
MESSAGE_NON_DETENTEUR = (
    "Seule la maîtrise d'œuvre ou la maîtrise d'ouvrage qui détient la pièce peut demander le recyclage de la pièce "
    "précédente."
)


def regle_du_demandeur(user, piece):
    """The row of the actor `user` acts for (« modification ») on the piece's dossier, the one holding the piece at
    its status first; None when he acts for neither the MOE nor the MOA."""
    regles = [regle for regle in recyclage.REGLES if peut_agir(user, piece, regle.acteur)]
    en_main = [regle for regle in regles if piece.facture.statut in regle.statuts_piece]
    return (en_main or regles or [None])[0]


def peut_demander_recyclage(user, piece):
    """Whether the piece page shows the button to `user`: the same rows the service checks, the rights last (most
    pieces are at no status of the table, and cost no query)."""
    return any(
        not recyclage.motif_d_impossibilite(regle, piece) and peut_agir(user, piece, regle.acteur)
        for regle in recyclage.REGLES
    )


def _verrouiller(piece):
    dossier = ("dossier__fournisseur", "dossier__moe", "dossier__moa", "dossier__service_moe", "dossier__service_moa")
    piece = PieceTravaux.objects.select_related(*dossier).get(pk=piece.pk)
    piece.facture = Facture.objects.select_for_update().get(pk=piece.facture_id)
    if piece.piece_precedente_id is not None:
        precedente = PieceTravaux.objects.get(pk=piece.piece_precedente_id)
        precedente.facture = (
            Facture.objects.select_for_update()
            .select_related("fournisseur", "destinataire")
            .get(pk=precedente.facture_id)
        )
        piece.piece_precedente = precedente
    return piece


def _notifier_fournisseur(facture, piece, historique, demandeur):
    """The supplier of the previous piece hears of the request (mail after commit and « Mes messages »): it recycles
    the piece from « Factures émises »."""
    contexte = {
        "facture": facture,
        "statut": StatutFacture(historique.vers_statut).label,
        "commentaire": historique.commentaire,
        "le": historique.le,
        "numero_dossier": piece.dossier.numero,
        "demandeur": demandeur,
        "lien": reverse("facturation:emises_consulter", args=[facture.pk]),
    }
    for adresse in contacts_fournisseur(facture.fournisseur):
        courriel_programmer(gabarit=GABARIT, destinataire=adresse, contexte=contexte)
    notifier_evenement(
        gabarit=GABARIT,
        destinataires=titulaires(facture.fournisseur, [Application.FACTURES_EMISES]),
        contexte=contexte,
    )


def piece_demander_recyclage(*, piece, par, commentaire):
    """Put the piece `piece` follows « En attente de recyclage par le fournisseur » at the request of the actor who
    holds `piece`, with a mandatory comment; returns the history row of the previous piece (who, when, comment).

    The current piece keeps its status: its holder goes on with it once the supplier has recycled the previous one."""
    commentaire = (commentaire or "").strip()
    if not commentaire:
        raise ApplicationError(
            "Le motif de la demande est obligatoire : indiquez l'erreur d'acheminement relevée sur la pièce "
            "précédente.",
            champ="commentaire",
        )
    if len(commentaire) > COMMENTAIRE_LONGUEUR_MAX:
        raise ApplicationError(
            f"Le motif de la demande ne peut pas dépasser {COMMENTAIRE_LONGUEUR_MAX} caractères.", champ="commentaire"
        )
    with transaction.atomic():
        demandee, piece = piece, _verrouiller(piece)
        regle = regle_du_demandeur(par, piece)
        if regle is None:
            raise TransitionInterdite(MESSAGE_NON_DETENTEUR)
        if motif := recyclage.motif_d_impossibilite(regle, piece):
            raise TransitionInterdite(f"Action « {LIBELLE_ACTION} » impossible : {motif}.")
        precedente = piece.piece_precedente.facture
        de_statut = precedente.statut
        precedente.statut, precedente.statut_depuis = regle.statut_precedente_apres, timezone.now()
        precedente.save(update_fields=["statut", "statut_depuis"])
        historique = FactureHistorique.objects.create(
            facture=precedente,
            action=ACTION_DEMANDER_RECYCLAGE,
            de_statut=de_statut,
            vers_statut=precedente.statut,
            par=par,
            commentaire=commentaire,
        )
        _notifier_fournisseur(precedente, piece, historique, _designation(piece, regle))
    if demandee.piece_precedente_id is not None:
        demandee.piece_precedente.facture.statut = precedente.statut
        demandee.piece_precedente.facture.statut_depuis = precedente.statut_depuis
    return historique


def _designation(piece, regle):
    structure, _service = structure_de_l_acteur(piece, regle.acteur)
    return f"{regle.acteur.label.lower()} {structure.raison_sociale}"
