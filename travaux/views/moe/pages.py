"""« Pièces à associer à une MOE » (Factures de travaux): the supplier's pieces that arrived by flux without their
maîtrise d'œuvre, and the two-step association (the SIRET checked against the directory, then confirmed). Reads go
through travaux.selectors.moe, the write through travaux.services.moe."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from chorus.exceptions import ApplicationError, erreur_dans_le_formulaire
from travaux.selectors.moe import piece_a_associer_moe, pieces_a_associer_moe
from travaux.services.moe import piece_moe_associer
from travaux.services.refus import PieceNonAccessible
from travaux.services.relances import DELAI_MOE_JOURS
from travaux.views.moe.forms import AssocierMoeForm

PAR_PAGE = 20


@require_GET
def liste(request):
    page = Paginator(pieces_a_associer_moe(request.user), PAR_PAGE).get_page(request.GET.get("page"))
    return render(request, "travaux/moe/liste.html", {"page_obj": page})


@require_http_methods(["GET", "POST"])
def associer(request, pk):
    piece = piece_a_associer_moe(request.user, pk)
    if piece is None:
        raise Http404("Pièce introuvable.")
    form = AssocierMoeForm(request.POST or None)
    confirmation = None
    if request.method == "POST" and form.is_valid():
        moe, service = form.cleaned_data["moe"], form.cleaned_data["service"]
        if request.POST.get("etape") != "confirmer":
            confirmation = {"moe": moe, "service": service}
        else:
            try:
                piece_moe_associer(piece=piece, par=request.user, moe=moe, service_moe=service)
            except PieceNonAccessible:
                raise Http404("Pièce introuvable.") from None
            except ApplicationError as erreur:
                erreur_dans_le_formulaire(form, erreur, champs={"moe": "moe_siret"})
            else:
                messages.success(
                    request,
                    f"La maîtrise d'œuvre {moe.raison_sociale} est associée à la pièce {piece.facture.cadre} n° "
                    f"{piece.facture.numero} : la pièce lui est mise à disposition, son délai de {DELAI_MOE_JOURS} "
                    "jours court à partir d'aujourd'hui.",
                )
                return redirect("travaux:dossier_piece", pk=piece.pk)
    contexte = {"piece": piece, "facture": piece.facture, "dossier": piece.dossier, "form": form}
    contexte["confirmation"] = confirmation
    return render(request, "travaux/moe/associer.html", contexte)
