"""« Factures à valider » (rows 36, 62–64): synthèse, recherche, tableau de bord and one invoice."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from chorus.pagination import page_demandee
from facturation.forms.decision import RefuserForm, ValiderForm
from facturation.selectors import consultation
from facturation.selectors import validation as selecteurs
from facturation.views.validation.forms import RechercheForm, TraiterForm

PAR_PAGE = 20
# the Synthèse's sections (one per structure awaited, its 20 oldest invoices) per page
SECTIONS_PAR_PAGE = 10


@require_GET
def synthese(request):
    sections, groupes = selecteurs.synthese_sections(request.user)
    page = page_demandee(request, sections, SECTIONS_PAR_PAGE, total=len(sections))
    contexte = {
        "groupes": selecteurs.synthese(request.user, list(page.object_list), groupes),
        "page_obj": page,
        "structures": selecteurs.structures_validatrices(request.user),
        "delai_jours": 15,
    }
    return render(request, "facturation/validation/synthese.html", contexte)


def recherche_criteres(request):
    form = RechercheForm(request.GET or None)
    return form, form.criteres()


@require_GET
def recherche(request):
    form, criteres = recherche_criteres(request)
    factures = selecteurs.rechercher_en_pages(request.user, form.filtrer, **criteres)
    page = page_demandee(request, factures, PAR_PAGE)
    parametres = request.GET.copy()
    parametres.pop("page", None)
    contexte = {"form": form, "page_obj": page, "parametres": parametres.urlencode()}
    return render(request, "facturation/validation/recherche.html", contexte)


@require_GET
def tableau_de_bord(request):
    lignes = selecteurs.tableau_de_bord(request.user)
    return render(
        request,
        "facturation/validation/tableau_de_bord.html",
        {"lignes": lignes, "total": sum(n for _s, _l, n in lignes)},
    )


def contexte_facture(request, facture, **formulaires):
    actions = selecteurs.actions_possibles(facture, request.user)
    return {
        "facture": facture,
        "actions": actions,
        "structure_en_attente": selecteurs.structure_en_attente(facture),
        "en_attente": facture.statut in selecteurs.A_VALIDER,
        "ventilation": consultation.ventilation_tva(facture),
        "form_valider": formulaires.get("form_valider") or ValiderForm(),
        "form_refuser": formulaires.get("form_refuser") or RefuserForm(),
        "form_traiter": formulaires.get("form_traiter") or TraiterForm(statuts=actions["traiter"]),
    }


@require_GET
def facture(request, pk):
    facture = selecteurs.facture_detail_ou_404(request.user, pk)
    return render(request, "facturation/validation/facture.html", contexte_facture(request, facture))
