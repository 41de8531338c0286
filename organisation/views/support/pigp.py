"""The entry point from the PIGP portal (documented in organisation/pigp.py)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from organisation import authentification, pigp


@login_not_required
@csrf_exempt  # the PIGP portal may post the assertion from its own site; the signed assertion is the proof
@require_http_methods(["GET", "POST"])
def connexion(request):
    if not pigp.cle_partagee():
        raise Http404("Page introuvable.")
    donnees = request.POST if request.method == "POST" else request.GET
    try:
        pigp.connecter(request, donnees.get("assertion", ""))
    except pigp.AssertionRefusee as refus:
        messages.error(request, refus.message)
        return redirect("accueil")
    suivant = authentification.suivant_sur(request, donnees.get("next"))
    return redirect(suivant or settings.LOGIN_REDIRECT_URL)
