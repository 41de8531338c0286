"""Ask an Excel export as a list's button does, let its task run (eager Celery, after the commit), then download
the file from « Mes exports » as its owner."""

import io

from django.http import QueryDict
from django.test import TestCase
from django.urls import reverse
from openpyxl import load_workbook

from exports.models import DemandeExport


def demander_xlsx(client, genre, criteres=None, structure=None):
    """POST the list's « Exporter (Excel) » form; returns the response (a redirect to « Mes exports »)."""
    parametres = QueryDict(mutable=True)
    for cle, valeur in (criteres or {}).items():
        if isinstance(valeur, list):
            parametres.setlist(cle, valeur)
        else:
            parametres[cle] = valeur
    donnees = {"parametres": parametres.urlencode()}
    if structure is not None:
        donnees["structure"] = structure.pk
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse("exports:demander", args=[genre]), donnees)


def telecharger_dernier(client):
    demande = DemandeExport.objects.latest("pk")
    return client.get(reverse("exports:telecharger", args=[demande.pk]))


def classeur_lignes(reponse):
    """[{header: value}] of the first sheet of a downloaded workbook."""
    contenu = b"".join(reponse.streaming_content) if reponse.streaming else reponse.content
    feuille = load_workbook(io.BytesIO(contenu)).active
    entete, *lignes = list(feuille.iter_rows(values_only=True))
    return [dict(zip(entete, ligne, strict=True)) for ligne in lignes]


def exporter_xlsx(client, genre, criteres=None, structure=None):
    """The rows of the Excel export of `genre` with `criteres`, as its owner downloads them."""
    reponse = demander_xlsx(client, genre, criteres, structure)
    assert reponse.status_code == 302, reponse
    return classeur_lignes(telecharger_dernier(client))
