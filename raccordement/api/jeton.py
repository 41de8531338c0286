"""`POST /api/oauth/token` standing in for PISTE's OAuth2 (chorus-pro-api.md §1): `grant_type=client_credentials`,
the client id and secret in the form or in HTTP Basic, → `{access_token, token_type, expires_in, scope}`. Errors in
OAuth2's own shape (RFC 6749 §5.2), with a French `error_description` that says which part failed, but one answer
for an unknown client id and a wrong secret; failures are throttled per client id and per IP
(raccordement.services.verrouillage)."""

import base64
import binascii

from axes.helpers import get_client_ip_address
from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from raccordement.services import verrouillage
from raccordement.services.clients_api import IdentifiantsClientRefuses, jeton_emettre


def _erreur(code, description, http, **entetes):
    reponse = JsonResponse({"error": code, "error_description": description}, status=http)
    for nom, valeur in entetes.items():
        reponse[nom] = valeur
    return reponse


def _identifiants(request):
    entete = request.headers.get("Authorization", "")
    if entete.lower().startswith("basic "):
        try:
            client_id, _, secret = base64.b64decode(entete[6:], validate=True).decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return None, None
        return client_id, secret
    return request.POST.get("client_id"), request.POST.get("client_secret")


@csrf_exempt
@login_not_required
@never_cache
@require_POST
def jeton(request):
    if request.GET:
        return _erreur(
            "invalid_request",
            "Les identifiants passent dans le corps (application/x-www-form-urlencoded) ou en HTTP Basic, jamais "
            "dans l'adresse.",
            400,
        )
    if request.POST.get("grant_type") != "client_credentials":
        return _erreur(
            "unsupported_grant_type", "grant_type : seule la valeur « client_credentials » est acceptée.", 400
        )
    client_id, secret = _identifiants(request)
    if not client_id or not secret:
        return _erreur(
            "invalid_request",
            "client_id et client_secret sont obligatoires (dans le corps ou en HTTP Basic).",
            400,
        )
    ip = get_client_ip_address(request)
    if verrouillage.jeton_freine(client_id, ip):
        # checked before the secret: while held back, even the right secret is refused (a guess cannot be confirmed)
        secondes = int(verrouillage.FENETRE_JETON.total_seconds())
        return _erreur(
            "invalid_client",
            f"Trop d'échecs d'authentification pour ce client_id ou depuis cette adresse : réessayez dans "
            f"{secondes // 60} minutes.",
            429,
            **{"Retry-After": str(secondes)},
        )
    try:
        valeur, duree = jeton_emettre(client_id=client_id, secret=secret)
    except IdentifiantsClientRefuses as refus:
        if refus.motif == "IDENTIFIANTS_INCORRECTS":
            verrouillage.jeton_echec(client_id, ip)
        return _erreur("invalid_client", refus.message, 401, **{"WWW-Authenticate": 'Basic realm="oauth"'})
    return JsonResponse({"access_token": valeur, "token_type": "Bearer", "expires_in": duree, "scope": "openid"})
