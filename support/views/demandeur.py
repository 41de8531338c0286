"""« Suivi des tickets »: the requester's side when logged in (« Sollicitations émises », « Saisir une
sollicitation »)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from chorus.exceptions import ApplicationError, erreur_dans_le_formulaire
from support.forms import FiltresForm, ReponseForm, SollicitationForm
from support.selectors import sollicitations as selecteurs
from support.services import sollicitations as services
from support.views import commun


def preremplissage(request):
    """`objet`, `message` and `facture` (its number) in the query string pre-fill the form: links from the assistant
    and from an invoice's page (« Contacter le destinataire »)."""
    return {
        cle: request.GET[cle][:limite]
        for cle, limite in (("objet", 200), ("message", 10000), ("facture", 20))
        if cle in request.GET
    }


@require_GET
def emises(request):
    form = FiltresForm(request.GET)
    return commun.liste(
        request,
        "support/emises.html",
        form,
        lambda **f: selecteurs.emises(request.user, **f),
        {"courant": "emises"},
        genre_export="sollicitations_emises",
    )


@login_not_required  # logged out, the same link leads to « Compléter le formulaire de demande »
@require_http_methods(["GET", "POST"])
def sollicitation_saisir(request):
    if not request.user.is_authenticated:
        parametres = urlencode(preremplissage(request))
        return redirect(reverse("support:sollicitation_publique") + (f"?{parametres}" if parametres else ""))
    form = SollicitationForm(request.POST or None, request.FILES or None, user=request.user,
                             initial=preremplissage(request))  # fmt: skip
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            sollicitation = services.sollicitation_creer(
                par=request.user,
                sous_categorie=d["sous_categorie"],
                objet=d["objet"],
                message=d["message"],
                fichiers=commun.fichiers(request, "pieces_jointes"),
                facture=d["facture"],
                structure_concernee=d.get("structure_concernee"),
                structure_destinataire=d["structure_destinataire"],
                service_destinataire=d["service_destinataire"],
            )
        except ApplicationError as erreur:
            erreur_dans_le_formulaire(form, erreur)
        else:
            destinataire = (
                "au support"
                if sollicitation.pour_le_support
                else f"à {sollicitation.structure_destinataire.raison_sociale}"
            )
            messages.success(
                request,
                f"Votre sollicitation n° {sollicitation.numero} est transmise {destinataire}. Vous serez informé "
                "par courriel de chaque réponse.",
            )
            return redirect("support:emise", pk=sollicitation.pk)
    return render(request, "support/saisir.html", {"form": form, "courant": "saisir"})


@require_http_methods(["GET", "POST"])
def emise(request, pk):
    sollicitation = selecteurs.emise_ou_404(request.user, pk)
    reponse = ReponseForm(request.POST if request.POST.get("action") == "repondre" else None, request.FILES or None)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "repondre" and commun.executer(
            request,
            reponse,
            lambda d: services.repondre_demandeur(
                sollicitation=sollicitation,
                par=request.user,
                corps=d["message"],
                fichiers=commun.fichiers(request, "pieces_jointes"),
            ),
            "Votre réponse est envoyée.",
        ):
            return commun.apres_action(request)
        if action == "cloturer":
            return commun.cloturer(request, sollicitation, par=request.user)
    return commun.fiche(request, sollicitation, cote="demandeur", forms={"form_reponse": reponse})


@require_GET
def emise_piece(request, pk, piece_pk):
    sollicitation = selecteurs.emise_ou_404(request.user, pk)
    return commun.telecharger(selecteurs.piece_jointe_ou_404(sollicitation, piece_pk, avec_notes=False))
