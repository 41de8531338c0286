"""The response envelope of every service: `codeRetour` (0 = OK) and `libelle`, plus the service's fields; errors
keep the envelope and carry the HTTP status that says what went wrong (chorus-pro-api.md §1)."""

from rest_framework import status
from rest_framework.response import Response

OK = 0
# chorus-pro-api.md §1: the known codes; the others are the project's own, one per kind of error.
AUCUN_RESULTAT = 20000  # TRA_MSG_00.015
FICHIER_TROP_GROS = 20001  # GDP_MSG_11.022
DONNEES_INVALIDES = 20002
INTROUVABLE = 20003
NON_AUTORISE = 20004
TRAITEMENT_REFUSE = 20005
AUTHENTIFICATION = 20010
TROP_DE_REQUETES = 20011

LIBELLE_OK = "TRA_MSG_00.000"
LIBELLE_AUCUN_RESULTAT = "La recherche n'a retourné aucun résultat"  # tables/messages.csv api_TRA_MSG_00.015


def succes(donnees=None, *, libelle=LIBELLE_OK, code=OK):
    return Response({"codeRetour": code, "libelle": libelle, **(donnees or {})}, status=status.HTTP_200_OK)


def erreur(code, libelle, http, **details):
    return Response({"codeRetour": code, "libelle": libelle, **details}, status=http)
# a fault of the portal itself (HTTP 500): the caller may retry later, nothing in its call is at fault
ERREUR_INTERNE = 20099
