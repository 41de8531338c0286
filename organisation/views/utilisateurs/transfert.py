"""Transfer the gestionnaire principal role (Chorus Pro's three modes), with a confirmation step. Immediate.

The steps travel in the address (mode, then the structures for a partial transfer), the targets in the POST; every
step is checked again on each request, so a forged value only earns an error message.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from chorus.exceptions import ApplicationError, erreur_dans_le_formulaire
from organisation.forms_utilisateurs import (
    MODE_PARTIEL,
    MODE_UN,
    MODES,
    ChoixStructuresForm,
    CiblesParStructureForm,
    CibleUniqueForm,
    ModeTransfertForm,
)
from organisation.selectors import utilisateurs as selecteurs
from organisation.services import rattachements

GABARIT = "organisation/utilisateurs/transfert.html"


@require_http_methods(["GET", "POST"])
def transfert_gestionnaire(request):
    mes_structures = selecteurs.structures_du_gestionnaire(request.user)
    structures = list(mes_structures)
    if not structures:
        raise Http404("Vous n'êtes gestionnaire principal d'aucune structure.")
    contexte = {"structures": structures}

    etape = request.GET.get("etape")
    choix_mode = ModeTransfertForm(request.GET if "mode" in request.GET or etape == "mode" else None)
    if not choix_mode.is_bound or not choix_mode.is_valid():
        return render(request, GABARIT, {**contexte, "etape": "mode", "form": choix_mode})
    mode = choix_mode.cleaned_data["mode"]
    contexte.update(mode=mode, libelle_mode=dict(MODES)[mode])

    if mode == MODE_PARTIEL:
        choix = ChoixStructuresForm(request.GET if etape == "structures" else None, structures=mes_structures)
        if not choix.is_bound or not choix.is_valid():
            return render(request, GABARIT, {**contexte, "etape": "structures", "form": choix})
        structures = list(choix.cleaned_data["structures"])

    cibles = selecteurs.cibles_de_transfert(structures, request.user)
    classe = CibleUniqueForm if mode == MODE_UN else CiblesParStructureForm
    form = classe(request.POST if request.method == "POST" else None, structures=structures, cibles=cibles)
    sans_cible = [s for s in structures if not cibles[s.pk]]
    contexte.update(structures=structures, form=form, etape="cibles", sans_cible=sans_cible)
    if request.method == "POST" and form.is_valid():
        transferts = form.transferts()
        if "confirmer" not in request.POST:
            return render(request, GABARIT, {**contexte, "etape": "confirmation", "transferts": transferts})
        try:
            rattachements.gestionnaire_transferer(par=request.user, transferts=transferts)
        except ApplicationError as erreur:
            erreur_dans_le_formulaire(form, erreur)
        else:
            recapitulatif = ", ".join(f"{s.raison_sociale} → {r.utilisateur.nom_complet}" for s, r in transferts)
            messages.success(request, f"Le rôle de gestionnaire principal est transféré : {recapitulatif}.")
            return redirect("organisation:mon_compte")
    return render(request, GABARIT, contexte)
