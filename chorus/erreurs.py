"""The error pages: DSFR pages in French for the portal, Chorus Pro's JSON envelope under /cpro/ and /api/ (an API
client reads `codeRetour`, never an HTML page). Django calls these only when DEBUG is off, as in the demo."""

from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader

from raccordement.api import enveloppe

PREFIXES_API = ("/cpro/", "/api/")

LIBELLES_API = {
    400: (enveloppe.DONNEES_INVALIDES, "Requête invalide : elle n'a pas pu être lue."),
    403: (enveloppe.NON_AUTORISE, "Accès refusé à cette ressource."),
    404: (enveloppe.INTROUVABLE, "Service inconnu : aucun service de l'API ne répond à cette adresse."),
    500: (enveloppe.ERREUR_INTERNE, "Erreur technique du portail : réessayez plus tard."),
}


def _est_api(request):
    return request.path.startswith(PREFIXES_API)


def _json(statut):
    code, libelle = LIBELLES_API[statut]
    return JsonResponse(
        {"codeRetour": code, "libelle": libelle}, status=statut, json_dumps_params={"ensure_ascii": False}
    )


def _page(request, statut):
    if _est_api(request):
        return _json(statut)
    return render(request, f"{statut}.html", status=statut)


def requete_invalide(request, exception):
    return _page(request, 400)


def acces_refuse(request, exception):
    return _page(request, 403)


def page_non_trouvee(request, exception):
    return _page(request, 404)


def erreur_serveur(request):
    """Rendered without the request's context: the fault may be the database itself, and the page must still show."""
    if _est_api(request):
        return _json(500)
    return HttpResponseServerError(loader.get_template("500.html").render())
