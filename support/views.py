from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render

from support.notes import NOTES_DE_VERSION


@login_not_required
def notes_de_version(request):
    return render(request, "support/notes_de_version.html", {"notes": NOTES_DE_VERSION})


@login_not_required
def sollicitation_saisir(request):
    return render(request, "support/notes_de_version.html", {"notes": NOTES_DE_VERSION})


@login_not_required
def sollicitation_publique(request):
    return render(request, "support/notes_de_version.html", {"notes": NOTES_DE_VERSION})
