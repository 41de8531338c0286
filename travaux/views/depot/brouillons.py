"""« Mes brouillons » of the works deposit: the drafts « Enregistrer » kept, to resume or delete. A draft is its
author's alone (BrouillonTravaux.user): anyone else's answers 404."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from travaux.models import BrouillonTravaux
from travaux.services.brouillon import brouillon_supprimer

PAR_PAGE = 20


def brouillons_de(user):
    return BrouillonTravaux.objects.filter(user=user).select_related("structure").order_by("-modifie_le", "-pk")


@require_GET
def liste(request):
    page = Paginator(brouillons_de(request.user), PAR_PAGE).get_page(request.GET.get("page"))
    return render(request, "travaux/depot/brouillons.html", {"page_obj": page})


@require_POST
def supprimer(request, pk):
    brouillon = brouillons_de(request.user).filter(pk=pk).first()
    if brouillon is None:
        raise Http404("Brouillon introuvable.")
    numero = brouillon.donnees.get("numero") or ""
    brouillon_supprimer(par=request.user, brouillon=brouillon)
    messages.success(request, f"Le brouillon{f' de la pièce n° {numero}' if numero else ''} est supprimé.")
    return redirect("travaux:depot_brouillons")
