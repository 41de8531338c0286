"""Ask to be attached to a structure; approve or refuse attachment and profile requests ("Approbations")."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from chorus.exceptions import ApplicationError, erreur_dans_le_formulaire
from organisation.enums import StatutRattachement
from organisation.forms_utilisateurs import DemandeRattachementForm, MotifRefusForm, RechercheStructureForm
from organisation.habilitations import objet_visible_ou_404
from organisation.selectors import utilisateurs as selecteurs
from organisation.services import rattachements

AUCUNE_STRUCTURE = "Aucune structure active ne correspond à cet identifiant."


@require_http_methods(["GET", "POST"])
def demander_rattachement(request):
    """Search by identifier type and exact identifier (GET, kept in the address), then ask (POST)."""
    recherche = RechercheStructureForm(request.GET if "identifiant" in request.GET else None)
    structure = form = existant = None
    if recherche.is_bound and recherche.is_valid():
        structure = selecteurs.structure_active(**recherche.cleaned_data)
        if structure is None:
            recherche.add_error("identifiant", AUCUNE_STRUCTURE)
    if structure is not None:
        existant = selecteurs.rattachement_en_cours(request.user, structure)
        services = selecteurs.services_actifs(structure)
        form = DemandeRattachementForm(request.POST if request.method == "POST" else None, services=services)
        if request.method == "POST" and form.is_valid():
            try:
                rattachements.rattachement_demander(
                    utilisateur=request.user,
                    structure=structure,
                    services=form.cleaned_data.get("services") or [],
                    message=form.cleaned_data["message"],
                )
            except ApplicationError as erreur:
                erreur_dans_le_formulaire(form, erreur)
            else:
                messages.success(
                    request,
                    f"Votre demande de rattachement à la structure {structure.raison_sociale} est envoyée. Elle "
                    "attend l'approbation d'un gestionnaire de la structure : un courriel vous informera de sa "
                    "décision.",
                )
                return redirect("organisation:mon_compte")
    contexte = {
        "recherche": recherche,
        "structure": structure,
        "services": list(selecteurs.services_actifs(structure)) if structure else [],
        "form": form,
        "existant": existant,
    }
    return render(request, "organisation/utilisateurs/demander_rattachement.html", contexte)


@require_http_methods(["GET"])
def approbations(request):
    contexte = {
        "gestionnaire": selecteurs.structures_gerees(request.user).exists(),
        "rattachements": selecteurs.rattachements_a_approuver(request.user),
        "demandes": selecteurs.demandes_habilitation_a_approuver(request.user),
    }
    return render(request, "organisation/utilisateurs/approbations.html", contexte)


@require_http_methods(["POST"])
def rattachement_accepter(request, pk):
    rattachement = objet_visible_ou_404(selecteurs.rattachement_gere(request.user, pk))
    try:
        rattachements.rattachement_accepter(rattachement=rattachement, par=request.user)
    except ApplicationError as erreur:
        messages.error(request, erreur.message)
    else:
        messages.success(
            request,
            f"{rattachement.utilisateur.nom_complet} est rattaché à {rattachement.structure.raison_sociale}, avec "
            "tous les profils sauf « Organisation – modification ». Un courriel l'en informe.",
        )
    return redirect("organisation:approbations")


@require_http_methods(["GET", "POST"])
def rattachement_refuser(request, pk):
    rattachement = objet_visible_ou_404(selecteurs.rattachement_gere(request.user, pk))
    if rattachement.statut != StatutRattachement.EN_ATTENTE:
        messages.error(request, "Cette demande a déjà été traitée.")
        return redirect("organisation:approbations")
    form = MotifRefusForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rattachements.rattachement_refuser(
                rattachement=rattachement, par=request.user, motif=form.cleaned_data["motif"]
            )
        except ApplicationError as erreur:
            erreur_dans_le_formulaire(form, erreur)
        else:
            messages.success(
                request,
                f"La demande de rattachement de {rattachement.utilisateur.nom_complet} est refusée. Un courriel "
                "lui communique le motif.",
            )
            return redirect("organisation:approbations")
    contexte = {
        "form": form,
        "titre": "Refuser une demande de rattachement",
        "demandeur": rattachement.utilisateur,
        "structure": rattachement.structure,
        "objet": "le rattachement à la structure",
    }
    return render(request, "organisation/utilisateurs/refuser.html", contexte)


@require_http_methods(["POST"])
def demande_profil_accepter(request, pk):
    demande = objet_visible_ou_404(selecteurs.demande_habilitation_geree(request.user, pk))
    try:
        rattachements.demande_habilitation_traiter(demande=demande, par=request.user, accepter=True)
    except ApplicationError as erreur:
        messages.error(request, erreur.message)
    else:
        messages.success(
            request,
            f"Le profil « {demande.get_application_display()} – {demande.get_niveau_display()} » est accordé à "
            f"{demande.rattachement.utilisateur.nom_complet}. Il prendra effet après le délai de prise en compte des "
            "modifications (30 minutes au plus).",
        )
    return redirect("organisation:approbations")


@require_http_methods(["GET", "POST"])
def demande_profil_refuser(request, pk):
    demande = objet_visible_ou_404(selecteurs.demande_habilitation_geree(request.user, pk))
    if demande.statut != StatutRattachement.EN_ATTENTE:
        messages.error(request, "Cette demande a déjà été traitée.")
        return redirect("organisation:approbations")
    form = MotifRefusForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rattachements.demande_habilitation_traiter(
                demande=demande, par=request.user, accepter=False, motif=form.cleaned_data["motif"]
            )
        except ApplicationError as erreur:
            erreur_dans_le_formulaire(form, erreur)
        else:
            messages.success(
                request,
                f"La demande de profil de {demande.rattachement.utilisateur.nom_complet} est refusée. Un courriel "
                "lui communique le motif.",
            )
            return redirect("organisation:approbations")
    contexte = {
        "form": form,
        "titre": "Refuser une demande de profil",
        "demandeur": demande.rattachement.utilisateur,
        "structure": demande.rattachement.structure,
        "objet": f"le profil « {demande.get_application_display()} – {demande.get_niveau_display()} » sur la "
        "structure",
    }
    return render(request, "organisation/utilisateurs/refuser.html", contexte)
