"""What the ticket pages of every side share: the list, the thread page and its POST actions, attachments."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import redirect, render

from chorus.exceptions import ApplicationError, erreur_dans_le_formulaire
from exports.views import exporter
from support import acces
from support.enums import StatutSollicitation as S
from support.selectors import sollicitations as selecteurs
from support.services.sollicitations import reouverture_possible, sollicitation_cloturer
from support.workflow import DELAI_REOUVERTURE, SOLLICITATION_WORKFLOW

PAR_PAGE = 20


def liste(request, gabarit, form, requete, contexte=None, *, genre_export):
    """A filtered, sorted, paginated list; `requete(**filtres)` is the side's scoped selector. `?export=csv` gives the
    same rows, every page, as a streamed file; the Excel file is asked to « Mes exports » (support/exports.py)."""
    if "export" in request.GET:
        return exporter(request, genre_export, request.GET["export"])
    tri = request.GET.get("tri", selecteurs.TRI_DEFAUT)
    tri = tri if tri in selecteurs.TRIS else selecteurs.TRI_DEFAUT
    sollicitations = form.filtrer(requete(**form.filtres(), tri=tri))
    page = Paginator(sollicitations, PAR_PAGE).get_page(request.GET.get("page"))
    parametres = request.GET.copy()
    for cle in ("page", "export"):
        parametres.pop(cle, None)
    contexte = {
        "form": form,
        "page_obj": page,
        "tri": tri,
        "parametres": parametres.urlencode(),
        "genre": genre_export,
        **(contexte or {}),
    }
    return render(request, gabarit, contexte)


def executer(request, form, action, succes):
    """Run a service with the form's data; an ApplicationError goes back to the form, by field."""
    if not form.is_valid():
        return False
    try:
        action(form.cleaned_data)
    except ApplicationError as erreur:
        erreur_dans_le_formulaire(form, erreur)
        return False
    messages.success(request, succes)
    return True


def fichiers(request, champ):
    return request.FILES.getlist(champ)


def fiche(request, sollicitation, *, cote, forms, contexte=None, status=200):
    """The thread page. `cote` is demandeur, public, recue or agent: only the last two read internal notes."""
    avec_notes = cote in ("recue", "agent")
    reouvrable = sollicitation.statut in (S.RESOLUE, S.CLOTUREE) and reouverture_possible(sollicitation)
    contexte = {
        "sollicitation": sollicitation,
        "cote": cote,
        "fil": selecteurs.fil(sollicitation, avec_notes=avec_notes),
        "historique": selecteurs.historique(sollicitation) if avec_notes else None,
        "peut_traiter": avec_notes and acces.peut_traiter(request.user, sollicitation),
        "ouverte": sollicitation.statut in (S.NOUVELLE, S.EN_COURS, S.EN_ATTENTE_DEMANDEUR),
        "peut_cloturer": SOLLICITATION_WORKFLOW.peut(sollicitation, "cloturer", request.user),
        "reouvrable": reouvrable,
        "delai_reouverture": DELAI_REOUVERTURE.days,
        "statuts": S.choices,
        **forms,
        **(contexte or {}),
    }
    return render(request, "support/sollicitation.html", contexte, status=status)


def telecharger(piece):
    return FileResponse(
        piece.fichier.open("rb"), as_attachment=True, filename=piece.nom, content_type=piece.type_mime or None
    )


def apres_action(request):
    # back to the same page, at the thread's end, without re-posting on reload
    return redirect(request.path + "#fil")


def cloturer(request, sollicitation, *, par=None, jeton=None):
    """« Clôturer » from any side: the service says who may; the page says what happened."""
    try:
        sollicitation_cloturer(sollicitation=sollicitation, par=par, jeton=jeton)
    except ApplicationError as erreur:
        messages.error(request, erreur.message)
    else:
        messages.success(request, f"La sollicitation n° {sollicitation.numero} est clôturée.")
    return apres_action(request)
