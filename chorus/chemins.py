"""Which requests are API calls: the portal's one answer, read by the API's envelope (raccordement.api.middleware)
and by the portal-wide error handlers (chorus.erreurs, chorus.middleware), which answer an API client in JSON and a
person with a DSFR page. The API's routes come first in chorus/urls.py, under these prefixes only."""

from django.http import JsonResponse

PREFIXES_API = ("/cpro/", "/api/")
# the documentation page is written for people: its errors stay pages
PAGES_HUMAINES = ("/cpro/documentation/",)


def est_api(chemin):
    # "/cpro" without its slash is a client's base URL with the path left off: an API answer too
    dans_l_api = chemin.startswith(PREFIXES_API) or chemin in ("/cpro", "/api")
    return dans_l_api and not chemin.startswith(PAGES_HUMAINES)


def erreur_api(statut, libelle=None):
    """An API call's error as the portal-wide handlers give it: a bare JSON answer that the API's envelope middleware
    (raccordement.api.middleware, outermost) completes with its `codeRetour` and, when `libelle` is None, the default
    wording of the status."""
    return JsonResponse(
        {"libelle": libelle} if libelle else {}, status=statut, json_dumps_params={"ensure_ascii": False}
    )
