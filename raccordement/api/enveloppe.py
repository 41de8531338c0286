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
# a fault of the portal itself (HTTP 500): the caller may retry later, nothing in its call is at fault
ERREUR_INTERNE = 20099
# the portal cannot take the call for now (its media volume is full): nothing saved, the caller sends it again later
SERVICE_INDISPONIBLE = 20098

LIBELLE_OK = "TRA_MSG_00.000"
LIBELLE_AUCUN_RESULTAT = "La recherche n'a retourné aucun résultat"  # tables/messages.csv api_TRA_MSG_00.015


# the code and default wording of an error the service did not word itself (an unknown path, a crash…)
PAR_STATUT = {
    400: (DONNEES_INVALIDES, "Requête invalide : elle n'a pas pu être lue."),
    401: (AUTHENTIFICATION, "Authentification requise : jeton d'accès et compte technique."),
    403: (NON_AUTORISE, "Accès refusé à cette ressource."),
    404: (INTROUVABLE, "Service inconnu : aucun service de l'API ne répond à cette adresse."),
    405: (DONNEES_INVALIDES, "Méthode non admise à cette adresse."),
    413: (FICHIER_TROP_GROS, "Requête trop volumineuse."),
    415: (DONNEES_INVALIDES, "Type de contenu non pris en charge : envoyez du JSON."),
    429: (TROP_DE_REQUETES, "Trop d'appels : réessayez plus tard."),
    500: (ERREUR_INTERNE, "Erreur technique du portail : réessayez plus tard."),
    503: (SERVICE_INDISPONIBLE, "Service momentanément indisponible : rien n'a été enregistré, réessayez plus tard."),
}


def erreur_par_statut(statut):
    if statut in PAR_STATUT:
        return PAR_STATUT[statut]
    return PAR_STATUT[500] if statut >= 500 else (DONNEES_INVALIDES, "Requête refusée.")


def succes(donnees=None, *, libelle=LIBELLE_OK, code=OK):
    return Response({"codeRetour": code, "libelle": libelle, **(donnees or {})}, status=status.HTTP_200_OK)


def erreur(code, libelle, http, **details):
    return Response({"codeRetour": code, "libelle": libelle, **details}, status=http)
