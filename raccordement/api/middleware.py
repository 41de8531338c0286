"""Every answer under /cpro/ and /api/ that is an error carries the API's JSON envelope (`codeRetour`, `libelle`),
whoever produced it: a service, Django's resolver (unknown path), a decorator (405), a body over the size limit (413)
or a crash (500), with or without DEBUG — an API client parses JSON, never an HTML page (chorus-pro-api.md §1)."""

import io
import json

from django.conf import settings
from django.core.handlers.wsgi import LimitedStream
from django.http import JsonResponse, UnreadablePostError

from chorus.chemins import est_api
from raccordement.api import enveloppe
from raccordement.api.corps_par_morceaux import est_par_morceaux


def reponse_enveloppe(statut, libelle=None, **details):
    code, libelle_par_defaut = enveloppe.erreur_par_statut(statut)
    return JsonResponse(
        {"codeRetour": code, "libelle": libelle or libelle_par_defaut, **details},
        status=statut,
        json_dumps_params={"ensure_ascii": False},
    )


class EnveloppeApiMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not est_api(request.path):
            return self.get_response(request)
        if (trop := _corps_trop_gros(request)) is not None:
            return trop
        if (coupe := _corps_lu(request)) is not None:
            return coupe
        reponse = self.get_response(request)
        if reponse.status_code < 400 or getattr(reponse, "streaming", False):
            return reponse
        return _dans_l_enveloppe(reponse)


def _corps_trop_gros(request):
    """A body announced larger than what the portal reads is refused before it is read (DRF reads JSON bodies as a
    stream, past Django's own check): 413 with the limit. A body sent by chunks announces nothing: it is read up to
    the limit, and refused the same way past it."""
    limite = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if est_par_morceaux(request.META):
        return _corps_par_morceaux(request, limite)
    try:
        taille = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return reponse_enveloppe(400, "En-tête Content-Length illisible.")
    if limite is not None and taille > limite:
        return reponse_enveloppe(
            413,
            f"Requête trop volumineuse : {taille} octets, {limite} au plus ({limite // (1024 * 1024)} Mo, fichiers "
            "encodés en base64 compris).",
        )
    return None


def _corps_lu(request):
    """The body read whole here, before the view's transaction opens (ATOMIC_REQUESTS): a client that sends its body
    slowly, or goes away in the middle, holds no database transaction — on SQLite, whose transactions take the write
    lock at once, it would stop every other request until gunicorn's timeout. A body cut short is a 400."""
    if request.method not in ("POST", "PUT", "PATCH"):
        return None
    try:
        request.body  # noqa: B018 — kept by Django for DRF's parsers
    except UnreadablePostError:
        return reponse_enveloppe(400, "Corps de la requête incomplet : la connexion a été coupée pendant l'envoi.")
    return None


def _corps_par_morceaux(request, limite):
    if not request.META.get("wsgi.input_terminated"):
        # the server hands undecoded chunks whose end nobody can find: Django would read an empty body
        return reponse_enveloppe(411, "Envoi par morceaux non lisible par ce serveur : indiquez Content-Length.")
    try:
        corps = request.META["wsgi.input"].read(limite + 1 if limite is not None else -1)
    except ValueError as erreur:
        return reponse_enveloppe(400, str(erreur))
    if limite is not None and len(corps) > limite:
        return reponse_enveloppe(
            413,
            f"Requête trop volumineuse : plus de {limite} octets envoyés par morceaux, {limite} au plus "
            f"({limite // (1024 * 1024)} Mo, fichiers encodés en base64 compris).",
        )
    # from here on the request is an ordinary one of known length: Django and DRF read the body read here
    request.META["CONTENT_LENGTH"] = str(len(corps))
    request._stream = LimitedStream(io.BytesIO(corps), len(corps))
    return None


def _dans_l_enveloppe(reponse):
    """The error as it was, put in the envelope: a JSON answer keeps its fields (OAuth2's `error` and
    `error_description`, DRF's `detail`) and gains `codeRetour` and `libelle`; anything else is replaced."""
    corps = None
    if reponse.get("Content-Type", "").split(";")[0].strip().endswith("json"):
        try:
            corps = json.loads(reponse.content)
        except ValueError:
            corps = None
    if isinstance(corps, dict) and "codeRetour" in corps:
        return reponse
    details = corps if isinstance(corps, dict) else {}
    # `libelle`: the wording chorus.chemins.erreur_api was given (a full media volume…)
    libelle = details.pop("libelle", None) or details.get("error_description") or details.get("detail")
    libelle = libelle or _libelle_405(reponse)
    nouvelle = reponse_enveloppe(reponse.status_code, str(libelle) if libelle else None, **details)
    for entete in ("WWW-Authenticate", "Retry-After", "Allow"):
        if entete in reponse:
            nouvelle[entete] = reponse[entete]
    return nouvelle


def _libelle_405(reponse):
    if reponse.status_code == 405 and "Allow" in reponse:
        return f"Méthode non admise à cette adresse : appelez-la en {reponse['Allow'].replace(', OPTIONS', '')}."
    return None
