"""The support's back office: the queue (filters, assignment), a ticket with internal notes, canned answers and
links to the agents' actions of Organisation; the referentials of categories and canned answers.

Only `user.est_agent_support` reaches these pages; anyone else gets 404, as for any object they may not see."""

from functools import wraps

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from organisation.enums import StatutStructure
from support import acces
from support.forms import (
    AttributionForm,
    CategorieForm,
    ChoixReponseTypeForm,
    FiltresAgentForm,
    ReponseTypeForm,
    SousCategorieForm,
)
from support.models import Categorie, ReponseType, SousCategorie
from support.selectors import sollicitations as selecteurs
from support.services import referentiel
from support.services import sollicitations as services
from support.views import commun
from support.views.recues import traiter


def agent_support_requis(vue):
    # outermost decorator: a non-agent learns nothing, not even which methods a page accepts
    @wraps(vue)
    def enveloppe(request, *args, **kwargs):
        if not acces.est_agent(request.user):
            raise Http404("Page introuvable.")
        return vue(request, *args, **kwargs)

    return enveloppe


@agent_support_requis
@require_GET
def file(request):
    form = FiltresAgentForm(request.GET)
    return commun.liste(
        request,
        "support/agent/file.html",
        form,
        lambda **f: selecteurs.file_support(request.user, **f),
        {"courant": "file"},
        genre_export="file_support",
    )


@agent_support_requis
@require_http_methods(["GET", "POST"])
def sollicitation(request, pk):
    sollicitation = selecteurs.agent_sollicitation_ou_404(pk)
    choix = ChoixReponseTypeForm(request.GET if "reponse_type" in request.GET else None)
    initial = {"message": choix.cleaned_data["reponse_type"].corps} if choix.is_valid() else None
    attribution = AttributionForm(
        request.POST if request.POST.get("action") == "attribuer" else None, initial={"agent": sollicitation.agent}
    )
    if request.POST.get("action") == "attribuer" and commun.executer(
        request,
        attribution,
        lambda d: services.sollicitation_attribuer(sollicitation=sollicitation, agent=d["agent"], par=request.user),
        "L'attribution de la sollicitation est enregistrée.",
    ):
        return commun.apres_action(request)
    demandeur = sollicitation.demandeur
    structure = sollicitation.structure_concernee
    contexte = {
        "form_attribution": attribution,
        "form_choix": choix,
        "demandeur_compte": demandeur,
        "structure_concernee": structure,
        "structure_en_attente": structure is not None
        and structure.est_publique
        and structure.statut == StatutStructure.EN_ATTENTE_VALIDATION,
        "courant": "file",
    }
    return traiter(request, sollicitation, cote="agent", contexte=contexte, initial_reponse=initial)


@agent_support_requis
@require_GET
def piece(request, pk, piece_pk):
    sollicitation = selecteurs.agent_sollicitation_ou_404(pk)
    return commun.telecharger(selecteurs.piece_jointe_ou_404(sollicitation, piece_pk, avec_notes=True))


@agent_support_requis
@require_http_methods(["GET", "POST"])
def categories(request):
    form = CategorieForm(request.POST or None)
    if request.method == "POST" and commun.executer(
        request,
        form,
        lambda d: referentiel.categorie_enregistrer(par=request.user, **d),
        f"La catégorie « {request.POST.get('libelle', '').strip()} » est ajoutée.",
    ):
        return redirect("support:agent_categories")
    liste = Categorie.objects.prefetch_related("sous_categories").order_by("ordre", "libelle")
    return render(
        request, "support/agent/categories.html", {"form": form, "categories": liste, "courant": "categories"}
    )


@agent_support_requis
@require_http_methods(["GET", "POST"])
def categorie(request, pk):
    objet = get_object_or_404(Categorie, pk=pk)
    action = request.POST.get("action")
    form = CategorieForm(
        request.POST if action == "modifier" else None,
        initial={"libelle": objet.libelle, "destination": objet.destination, "ordre": objet.ordre,
                 "active": objet.active},
    )  # fmt: skip
    form_sous = SousCategorieForm(request.POST if action == "ajouter" else None, prefix="sous")
    if action == "modifier" and commun.executer(
        request,
        form,
        lambda d: referentiel.categorie_enregistrer(par=request.user, categorie=objet, **d),
        "La catégorie est enregistrée.",
    ):
        return redirect("support:agent_categories")
    if action == "ajouter" and commun.executer(
        request,
        form_sous,
        lambda d: referentiel.sous_categorie_enregistrer(par=request.user, categorie=objet, **d),
        f"La sous-catégorie « {request.POST.get('sous-libelle', '').strip()} » est ajoutée.",
    ):
        return redirect("support:agent_categorie", pk=objet.pk)
    contexte = {"categorie": objet, "form": form, "form_sous": form_sous, "courant": "categories"}
    return render(request, "support/agent/categorie.html", contexte)


@agent_support_requis
@require_http_methods(["GET", "POST"])
def sous_categorie(request, pk):
    objet = get_object_or_404(SousCategorie.objects.select_related("categorie"), pk=pk)
    form = SousCategorieForm(
        request.POST or None, initial={"libelle": objet.libelle, "ordre": objet.ordre, "active": objet.active}
    )
    if request.method == "POST" and commun.executer(
        request,
        form,
        lambda d: referentiel.sous_categorie_enregistrer(
            par=request.user, categorie=objet.categorie, sous_categorie=objet, **d
        ),
        "La sous-catégorie est enregistrée.",
    ):
        return redirect("support:agent_categorie", pk=objet.categorie_id)
    contexte = {"sous_categorie": objet, "form": form, "courant": "categories"}
    return render(request, "support/agent/sous_categorie.html", contexte)


@agent_support_requis
@require_GET
def reponses_types(request):
    contexte = {"reponses": ReponseType.objects.order_by("titre"), "courant": "reponses"}
    return render(request, "support/agent/reponses_types.html", contexte)


@agent_support_requis
@require_http_methods(["GET", "POST"])
def reponse_type(request, pk=None):
    objet = get_object_or_404(ReponseType, pk=pk) if pk else None
    initial = {"titre": objet.titre, "corps": objet.corps, "active": objet.active} if objet else None
    form = ReponseTypeForm(request.POST or None, initial=initial)
    if request.method == "POST" and commun.executer(
        request,
        form,
        lambda d: referentiel.reponse_type_enregistrer(par=request.user, reponse=objet, **d),
        "La réponse type est enregistrée.",
    ):
        return redirect("support:agent_reponses_types")
    return render(request, "support/agent/reponse_type.html", {"form": form, "reponse": objet, "courant": "reponses"})
