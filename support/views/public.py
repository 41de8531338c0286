"""The requester without an account: « Compléter le formulaire de demande » (CAPTCHA, address confirmed by a
link), then the ticket followed through the signed link of each mail."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from chorus.exceptions import ApplicationError, erreur_dans_le_formulaire
from support import liens
from support.forms import ReponseForm, SollicitationPubliqueForm
from support.selectors import sollicitations as selecteurs
from support.services import sollicitations as services
from support.views import commun
from support.views.demandeur import preremplissage


def _lien_refuse(request, refus):
    return render(request, "support/lien_invalide.html", {"erreur": refus}, status=410 if refus.expire else 404)


@login_not_required
@require_http_methods(["GET", "POST"])
def sollicitation_publique(request):
    if request.user.is_authenticated:
        parametres = urlencode(preremplissage(request))
        return redirect(reverse("support:sollicitation_saisir") + (f"?{parametres}" if parametres else ""))
    form = SollicitationPubliqueForm(request.POST or None, request.FILES or None, initial=preremplissage(request))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.sollicitation_deposer_publique(
                email=d["email"],
                nom=d["nom"],
                sous_categorie=d["sous_categorie"],
                objet=d["objet"],
                message=d["message"],
                fichiers=commun.fichiers(request, "pieces_jointes"),
            )
        except ApplicationError as erreur:
            erreur_dans_le_formulaire(form, erreur)
        else:
            request.session["demande_adresse"] = d["email"].strip().lower()
            return redirect("support:demande_envoyee")
    return render(request, "support/publique.html", {"form": form})


@login_not_required
@require_GET
def demande_envoyee(request):
    return render(request, "support/demande_envoyee.html", {"adresse": request.session.get("demande_adresse")})


@login_not_required
@require_http_methods(["GET", "POST"])
def demande_confirmer(request, jeton):
    """A button, not the GET itself, confirms: mail scanners that open links must not file tickets."""
    try:
        sollicitation = services.sollicitation_par_lien_confirmation(jeton)
    except liens.LienRefuse as refus:
        return _lien_refuse(request, refus)
    if request.method == "POST":
        try:
            sollicitation, ouverte = services.sollicitation_confirmer(jeton=jeton)
        except liens.LienRefuse as refus:
            return _lien_refuse(request, refus)
        if ouverte:
            messages.success(
                request,
                f"Votre adresse est confirmée : la sollicitation n° {sollicitation.numero} est transmise au support. "
                "Un courriel vous en donne le lien de suivi.",
            )
        return redirect("support:demande_suivi", jeton=liens.jeton(sollicitation, liens.SEL_SUIVI))
    return render(request, "support/demande_confirmer.html", {"sollicitation": sollicitation})


@login_not_required
@require_http_methods(["GET", "POST"])
def demande_suivi(request, jeton):
    try:
        sollicitation = services.sollicitation_par_lien_suivi(jeton)
    except liens.LienRefuse as refus:
        return _lien_refuse(request, refus)
    reponse = ReponseForm(request.POST if request.POST.get("action") == "repondre" else None, request.FILES or None)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "repondre" and commun.executer(
            request,
            reponse,
            lambda d: services.repondre_demandeur(
                sollicitation=sollicitation,
                jeton=jeton,
                corps=d["message"],
                fichiers=commun.fichiers(request, "pieces_jointes"),
            ),
            "Votre réponse est envoyée.",
        ):
            return commun.apres_action(request)
        if action == "cloturer":
            return commun.cloturer(request, sollicitation, jeton=jeton)
    return commun.fiche(request, sollicitation, cote="public", forms={"form_reponse": reponse},
                        contexte={"jeton": jeton})  # fmt: skip


@login_not_required
@require_GET
def demande_piece(request, jeton, piece_pk):
    try:
        sollicitation = services.sollicitation_par_lien_suivi(jeton)
    except liens.LienRefuse as refus:
        return _lien_refuse(request, refus)
    return commun.telecharger(selecteurs.piece_jointe_ou_404(sollicitation, piece_pk, avec_notes=False))
