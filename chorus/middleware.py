"""A write the media volume could not take (chorus.stockage.StockagePlein) answers 503 with a French message that
says nothing was saved: the API's envelope for an API client, the DSFR error page for a person. The request's
transaction has already rolled back when process_exception runs (ATOMIC_REQUESTS wraps the view): the files the
request saved before the one that did not fit name no row, and are removed."""

from django.shortcuts import render

from chorus.chemins import erreur_api, est_api
from chorus.stockage import StockagePlein, ecriture, effacer

REESSAYER_APRES = 300  # seconds: a full volume is not freed in an instant


class StockagePleinMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with ecriture() as request.fichiers_enregistres:
            return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, StockagePlein):
            return None
        effacer(getattr(request, "fichiers_enregistres", []))
        if est_api(request.path):
            reponse = erreur_api(503, exception.message)
        else:
            reponse = render(request, "503.html", {"message": exception.message}, status=503)
        reponse["Retry-After"] = str(REESSAYER_APRES)
        return reponse
