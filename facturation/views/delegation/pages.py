"""« Gérer délégation des factures reçues » (rows 62, 63): list, create, end."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from chorus.exceptions import ApplicationError, erreur_dans_le_formulaire
from facturation.selectors import delegation as selecteurs
from facturation.services import delegation as services
from facturation.views.delegation.forms import DelegationForm


@require_GET
def liste(request):
    contexte = {
        "structures": selecteurs.structures_delegantes(request.user),
        "donnees": selecteurs.delegations_donnees(request.user),
        "recues": selecteurs.delegations_recues(request.user),
    }
    return render(request, "facturation/delegation/liste.html", contexte)


@require_http_methods(["GET", "POST"])
def creer(request, structure_pk):
    structure = selecteurs.structure_delegante_ou_404(request.user, structure_pk)
    form = DelegationForm(request.POST or None, services=structure.services.filter(actif=True).order_by("code"))
    if request.method == "POST" and form.is_valid():
        try:
            delegation = services.delegation_creer(
                delegant=structure,
                par=request.user,
                siret=form.cleaned_data["siret"],
                droit=form.cleaned_data["droit"],
                services=form.cleaned_data.get("services") or [],
            )
        except ApplicationError as erreur:
            erreur_dans_le_formulaire(form, erreur)
        else:
            messages.success(
                request,
                f"{delegation.delegue.raison_sociale} est valideur délégué des factures reçues par "
                f"{structure.raison_sociale} ({delegation.get_droit_display().lower()}). Les factures A1 déposées "
                "à partir de maintenant lui sont soumises.",
            )
            return redirect("facturation:delegation_liste")
    return render(request, "facturation/delegation/creer.html", {"structure": structure, "form": form})


@require_http_methods(["GET", "POST"])
def terminer(request, pk):
    delegation = selecteurs.delegation_geree_ou_404(request.user, pk)
    if request.method == "POST":
        try:
            services.delegation_terminer(delegation=delegation, par=request.user)
        except ApplicationError as erreur:
            messages.error(request, erreur.message)
        else:
            messages.success(
                request,
                f"La délégation à {delegation.delegue.raison_sociale} est terminée. Les nouvelles factures sont "
                f"de nouveau mises à disposition de {delegation.delegant.raison_sociale}.",
            )
        return redirect("facturation:delegation_liste")
    return render(request, "facturation/delegation/terminer.html", {"delegation": delegation})
