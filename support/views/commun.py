"""What the ticket pages of every side share: the list, the thread page and its POST actions, attachments."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from chorus.exceptions import ApplicationError
from facturation import exports
from support import acces
from support.enums import StatutSollicitation as S
from support.selectors import sollicitations as selecteurs
from support.services.sollicitations import reouverture_possible, sollicitation_cloturer
from support.workflow import DELAI_REOUVERTURE, SOLLICITATION_WORKFLOW

PAR_PAGE = 20


def _destinataire(s):
    if s.structure_destinataire is None:
        return "Support Chorus Pro"
    service = f" – service {s.service_destinataire.code}" if s.service_destinataire else ""
    return f"{s.structure_destinataire.raison_sociale}{service}"


COLONNES = [
    ("Numéro", lambda s: s.numero),
    ("Objet", lambda s: s.objet),
    ("Catégorie", lambda s: s.categorie.libelle),
    ("Sous-catégorie", lambda s: s.sous_categorie.libelle),
    ("Demandeur", lambda s: s.demandeur_nom),
    ("Adresse du demandeur", lambda s: s.demandeur_email),
    ("Destinataire", _destinataire),
    ("Agent en charge", lambda s: s.agent.nom_complet if s.agent else ""),
    ("Statut", lambda s: s.get_statut_display()),
    ("Créée le", lambda s: s.cree_le),
    ("Dernière activité", lambda s: s.derniere_activite),
]


def liste(request, gabarit, form, requete, contexte=None, *, nom_export="sollicitations"):
    """A filtered, sorted, paginated list; `requete(**filtres)` is the side's scoped selector. `?export=csv` or
    `xlsx` gives the same rows, every page, as a file."""
    tri = request.GET.get("tri", selecteurs.TRI_DEFAUT)
    tri = tri if tri in selecteurs.TRIS else selecteurs.TRI_DEFAUT
    sollicitations = form.filtrer(requete(**form.filtres(), tri=tri))
    if "export" in request.GET:
        format_ = request.GET["export"]
        if format_ not in exports.FORMATS:
            raise Http404("Format d'export inconnu.")
        nom = f"{nom_export}-{timezone.localdate():%Y%m%d}"
        return exports.export_reponse(
            format_, COLONNES, sollicitations.iterator(chunk_size=500), nom, "Sollicitations"
        )
    page = Paginator(sollicitations, PAR_PAGE).get_page(request.GET.get("page"))
    parametres = request.GET.copy()
    for cle in ("page", "export"):
        parametres.pop(cle, None)
    contexte = {"form": form, "page_obj": page, "tri": tri, "parametres": parametres.urlencode(), **(contexte or {})}
    return render(request, gabarit, contexte)


def executer(request, form, action, succes):
    """Run a service with the form's data; an ApplicationError goes back to the form, by field."""
    if not form.is_valid():
        return False
    try:
        action(form.cleaned_data)
    except ApplicationError as erreur:
        champ = erreur.champ if erreur.champ in form.fields else None
        form.add_error(champ, erreur.message)
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
