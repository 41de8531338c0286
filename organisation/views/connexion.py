import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, logout
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from chorus.courriels import courriel_programmer
from chorus.exceptions import erreur_dans_le_formulaire
from organisation import authentification
from organisation.forms import CodeForm, ConnexionForm
from organisation.models import CodeCourriel
from organisation.services import cle_securite, second_facteur

journal = logging.getLogger("chorus.securite")

ECHEC_CONNEXION = "Adresse électronique de connexion ou mot de passe incorrect."


@login_not_required
@require_http_methods(["GET", "POST"])
def connexion(request):
    if request.user.is_authenticated:
        return redirect("accueil")
    form = ConnexionForm(request.POST or None)
    if request.method == "POST" and authentification.adresse_ip_verrouillee(request):
        journal.info("adresse verrouillée", extra={"ip": request.META.get("REMOTE_ADDR")})
        return verrouillage(request)
    if request.method == "POST" and form.is_valid():
        utilisateur = authenticate(
            request, username=form.cleaned_data["username"], password=form.cleaned_data["password"]
        )
        if utilisateur is None:
            journal.info("connexion refusée", extra={"ip": request.META.get("REMOTE_ADDR")})
            form.add_error(None, ECHEC_CONNEXION)
        else:
            authentification.preauth_commencer(request, utilisateur, request.GET.get("next"))
            return redirect("organisation:code")
    return render(request, "organisation/connexion.html", {"form": form})


def verrouillage(request, credentials=None, *args, **kwargs):
    """django-axes' lock-out answer: the same for an address that exists and one that does not."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "organisation/verrouillage.html", {"minutes": minutes}, status=429)


@login_not_required
@require_http_methods(["GET", "POST"])
def code(request):
    utilisateur = authentification.preauth_lire(request)
    if utilisateur is None:
        messages.warning(request, "Votre tentative de connexion a expiré : saisissez de nouveau votre mot de passe.")
        return redirect("organisation:connexion")
    appareil = second_facteur.facteur_de_connexion(utilisateur)
    par_courriel = isinstance(appareil, CodeCourriel)
    cles = cle_securite.a_une_cle(utilisateur)
    form = CodeForm(request.POST or None)
    # Coming back to this page sends a new code when the last one has expired (Chorus Pro's behaviour); not to
    # the holder of a security key, who asks for a code only if the key is not at hand.
    vient_d_etre_envoye = False
    if request.method == "GET" and par_courriel and not cles:
        vient_d_etre_envoye = second_facteur.code_courriel_envoyer(utilisateur=utilisateur)
    if par_courriel:
        # the page says when the code in force was sent and until when it is valid: a second login within its
        # validity sends none, and must not claim otherwise
        appareil.refresh_from_db()
    if request.method == "POST" and form.is_valid():
        try:
            second_facteur.code_verifier(appareil=appareil, code=form.cleaned_data["code"])
        except second_facteur.CodeRefuse as erreur:
            if authentification.preauth_compter_erreur(request):
                courriel_programmer(
                    gabarit="organisation/email/tentative_connexion",
                    destinataire=utilisateur.email,
                    contexte={"utilisateur": utilisateur},
                )
                messages.error(
                    request,
                    "Trop de codes erronés : pour votre sécurité, la connexion est annulée. "
                    "Saisissez de nouveau votre mot de passe.",
                )
                return redirect("organisation:connexion")
            erreur_dans_le_formulaire(form, erreur, sinon="code")
        else:
            suivant = authentification.connexion_terminer(request, utilisateur, appareil)
            return redirect(suivant or settings.LOGIN_REDIRECT_URL)
    contexte = {
        "form": form,
        "par_courriel": par_courriel,
        "adresse": utilisateur.email,
        "appareil": appareil,
        "code_en_cours": par_courriel and appareil.code_en_cours,
        "vient_d_etre_envoye": vient_d_etre_envoye,
        "cles": cles,
    }
    return render(request, "organisation/code.html", contexte)


@login_not_required
@require_POST
def code_renvoyer(request):
    utilisateur = authentification.preauth_lire(request)
    if utilisateur is None:
        return redirect("organisation:connexion")
    if second_facteur.code_courriel_envoyer(utilisateur=utilisateur, forcer=True):
        messages.success(request, "Un nouveau code vient de vous être envoyé.")
    else:
        messages.info(
            request, "Un code vient déjà de vous être envoyé : patientez une minute avant d'en demander un autre."
        )
    return redirect("organisation:code")


@login_not_required
@require_http_methods(["GET", "POST"])
def deconnexion(request):
    if request.method == "POST":
        authentification.preauth_abandonner(request)
        logout(request)
        messages.success(request, "Vous êtes déconnecté.")
        return redirect("accueil")
    return render(request, "organisation/deconnexion.html")
