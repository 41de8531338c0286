from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render

from support.notes import NOTES_DE_VERSION
from support.views.demandeur import sollicitation_saisir
from support.views.public import sollicitation_publique

__all__ = ["notes_de_version", "sollicitation_publique", "sollicitation_saisir"]


@login_not_required
def notes_de_version(request):
    return render(request, "support/notes_de_version.html", {"notes": NOTES_DE_VERSION})
