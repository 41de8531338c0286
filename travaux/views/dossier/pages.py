"""« Consultation d'un dossier de facturation » and the piece page with the actions of the actor who holds it."""

from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET

from facturation.enums import StatutFacture
from facturation.selectors.consultation import ventilation_tva
from travaux.services.actions import actions_possibles
from travaux.services.moe import peut_associer_moe
from travaux.services.recyclage import peut_demander_recyclage
from travaux.views.dossier.forms import RefuserPieceForm
from travaux.views.dossier.lecture import dossier_ou_404, piece_ou_404, pieces_en_ordre

# tables/messages.csv travaux_telecharger_dossier
LIBELLE_ARCHIVE = "Télécharger les pièces du dossier de facturation"


@require_GET
def consulter(request, pk):
    dossier = dossier_ou_404(request.user, pk)
    contexte = {"dossier": dossier, "pieces": pieces_en_ordre(dossier), "libelle_archive": LIBELLE_ARCHIVE}
    return render(request, "travaux/dossier/consulter.html", contexte)


def url_depot_suivant(piece):
    """The deposit page, opened from this piece; None while the deposit package has no such page."""
    try:
        return f"{reverse('travaux:depot_nouveau')}?{urlencode({'piece_precedente': piece.pk})}"
    except NoReverseMatch:
        return None


def contexte_piece(request, piece, *, form_refuser=None, correction=False):
    actions = actions_possibles(request.user, piece)
    if actions.motifs and form_refuser is None:
        form_refuser = RefuserPieceForm(motifs=actions.motifs)
    return {
        "piece": piece,
        "facture": piece.facture,
        "dossier": piece.dossier,
        "precedente": piece.piece_precedente,
        "suivante": getattr(piece, "piece_suivante", None),
        "ventilation": ventilation_tva(piece.facture),
        "actions": actions,
        "form_refuser": form_refuser if actions.motifs else None,
        "correction": correction,
        "url_depot_suivant": url_depot_suivant(piece),
        "libelle_archive": LIBELLE_ARCHIVE,
        "url_associer_moe": _url_associer_moe(request.user, piece),
        "peut_demander_recyclage": peut_demander_recyclage(request.user, piece),
    }


def _url_associer_moe(user, piece):
    """« Associer une MOE » for the supplier of a piece received by flux without its MOE (travaux.services.moe)."""
    if piece.facture.statut != StatutFacture.A_ASSOCIER_MOE or not peut_associer_moe(user, piece):
        return ""
    return reverse("travaux:moe_associer", args=[piece.pk])


@require_GET
def piece(request, pk):
    piece = piece_ou_404(request.user, pk)
    return render(request, "travaux/dossier/piece.html", contexte_piece(request, piece))
