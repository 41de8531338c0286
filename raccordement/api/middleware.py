"""Every answer under /cpro/ and /api/ that is an error carries the API's JSON envelope (`codeRetour`, `libelle`),
whoever produced it: a service, Django's resolver (unknown path), a decorator (405), a body over the size limit (413)
or a crash (500), with or without DEBUG — an API client parses JSON, never an HTML page (chorus-pro-api.md §1)."""

import json

from django.conf import settings
from django.http import JsonResponse

from raccordement.api import enveloppe

PREFIXES_API = ("/cpro/", "/api/")
# the documentation page is written for people: its errors stay pages
PAGES_HUMAINES = ("/cpro/documentation/",)


def est_api(chemin):
    # "/cpro" without its slash is a client's base URL with the path left off: an API answer too
    dans_l_api = chemin.startswith(PREFIXES_API) or chemin in ("/cpro", "/api")
    return dans_l_api and not chemin.startswith(PAGES_HUMAINES)


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
        reponse = self.get_response(request)
        if reponse.status_code < 400 or getattr(reponse, "streaming", False):
            return reponse
        return _dans_l_enveloppe(reponse)


def _corps_trop_gros(request):
    """A body announced larger than what the portal reads is refused before it is read (DRF reads JSON bodies as a
    stream, past Django's own check): 413 with the limit."""
    limite = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
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
    libelle = details.get("error_description") or details.get("detail") or _libelle_405(reponse)
    nouvelle = reponse_enveloppe(reponse.status_code, str(libelle) if libelle else None, **details)
    for entete in ("WWW-Authenticate", "Retry-After", "Allow"):
        if entete in reponse:
            nouvelle[entete] = reponse[entete]
    return nouvelle


def _libelle_405(reponse):
    if reponse.status_code == 405 and "Allow" in reponse:
        return f"Méthode non admise à cette adresse : appelez-la en {reponse['Allow'].replace(', OPTIONS', '')}."
    return None
