"""The public-recipient directory, for every logged-in user (chorus-pro-features.md row 26)."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from organisation.forms_support import RechercheAnnuaireForm
from organisation.selectors import annuaire

PAR_PAGE = 20


@require_GET
def liste(request):
    form = RechercheAnnuaireForm(request.GET)
    recherche, tri = form.valeurs()
    structures = form.filtrer(annuaire.annuaire_rechercher(recherche, tri))
    page = Paginator(structures, PAR_PAGE).get_page(request.GET.get("page"))
    contexte = {"form": form, "page_obj": page, "recherche": recherche, "tri": tri}
    return render(request, "organisation/annuaire/liste.html", contexte)


@require_GET
def structure(request, pk):
    structure = annuaire.annuaire_structure_ou_404(pk)
    contexte = {"structure": structure, "parametres": annuaire.parametres(structure)}
    return render(request, "organisation/annuaire/structure.html", contexte)
