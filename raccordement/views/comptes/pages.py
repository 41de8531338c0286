"""« Raccordement »: the structures whose connection the user manages, each with its technical accounts, API
clients and connection records."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from raccordement.selectors import comptes as selecteurs


@require_GET
def accueil(request):
    structures = list(selecteurs.structures_raccordement(request.user))
    return render(request, "raccordement/comptes/accueil.html", {"structures": structures})
