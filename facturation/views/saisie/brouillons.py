"""The drafts of the user's structures (« Brouillons »): listed, opened again, deleted."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from chorus.exceptions import ApplicationError
from facturation.enums import StatutFacture
from facturation.models import Facture
from facturation.services.brouillon import brouillon_supprimer
from facturation.views.saisie.commun import brouillon_ou_404
from organisation.enums import Niveau

PAR_PAGE = 20
TRIS = {
    "recent": ("-cree_le", "-pk"),
    "ancien": ("cree_le", "pk"),
    "numero": ("numero", "pk"),
    "destinataire": ("destinataire__raison_sociale", "pk"),
}


@require_GET
def liste(request):
    tri = request.GET.get("tri") if request.GET.get("tri") in TRIS else "recent"
    brouillons = (
        Facture.objects.emises_visibles(request.user, Niveau.MODIFICATION)
        .filter(statut=StatutFacture.BROUILLON)
        .select_related("fournisseur", "destinataire")
        .order_by(*TRIS[tri])
    )
    page = Paginator(brouillons, PAR_PAGE).get_page(request.GET.get("page"))
    return render(request, "facturation/saisie/brouillons.html", {"page_obj": page, "tri": tri, "tris": TRIS})


@require_POST
def supprimer(request, pk):
    facture = brouillon_ou_404(request.user, pk)
    try:
        brouillon_supprimer(par=request.user, facture=facture)
    except ApplicationError as erreur:
        messages.error(request, erreur.message)
    else:
        numero = f" n° {facture.numero}" if facture.numero else ""
        messages.success(request, f"Le brouillon{numero} est supprimé.")
    return redirect("facturation:saisie_brouillons")
