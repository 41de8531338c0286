"""The support agents' screens: public structures to validate, accounts (login address, gestionnaire principal),
duplicate structures.

Only `user.est_agent_support` reaches them; anyone else gets 404, as for any object they may not see."""

from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chorus.exceptions import ApplicationError, erreur_dans_le_formulaire
from organisation.enums import TypeIdentifiant
from organisation.forms_support import (
    ChangementAdresseSupportForm,
    DoublonStructureForm,
    MotifRefusStructureForm,
    RechercheStructureSupportForm,
    RechercheUtilisateurForm,
    TransfertGestionnaireSupportForm,
)
from organisation.selectors import support as selecteurs
from organisation.services import rattachements, structures
from organisation.services.support import adresse_changer_par_support
from organisation.services.support import structure_marquer_doublon as marquer_doublon

PAR_PAGE = 20


def agent_support_requis(vue):
    # outermost decorator: a non-agent learns nothing, not even which methods a page accepts
    @wraps(vue)
    def enveloppe(request, *args, **kwargs):
        if not getattr(request.user, "est_agent_support", False):
            raise Http404("Page introuvable.")
        return vue(request, *args, **kwargs)

    return enveloppe


@agent_support_requis
@require_GET
def structures_a_valider(request):
    page = Paginator(selecteurs.structures_a_valider(), PAR_PAGE).get_page(request.GET.get("page"))
    return render(request, "organisation/support/structures.html", {"page_obj": page})


@agent_support_requis
@require_POST
def structure_valider(request, pk):
    structure = selecteurs.structure_a_valider_ou_404(pk)
    try:
        structures.structure_valider(structure=structure, par=request.user)
    except ApplicationError as erreur:
        messages.error(request, erreur.message)
    else:
        messages.success(
            request,
            f"La structure {structure.raison_sociale} ({structure.identifiant}) est validée ; son gestionnaire "
            "principal en est informé par courriel.",
        )
    return redirect("organisation:support_structures")


@agent_support_requis
@require_http_methods(["GET", "POST"])
def structure_refuser(request, pk):
    structure = selecteurs.structure_a_valider_ou_404(pk)
    form = MotifRefusStructureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            structures.structure_refuser(structure=structure, par=request.user, motif=form.cleaned_data["motif"])
        except ApplicationError as erreur:
            erreur_dans_le_formulaire(form, erreur)
        else:
            messages.success(
                request,
                f"La création de la structure {structure.raison_sociale} ({structure.identifiant}) est refusée ; "
                "son gestionnaire principal reçoit le motif par courriel.",
            )
            return redirect("organisation:support_structures")
    return render(request, "organisation/support/structure_refuser.html", {"structure": structure, "form": form})


@agent_support_requis
@require_GET
def utilisateurs(request):
    form = RechercheUtilisateurForm(request.GET if "q" in request.GET else None)
    page = None
    if form.is_valid():
        resultats = selecteurs.utilisateurs_rechercher(form.cleaned_data["q"])
        page = Paginator(resultats, PAR_PAGE).get_page(request.GET.get("page"))
    return render(request, "organisation/support/utilisateurs.html", {"form": form, "page_obj": page})


@agent_support_requis
@require_GET
def utilisateur(request, pk):
    compte = selecteurs.utilisateur_ou_404(pk)
    contexte = {"compte": compte, "rattachements": selecteurs.rattachements_de(compte)}
    return render(request, "organisation/support/utilisateur.html", contexte)


@agent_support_requis
@require_http_methods(["GET", "POST"])
def utilisateur_adresse(request, pk):
    compte = selecteurs.utilisateur_ou_404(pk)
    form = ChangementAdresseSupportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            adresse_changer_par_support(
                agent=request.user, utilisateur=compte, nouvelle_adresse=form.cleaned_data["nouvelle_adresse"]
            )
        except ApplicationError as erreur:
            erreur_dans_le_formulaire(form, erreur)
        else:
            messages.success(
                request,
                f"Un lien de confirmation, valable 24 heures, a été envoyé à {form.cleaned_data['nouvelle_adresse']}"
                f" ; l'adresse actuelle {compte.email} en est informée. L'adresse de connexion changera lorsque le "
                "lien aura été suivi.",
            )
            return redirect("organisation:support_utilisateur", pk=compte.pk)
    return render(request, "organisation/support/utilisateur_adresse.html", {"compte": compte, "form": form})


@agent_support_requis
@require_http_methods(["GET", "POST"])
def gestionnaire_transferer(request, pk):
    structure = selecteurs.structure_ou_404(pk)
    actuel = next(iter(structure.gestionnaires_principaux), None)
    form = TransfertGestionnaireSupportForm(
        request.POST or None,
        candidats=selecteurs.candidats_gestionnaire(structure),
        initial={"destinataire": request.GET.get("destinataire")},
    )
    if request.method == "POST" and form.is_valid():
        nouveau = form.cleaned_data["destinataire"]
        try:
            rattachements.gestionnaire_transferer_par_support(
                agent=request.user, structure=structure, nouveau=nouveau, motif=form.cleaned_data["motif"]
            )
        except ApplicationError as erreur:
            erreur_dans_le_formulaire(form, erreur)
        else:
            messages.success(
                request,
                f"{nouveau.utilisateur.nom_complet} est désormais le gestionnaire principal de "
                f"{structure.raison_sociale} ; les personnes concernées sont informées par courriel.",
            )
            return redirect("organisation:support_utilisateur", pk=nouveau.utilisateur_id)
    contexte = {"structure": structure, "actuel": actuel, "form": form}
    return render(request, "organisation/support/gestionnaire.html", contexte)


@agent_support_requis
@require_GET
def structures_rechercher(request):
    form = RechercheStructureSupportForm(request.GET if "q" in request.GET else None)
    page = None
    if form.is_valid():
        resultats = selecteurs.structures_rechercher(form.cleaned_data["q"])
        page = Paginator(resultats, PAR_PAGE).get_page(request.GET.get("page"))
    return render(request, "organisation/support/structures_recherche.html", {"form": form, "page_obj": page})


@agent_support_requis
@require_http_methods(["GET", "POST"])
def structure_doublon(request, pk):
    """Two steps: the agent names the structure of origin and the motif, then confirms seeing both structures."""
    doublon = selecteurs.structure_ou_404(pk)
    form = DoublonStructureForm(request.POST or None)
    origine = None
    if request.method == "POST" and form.is_valid():
        donnees = form.cleaned_data
        origine = selecteurs.structure_par_identifiant(donnees["type_identifiant"], donnees["identifiant"])
        if origine is None:
            form.add_error(
                "identifiant",
                f"Aucune structure n'est enregistrée avec l'identifiant {donnees['identifiant']} de type "
                f"« {dict(TypeIdentifiant.choices)[donnees['type_identifiant']]} ».",
            )
        elif "confirmer" in request.POST:
            try:
                marquer_doublon(agent=request.user, doublon=doublon, origine=origine, motif=donnees["motif"])
            except ApplicationError as erreur:
                erreur_dans_le_formulaire(form, erreur)
                origine = None
            else:
                messages.success(
                    request,
                    f"La structure {doublon.raison_sociale} ({doublon.identifiant}) est marquée comme doublon de "
                    f"{origine.raison_sociale} ({origine.identifiant}) ; son gestionnaire principal en est informé "
                    "par courriel.",
                )
                recherche = urlencode({"q": doublon.identifiant})
                return redirect(f"{reverse('organisation:support_structures_rechercher')}?{recherche}")
    contexte = {"structure": doublon, "form": form, "origine": origine if form.is_valid() else None}
    return render(request, "organisation/support/structure_doublon.html", contexte)
