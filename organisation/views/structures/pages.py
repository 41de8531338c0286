from django.contrib import messages
from django.db.models import Q
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from chorus.exceptions import ApplicationError, erreur_dans_le_formulaire
from organisation.enums import Application, StatutStructure
from organisation.forms_structures import PARAMETRES, StructureCreationForm, nom_du_pays
from organisation.models import Structure
from organisation.selectors import structures as selecteurs
from organisation.services.structures import structure_creer
from organisation.views.structures.commun import regles_pieces_jointes, soumis

TRIS = {
    "raison_sociale": ("structure__raison_sociale", "structure__pk"),
    "identifiant": ("structure__identifiant", "structure__pk"),
    "statut": ("structure__statut", "structure__raison_sociale", "structure__pk"),
}


@require_http_methods(["GET", "POST"])
def creer_structure(request):
    form = StructureCreationForm(*soumis(request))
    if request.method == "POST" and form.is_valid():
        try:
            structure = structure_creer(par=request.user, **form.arguments_du_service())
        except ApplicationError as erreur:
            erreur_dans_le_formulaire(form, erreur)
        else:
            if structure.statut == StatutStructure.EN_ATTENTE_VALIDATION:
                messages.success(
                    request,
                    f"La structure publique {structure.designation} est créée et attend la validation du support, "
                    "qui en a été informé. Vous recevrez un courriel lorsqu'elle sera validée ; vous pourrez alors "
                    "la compléter (services, coordonnées bancaires…) en tant que gestionnaire principal.",
                )
            else:
                messages.success(
                    request,
                    f"La structure {structure.designation} est créée. Vous en êtes le gestionnaire principal, avec "
                    "tous les profils.",
                )
            return redirect("organisation:structure", pk=structure.pk)
    return render(request, "organisation/structures/creer.html", {"form": form})


@require_GET
def structures(request):
    rattachements = selecteurs.mes_structures(request.user)
    recherche = request.GET.get("q", "").strip()
    if recherche:
        rattachements = rattachements.filter(
            Q(structure__raison_sociale__icontains=recherche) | Q(structure__identifiant__icontains=recherche)
        )
    tri = request.GET.get("tri", "raison_sociale")
    rattachements = rattachements.order_by(*TRIS.get(tri, TRIS["raison_sociale"]))
    page_obj = selecteurs.page_de(rattachements, request.GET.get("page"), selecteurs.STRUCTURES_PAR_PAGE)
    contexte = {"page_obj": page_obj, "recherche": recherche, "tri": tri if tri in TRIS else "raison_sociale"}
    return render(request, "organisation/structures/liste.html", contexte)


@require_GET
def structure(request, pk):
    structure = selecteurs.structure_consultable_ou_404(request.user, pk)
    libelles_espaces = dict(Application.choices)
    contexte = {
        "structure": structure,
        "peut_modifier": selecteurs.peut_modifier(request.user, structure),
        "rattachement": selecteurs.role(request.user, structure),
        "pays": nom_du_pays(structure.pays),
        "parametres": [(Structure._meta.get_field(nom).verbose_name, getattr(structure, nom)) for nom in PARAMETRES],
        "espaces": [libelles_espaces[e] for e in (structure.espaces or Application.values) if e in libelles_espaces],
        "page_services": selecteurs.page_de(
            selecteurs.services(structure), request.GET.get("page"), selecteurs.SERVICES_PAR_PAGE
        ),
        "coordonnees": selecteurs.coordonnees_bancaires(structure),
        "mandats": selecteurs.mandats(structure),
        "pieces": selecteurs.pieces_jointes(structure),
        "modifications": selecteurs.modifications_en_attente_de(structure),
        "regles_pj": regles_pieces_jointes(),
    }
    return render(request, "organisation/structures/structure.html", contexte)


def demander_rattachement(request):
    return render(request, "organisation/demander_rattachement.html")
