"""« Factures reçues » (rows 47, 54–61): synthèse, recherche, tableau de bord and the consult page."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from facturation.selectors import recues as selecteurs
from facturation.selectors.consultation import ventilation_tva
from facturation.views.recues.forms import GROUPES_MOTIFS, MOTIFS, RechercheForm, TraiterForm

PAR_PAGE = 20


@require_GET
def synthese(request):
    masquer = request.GET.get("masquer_telechargees") == "1"
    contexte = {
        "groupes": selecteurs.synthese(request.user, masquer_telechargees=masquer),
        "statuts": selecteurs.STATUTS_A_TRAITER,
        "masquer_telechargees": masquer,
    }
    return render(request, "facturation/recues/synthese.html", contexte)


def recherche(request):
    """(form, queryset) of the search the GET parameters describe: the page and the exports share it."""
    form = RechercheForm(request.GET or None, user=request.user)
    criteres, tri = form.criteres()
    return form, selecteurs.rechercher(request.user, criteres, tri), tri


@require_GET
def rechercher(request):
    form, factures, tri = recherche(request)
    page = Paginator(factures, PAR_PAGE).get_page(request.GET.get("page"))
    parametres = request.GET.copy()
    parametres.pop("page", None)
    contexte = {"form": form, "page_obj": page, "tri": tri, "parametres": parametres.urlencode()}
    return render(request, "facturation/recues/rechercher.html", contexte)


@require_GET
def tableau_de_bord(request):
    lignes = selecteurs.tableau_de_bord(request.user)
    contexte = {"lignes": lignes, "total": sum(nombre for _s, _l, nombre in lignes)}
    return render(request, "facturation/recues/tableau_de_bord.html", contexte)


def contexte_facture(request, facture, form_traiter=None):
    statuts = selecteurs.cibles_de_traitement(facture, request.user)
    if statuts and form_traiter is None:
        form_traiter = TraiterForm(statuts=statuts)
    return {
        "facture": facture,
        "ventilation": ventilation_tva(facture),
        "form_traiter": form_traiter if statuts else None,
        # which motif list goes with which status, for recues_traiter.js
        "groupes_motifs": {str(statut): GROUPES_MOTIFS[statut] for statut in MOTIFS},
    }


@require_GET
def consulter(request, pk):
    facture = selecteurs.facture_recue_ou_404(request.user, pk)
    return render(request, "facturation/recues/consulter.html", contexte_facture(request, facture))
