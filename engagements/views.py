"""« Engagements juridiques » for a public entity: its EJs, page by page, and the loading of an EJ file, whose every
error is listed with its line and column. Reads: engagements.selectors; writes: engagements.services."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from chorus.chiffres import que_des_chiffres
from engagements import selectors
from engagements.chargement import TAILLE_MAX
from engagements.forms import ChargerEngagementsForm
from engagements.services import ChargementRefuse, engagements_charger
from organisation.habilitations import objet_visible_ou_404

PAR_PAGE = 20


@require_GET
def liste(request):
    structures = list(selectors.structures_consultantes(request.user))
    structure = None
    if identifiant := request.GET.get("structure"):
        if not que_des_chiffres(identifiant):
            raise Http404("Structure introuvable.")
        structure = objet_visible_ou_404(selectors.structures_consultantes(request.user), pk=int(identifiant))
    elif structures:
        structure = structures[0]
    engagements = selectors.engagements_de_la_structure(request.user, structure) if structure else None
    page = Paginator(engagements, PAR_PAGE).get_page(request.GET.get("page")) if structure else None
    contexte = {
        "structures": structures,
        "structure": structure,
        "page_obj": page,
        "peut_charger": selectors.structures_chargeantes(request.user).exists(),
    }
    return render(request, "engagements/liste.html", contexte)


@require_http_methods(["GET", "POST"])
def charger(request):
    structures = selectors.structures_chargeantes(request.user)
    if not structures.exists():
        return render(request, "engagements/charger.html", {"form": None}, status=403)
    form = ChargerEngagementsForm(request.POST or None, request.FILES or None, structures=structures)
    refus = None
    if request.method == "POST" and form.is_valid():
        fichier = form.cleaned_data["fichier"]
        structure = form.cleaned_data["structure"]
        try:
            # reading one byte more than allowed is enough for the service to tell a file is too big
            contenu = fichier.read(TAILLE_MAX + 1)
            crees = engagements_charger(
                par=request.user, structure=structure, nom_fichier=fichier.name, contenu=contenu
            )
        except ChargementRefuse as exc:
            refus = exc
        else:
            nombre = len(crees)
            messages.success(
                request,
                f"{nombre} engagement{'s' if nombre > 1 else ''} juridique{'s' if nombre > 1 else ''} "
                f"chargé{'s' if nombre > 1 else ''} pour {structure.raison_sociale}.",
            )
            return redirect(f"{reverse('engagements:liste')}?structure={structure.pk}")
    return render(request, "engagements/charger.html", {"form": form, "refus": refus})


@require_GET
def consulter(request, pk):
    engagement = objet_visible_ou_404(selectors.engagements_visibles(request.user), pk=pk)
    return render(request, "engagements/consulter.html", {"engagement": engagement, "lignes": engagement.lignes.all()})
