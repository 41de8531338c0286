"""The error pages: DSFR pages in French for the portal, Chorus Pro's JSON envelope under /cpro/ and /api/ (an API
client reads `codeRetour`, never an HTML page: the API's envelope middleware completes the JSON answered here). Django
calls these only when DEBUG is off, as in the demo."""

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader

from chorus.chemins import erreur_api, est_api


def _page(request, statut):
    if est_api(request.path):
        return erreur_api(statut)
    return render(request, f"{statut}.html", status=statut)


def requete_invalide(request, exception):
    return _page(request, 400)


def acces_refuse(request, exception):
    return _page(request, 403)


def page_non_trouvee(request, exception):
    return _page(request, 404)


def erreur_serveur(request):
    """Rendered without the request's context: the fault may be the database itself, and the page must still show."""
    if est_api(request.path):
        return erreur_api(500)
    return HttpResponseServerError(loader.get_template("500.html").render())
