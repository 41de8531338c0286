"""« Factures émises » (rows 40–47): the latest invoices on arrival, synthèse, recherche, tableau de bord and the
consult page of one invoice."""

from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET

from chorus.pagination import LIMITE, page_demandee
from facturation.selectors import emises as selecteurs
from facturation.selectors.consultation import ventilation_tva
from facturation.services.suivi import ACTION_COMPLETER, ACTION_RECYCLER
from facturation.views.emises.forms import RechercheForm
from facturation.workflow import ACTION_CORRIGER_VALIDEUR, CORRECTION_VALIDEUR_WORKFLOW, FACTURE_WORKFLOW

PAR_PAGE = 20


@require_GET
def accueil(request):
    """The arrival: the latest deposits first, so that a supplier who has just sent an invoice sees it; the
    invoices waiting for the supplier are counted, one click away in the Synthèse."""
    factures = selecteurs.pour_la_liste(selecteurs.rechercher(request.user))
    page = page_demandee(request, factures, PAR_PAGE, total=selecteurs.nombre(request.user))
    contexte = {
        "page_obj": page,
        # bounded like the lists: « plus de 10 000 » rather than counting every waiting invoice
        "a_traiter": selecteurs.synthese(request.user).order_by().values("pk")[: LIMITE + 1].count(),
        "limite": LIMITE,
        "structures_modifiables": selecteurs.structures_modifiables(request.user),
    }
    return render(request, "facturation/emises/accueil.html", contexte)


@require_GET
def synthese(request):
    page = page_demandee(request, selecteurs.pour_la_liste(selecteurs.synthese(request.user)), PAR_PAGE)
    contexte = {"page_obj": page, "structures_modifiables": selecteurs.structures_modifiables(request.user)}
    return render(request, "facturation/emises/synthese.html", contexte)


def recherche_criteres(request):
    form = RechercheForm(request.GET or None)
    criteres, tri = form.criteres()
    return form, criteres, tri


@require_GET
def rechercher(request):
    form, criteres, tri = recherche_criteres(request)
    factures = form.filtrer(selecteurs.rechercher(request.user, criteres, tri))
    total = selecteurs.nombre(request.user) if form.sans_critere else None
    page = page_demandee(request, selecteurs.pour_la_liste(factures), PAR_PAGE, total=total)
    parametres = request.GET.copy()
    parametres.pop("page", None)
    contexte = {"form": form, "page_obj": page, "parametres": parametres.urlencode()}
    return render(request, "facturation/emises/recherche.html", contexte)


@require_GET
def tableau_de_bord(request):
    lignes = selecteurs.tableau_de_bord(request.user)
    return render(
        request,
        "facturation/emises/tableau_de_bord.html",
        {"lignes": lignes, "total": sum(n for _s, _l, n in lignes)},
    )


def _lien(nom, pk):
    # The downloads of the deposit pages belong to another space; they may not be mounted yet.
    try:
        return reverse(f"facturation:{nom}", args=[pk])
    except NoReverseMatch:
        return ""


def telechargements(facture):
    liens = []
    if facture.fichier_pdf:
        liens.append(("Télécharger la facture (PDF)", _lien("saisie_telecharger_pdf", facture.pk)))
    if facture.fichier_xml:
        liens.append(("Télécharger la facture (XML)", _lien("saisie_telecharger_xml", facture.pk)))
    if facture.deposee_le:
        liens.append(("Télécharger le certificat de dépôt", _lien("saisie_certificat", facture.pk)))
    return [(libelle, url) for libelle, url in liens if url]


def contexte_facture(request, facture):
    return {
        "facture": facture,
        "ventilation": ventilation_tva(facture),
        "lien_pj": "facturation:emises_piece_jointe",
        "peut_recycler": FACTURE_WORKFLOW.peut(facture, ACTION_RECYCLER, request.user),
        "peut_completer": FACTURE_WORKFLOW.peut(facture, ACTION_COMPLETER, request.user),
        "peut_corriger_valideur": CORRECTION_VALIDEUR_WORKFLOW.peut(facture, ACTION_CORRIGER_VALIDEUR, request.user),
        "telechargements": telechargements(facture),
    }


@require_GET
def consulter(request, pk):
    facture = selecteurs.facture_ou_404(request.user, pk)
    return render(request, "facturation/emises/consulter.html", contexte_facture(request, facture))
