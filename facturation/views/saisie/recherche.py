"""The small JSON endpoints of static/js/saisie_facture.js: the recipient search and the recipient's services.

They only tell what the public directory tells (active public structures and their active services), so any
logged-in user may ask.
"""

from django.http import JsonResponse
from django.views.decorators.http import require_GET

from facturation.forms.saisie import destinataire_par_siret, destinataires_trouver, services_actifs

RECHERCHE_LONGUEUR_MIN = 2


@require_GET
def destinataires(request):
    recherche = (request.GET.get("q") or "").strip()[:100]
    if len(recherche) < RECHERCHE_LONGUEUR_MIN:
        return JsonResponse({"resultats": []})
    resultats = [
        {
            "siret": structure.identifiant,
            "nom": structure.raison_sociale,
            "ville": " ".join(filter(None, [structure.code_postal, structure.ville])),
        }
        for structure in destinataires_trouver(recherche)
    ]
    return JsonResponse({"resultats": resultats})


@require_GET
def services(request):
    structure = destinataire_par_siret(request.GET.get("siret"))
    if structure is None:
        return JsonResponse({"trouve": False, "services": []})
    return JsonResponse(
        {
            "trouve": True,
            "nom": structure.raison_sociale,
            "code_service_obligatoire": structure.code_service_obligatoire,
            "engagement_obligatoire": structure.engagement_obligatoire,
            "services": [
                {
                    "code": service.code,
                    "libelle": service.libelle,
                    "engagement_obligatoire": service.engagement_obligatoire,
                }
                for service in services_actifs(structure)
            ],
        }
    )
