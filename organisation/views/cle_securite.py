"""The WebAuthn ceremonies, as JSON endpoints for static/js/cle_securite.js.

django-otp-webauthn's own views take the user from request.user, but at the second login step nobody is logged
in yet: the user is the one of the pre-authentication. These views drive the library's helper for that user, and
log in only through authentification.connexion_terminer, like the code form."""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.shortcuts import resolve_url
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp_webauthn import exceptions as webauthn_erreurs
from django_otp_webauthn.utils import rewrite_exceptions

from chorus.exceptions import ApplicationError
from chorus.json_borne import JsonRefuse, lire_json
from organisation import authentification
from organisation.services import cle_securite

journal = logging.getLogger("chorus.securite")

ETAT_ENREGISTREMENT = "cle_securite_enregistrement"
ETAT_AUTHENTIFICATION = "cle_securite_authentification"

REFUS_DEFAUT = "La clé de sécurité n'a pas pu être vérifiée. Réessayez, ou utilisez le code de sécurité."
CLE_INCONNUE = "Cette clé de sécurité n'est pas enregistrée sur votre compte : utilisez une autre clé ou le code."
REFUS = {
    "invalid_state": "La demande a expiré : cliquez de nouveau sur le bouton.",
    "malformed_request": REFUS_DEFAUT,
    "credential_not_found": CLE_INCONNUE,
    "credential_user_mismatch": CLE_INCONNUE,
    "credential_disabled": "Cette clé de sécurité est désactivée : utilisez le code de sécurité.",
}
PREAUTH_EXPIREE = "Votre tentative de connexion a expiré : saisissez de nouveau votre mot de passe."
# A WebAuthn answer (attestation, client data, public key) weighs a few kilobytes: 64 Ko is ample.
TAILLE_MAX_CEREMONIE = 64 * 1024


def _refus(message, status=400, **extra):
    return JsonResponse({"detail": message, **extra}, status=status)


def _refus_webauthn(erreur):
    return _refus(REFUS.get(erreur.code, REFUS_DEFAUT), erreur.status_code)


def _donnees(request):
    # read as a stream, so that a body larger than the limit is never loaded whole; JsonRefuse says what is wrong
    donnees = lire_json(request.read(TAILLE_MAX_CEREMONIE + 1) or b"{}", taille_max=TAILLE_MAX_CEREMONIE)
    if not isinstance(donnees, dict):
        raise webauthn_erreurs.MalformedRequest()
    return donnees


def _helper(request):
    return cle_securite.WebAuthnCredential.get_webauthn_helper(request=request)


@never_cache
@require_POST
def enregistrement_debut(request):
    try:
        nom = cle_securite.nom_de_cle(_donnees(request).get("nom"))
    except webauthn_erreurs.OTPWebAuthnApiError as erreur:
        return _refus_webauthn(erreur)
    except ApplicationError as erreur:
        return _refus(erreur.message)
    options, etat = _helper(request).register_begin(user=request.user)
    request.session[ETAT_ENREGISTREMENT] = {"etat": etat, "nom": nom}
    return JsonResponse(options)


@never_cache
@require_POST
def enregistrement_fin(request):
    # popped before anything else: a challenge serves once, even when the answer is refused
    attente = request.session.pop(ETAT_ENREGISTREMENT, None)
    if not attente:
        return _refus(REFUS["invalid_state"])
    try:
        donnees = _donnees(request)
        with rewrite_exceptions(logger=journal):
            cle = _helper(request).register_complete(user=request.user, state=attente["etat"], data=donnees)
    except webauthn_erreurs.OTPWebAuthnApiError as erreur:
        return _refus_webauthn(erreur)
    except JsonRefuse as refus:
        return _refus(refus.message)
    cle_securite.cle_ajoutee(utilisateur=request.user, cle=cle, nom=attente["nom"])
    messages.success(
        request,
        f"La clé de sécurité « {cle.name} » est ajoutée : à la connexion, vous pourrez l'utiliser à la place du code.",
    )
    return JsonResponse({"redirect_url": reverse("organisation:facteurs")})


@login_not_required
@never_cache
@require_POST
def authentification_debut(request):
    utilisateur = authentification.preauth_lire(request)
    if utilisateur is None:
        return _refus(PREAUTH_EXPIREE, 403, redirect_url=reverse("organisation:connexion"))
    if not cle_securite.a_une_cle(utilisateur):
        return _refus("Aucune clé de sécurité n'est enregistrée sur votre compte : saisissez le code.", 400)
    # second factor only (the password is already checked): touching the key is enough, no PIN required
    options, etat = _helper(request).authenticate_begin(user=utilisateur, require_user_verification=False)
    request.session[ETAT_AUTHENTIFICATION] = {"etat": etat, "uid": utilisateur.pk}
    return JsonResponse(options)


@login_not_required
@never_cache
@require_POST
def authentification_fin(request):
    # popped before anything else: a challenge serves once, even when the answer is refused
    attente = request.session.pop(ETAT_AUTHENTIFICATION, None)
    utilisateur = authentification.preauth_lire(request)
    if utilisateur is None:
        return _refus(PREAUTH_EXPIREE, 403, redirect_url=reverse("organisation:connexion"))
    if not attente or attente["uid"] != utilisateur.pk:
        return _refus(REFUS["invalid_state"])
    try:
        donnees = _donnees(request)
        with rewrite_exceptions(logger=journal):
            cle = _helper(request).authenticate_complete(user=utilisateur, state=attente["etat"], data=donnees)
        if not cle.confirmed:
            raise webauthn_erreurs.CredentialDisabled()
    except webauthn_erreurs.OTPWebAuthnApiError as erreur:
        # Not counted with the wrong codes: a signature cannot be guessed, and the pre-authentication expires.
        journal.info("clé de sécurité refusée", extra={"ip": request.META.get("REMOTE_ADDR"), "motif": erreur.code})
        return _refus_webauthn(erreur)
    except JsonRefuse as refus:
        return _refus(refus.message)
    suivant = authentification.connexion_terminer(request, utilisateur, cle)
    return JsonResponse({"redirect_url": suivant or resolve_url(settings.LOGIN_REDIRECT_URL)})
