"""« Factures reçues » (rows 47, 54–61): synthèse, recherche, tableau de bord and the consult page."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from chorus.pagination import page_demandee
from facturation.enums import StatutFacture
from facturation.forms.decision import RefuserForm, ValiderForm
from facturation.selectors import recues as selecteurs
from facturation.selectors.consultation import ventilation_tva
from facturation.services.validation import STATUTS_A_VALIDER
from facturation.views.recues.forms import GROUPES_MOTIFS, MOTIFS, RechercheForm, TraiterForm
from facturation.workflow import DESTINATAIRE, FACTURE_WORKFLOW

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
    return form, form.filtrer(selecteurs.rechercher(request.user, criteres, tri)), tri


@require_GET
def rechercher(request):
    form, factures, tri = recherche(request)
    total = selecteurs.nombre(request.user) if form.sans_critere else None
    page = page_demandee(request, selecteurs.pour_la_liste(factures), PAR_PAGE, total=total)
    parametres = request.GET.copy()
    parametres.pop("page", None)
    contexte = {"form": form, "page_obj": page, "tri": tri, "parametres": parametres.urlencode()}
    return render(request, "facturation/recues/rechercher.html", contexte)


@require_GET
def tableau_de_bord(request):
    lignes = selecteurs.tableau_de_bord(request.user)
    contexte = {"lignes": lignes, "total": sum(nombre for _s, _l, nombre in lignes)}
    return render(request, "facturation/recues/tableau_de_bord.html", contexte)


def substitution(facture, user):
    """« Valider » / « Refuser » in the delegate's place (row 63): the recipient steps in on a delegated invoice
    only; an A9/A12 validation belongs to the titulaire or the mandataire. The workflow's recipient rows say so."""
    cibles = set()
    if facture.delegation_id is not None and facture.statut in STATUTS_A_VALIDER:
        cibles = {
            t.cible
            for t in FACTURE_WORKFLOW.transitions.values()
            if t.acteur == DESTINATAIRE and FACTURE_WORKFLOW.peut(facture, t.action, user)
        }
    return {
        "valider": bool(cibles & {StatutFacture.VALIDEE_1, StatutFacture.VALIDEE_2}),
        "refuser": bool(cibles & {StatutFacture.REFUSEE_1, StatutFacture.REFUSEE_2}),
    }


def contexte_facture(request, facture, form_traiter=None, form_valider=None, form_refuser=None):
    statuts = selecteurs.cibles_de_traitement(facture, request.user)
    if statuts and form_traiter is None:
        form_traiter = TraiterForm(statuts=statuts)
    return {
        "facture": facture,
        "ventilation": ventilation_tva(facture),
        "form_traiter": form_traiter if statuts else None,
        "substitution": substitution(facture, request.user),
        "form_valider": form_valider or ValiderForm(),
        "form_refuser": form_refuser or RefuserForm(),
        # which motif list goes with which status, for recues_traiter.js
        "groupes_motifs": {str(statut): GROUPES_MOTIFS[statut] for statut in MOTIFS},
    }


@require_GET
def consulter(request, pk):
    facture = selecteurs.facture_recue_ou_404(request.user, pk)
    return render(request, "facturation/recues/consulter.html", contexte_facture(request, facture))
