"""The POSTs of the piece page: « Prendre en compte » and « Refuser ». A piece outside the user's dossiers is a 404;
a piece they see but do not hold (read-only profile, another actor's turn) is refused."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from chorus.exceptions import ApplicationError, erreur_dans_le_formulaire
from facturation.enums import StatutFacture
from travaux.services.actions import actions_possibles, piece_prendre_en_compte
from travaux.services.refus import CorrectionMontantsDemandee, PieceNonAccessible, piece_refuser
from travaux.views.dossier.forms import RefuserPieceForm
from travaux.views.dossier.lecture import piece_ou_404
from travaux.views.dossier.pages import contexte_piece

REFUS_ACTION = "Vous ne pouvez pas agir sur cette pièce."


def _statut(piece):
    return StatutFacture(piece.facture.statut).label


@require_POST
def prendre_en_compte(request, pk):
    piece = piece_ou_404(request.user, pk)
    if not actions_possibles(request.user, piece).prendre_en_compte:
        raise PermissionDenied(REFUS_ACTION)
    try:
        piece_prendre_en_compte(piece=piece, par=request.user)
    except PieceNonAccessible:
        raise Http404 from None
    except ApplicationError as erreur:
        messages.error(request, erreur.message)
    else:
        messages.success(request, f"La pièce n° {piece.facture.numero} est au statut « {_statut(piece)} ».")
    return redirect("travaux:dossier_piece", pk=piece.pk)


@require_POST
def refuser(request, pk):
    piece = piece_ou_404(request.user, pk)
    actions = actions_possibles(request.user, piece)
    if not actions.motifs:
        raise PermissionDenied(REFUS_ACTION)
    form = RefuserPieceForm(request.POST, motifs=actions.motifs)
    if form.is_valid():
        try:
            piece_refuser(
                piece=piece,
                par=request.user,
                acteur=actions.acteur,
                motif=form.cleaned_data["motif"],
                commentaire=form.cleaned_data["commentaire"],
            )
        except CorrectionMontantsDemandee:
            # nothing is refused: the page invites the MOE to correct the amounts and deposit the next piece
            contexte = contexte_piece(request, piece, correction=True)
            return render(request, "travaux/dossier/piece.html", contexte)
        except PieceNonAccessible:
            raise Http404 from None
        except ApplicationError as erreur:
            erreur_dans_le_formulaire(form, erreur)
        else:
            messages.success(request, f"La pièce n° {piece.facture.numero} est au statut « {_statut(piece)} ».")
            return redirect("travaux:dossier_piece", pk=piece.pk)
    contexte = contexte_piece(request, piece, form_refuser=form)
    return render(request, "travaux/dossier/piece.html", contexte, status=400)
