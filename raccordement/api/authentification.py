"""The two credentials of every call (chorus-pro-api.md §1): `Authorization: Bearer <jeton>` identifies the
application (the token endpoint stands in for PISTE's OAuth2), `cpro-account: base64(login:mot de passe)` the
technical account. A refusal says which credential failed and why (peers.md « Credentials confusion »): both answer
401, with `WWW-Authenticate` naming the scheme that failed."""

import base64
import binascii

from django.utils.functional import SimpleLazyObject
from rest_framework import authentication, exceptions

from raccordement.models import ClientApi
from raccordement.services.clients_api import JetonRefuse, jeton_verifier
from raccordement.services.comptes import AuthentificationRefusee, authentifier_compte
from raccordement.services.utilisateur_technique import utilisateur_technique

# security-and-reliability.md 14.2.1: a credential in the URL is refused, even a valid one
PARAMETRES_INTERDITS = ("access_token", "api_key", "token", "cpro-account", "cpro_account")


class IdentifiantsRefuses(exceptions.AuthenticationFailed):
    def __init__(self, message, *, identifiant, motif, schema):
        super().__init__(message)
        self.identifiant, self.motif, self.schema = identifiant, motif, schema


def _refus_du_jeton(refus):
    return IdentifiantsRefuses(refus.message, identifiant="Authorization", motif=refus.motif, schema="Bearer")


def _jeton(request):
    """The bearer token as sent (its header read, not yet checked)."""
    entete = request.headers.get("Authorization", "")
    schema, _, jeton = entete.partition(" ")
    if not entete:
        raise IdentifiantsRefuses(
            "Jeton d'accès manquant : ajoutez l'en-tête « Authorization: Bearer <jeton> » (jeton obtenu au point "
            "d'accès /api/oauth/token).",
            identifiant="Authorization",
            motif="JETON_MANQUANT",
            schema="Bearer",
        )
    if schema.lower() != "bearer" or not jeton.strip():
        raise IdentifiantsRefuses(
            "En-tête Authorization illisible : « Bearer <jeton> » attendu.",
            identifiant="Authorization",
            motif="JETON_ILLISIBLE",
            schema="Bearer",
        )
    return jeton.strip()


def _login_mot_de_passe(request):
    entete = request.headers.get("cpro-account", "")
    if not entete:
        raise IdentifiantsRefuses(
            "Compte technique manquant : ajoutez l'en-tête « cpro-account: base64(identifiant:mot de passe) ».",
            identifiant="cpro-account",
            motif="COMPTE_MANQUANT",
            schema="cpro-account",
        )
    try:
        login, separateur, mot_de_passe = base64.b64decode(entete, validate=True).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError):
        separateur = ""
    if not separateur:
        raise IdentifiantsRefuses(
            "En-tête cpro-account illisible : base64 de « identifiant:mot de passe » attendu.",
            identifiant="cpro-account",
            motif="COMPTE_ILLISIBLE",
            schema="cpro-account",
        )
    return login, mot_de_passe


def _compte(request, jeton):
    """The technical account, the token checked first: both read by one query (comptes.authentifier_compte)."""
    try:
        login, mot_de_passe = _login_mot_de_passe(request)
    except IdentifiantsRefuses:
        try:
            jeton_verifier(jeton)  # a refused token is told first, whatever the other header holds
        except JetonRefuse as refus:
            raise _refus_du_jeton(refus) from None
        raise
    try:
        return authentifier_compte(login, mot_de_passe, jeton=jeton)
    except JetonRefuse as refus:
        raise _refus_du_jeton(refus) from None
    except AuthentificationRefusee as refus:
        raise IdentifiantsRefuses(
            refus.message, identifiant="cpro-account", motif=refus.motif, schema="cpro-account"
        ) from None


class CproAuthentification(authentication.BaseAuthentication):
    """Both credentials, the application's first (as PISTE checks it before Chorus Pro sees the call)."""

    def authenticate(self, request):
        for nom in PARAMETRES_INTERDITS:
            if nom in request.query_params:
                raise IdentifiantsRefuses(
                    f"Identifiant refusé dans l'adresse (paramètre « {nom} ») : les identifiants passent dans les "
                    "en-têtes Authorization et cpro-account, jamais dans l'URL.",
                    identifiant=nom,
                    motif="IDENTIFIANT_DANS_L_URL",
                    schema="Bearer",
                )
        compte = _compte(request, _jeton(request))
        # read only if a service asks for it: the call itself needs the client's id alone
        request.client_api = SimpleLazyObject(lambda: ClientApi.objects.get(pk=compte.client_api_id))
        return utilisateur_technique(compte), compte

    def authenticate_header(self, request):
        return 'Bearer realm="cpro"'
