"""« Télécharger le rapport (CSV) » of the last refused deposit: the rows consulterCRDetaille would list for that file.

Where the report lives between the refusal and the download: in the user's session. A refusal saves nothing (the page
says « Rien n'a été enregistré »), so there is no row to point a link at, and saving one would make a refused file a
stored object with its own retention and access rules. Re-running the layers on a re-sent file would need the file
again. A `data:` link would put an unbounded report in the page and escape the server's authorization. The session
(database backend) is server-side and bound to the login: Django flushes it at logout and at a login as someone else,
so only the user who got the refusal can read it; the view still asks the one policy (organisation.habilitations)
whether that user may deposit for the structure, so a withdrawn profile closes the report too. Only the last
refusal is kept, and its size is bounded.
"""

import json
from pathlib import PurePath

from django.http import Http404
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from facturation import exports
from facturation.rapport_depot import COLONNES_CSV, lignes_du_refus
from organisation.enums import Application, Niveau
from organisation.habilitations import objet_visible_ou_404, structures_visibles

CLE_SESSION = "depot_refuse_rapport"
# the rows' JSON in the session: hundreds of errors fit; a file with more is cut, and says so in its last row
TAILLE_MAX = 256 * 1024


def _borner(lignes):
    gardees, taille = [], 0
    for rang, ligne in enumerate(lignes):
        taille += len(json.dumps(ligne, ensure_ascii=False))
        if taille > TAILLE_MAX:
            reste = len(lignes) - rang
            pluriel = reste > 1
            message = (
                f"Rapport limité : {reste} erreur{'s' if pluriel else ''} de plus ne figure{'nt' if pluriel else ''} "
                "pas dans ce fichier. Corrigez les premières et déposez le fichier à nouveau."
            )
            return gardees + [{"libelleErreurDP": message, "message": message}]
        gardees.append(ligne)
    return gardees


def memoriser(request, *, refus, fournisseur, nom_fichier):
    """Keep the report of this refusal (replacing the previous one) for the download link of the page."""
    request.session[CLE_SESSION] = {
        "utilisateur": request.user.pk,
        "structure": fournisseur.pk,
        "fichier": PurePath(nom_fichier or "").name,
        "le": timezone.now().isoformat(),
        "lignes": _borner(lignes_du_refus(refus)),
    }


def oublier(request):
    request.session.pop(CLE_SESSION, None)


@require_GET
def rapport_csv(request):
    rapport = request.session.get(CLE_SESSION)
    if not rapport or rapport.get("utilisateur") != request.user.pk:
        raise Http404("Aucun dépôt refusé à rapporter.")
    deposantes = structures_visibles(request.user, Application.FACTURES_EMISES, Niveau.MODIFICATION)
    objet_visible_ou_404(deposantes, pk=rapport["structure"])
    nom = slugify(PurePath(rapport["fichier"]).stem)[:80] or "facture"
    return exports.csv_reponse(COLONNES_CSV, iter(rapport["lignes"]), f"rapport-depot-{nom}")
