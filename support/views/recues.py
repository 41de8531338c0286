"""« Sollicitations reçues »: business requests addressed to a public structure, handled by its users with the
« Sollicitations » profile (consultation to read, modification to answer). Another structure's ticket is a 404."""

from django.views.decorators.http import require_GET, require_http_methods

from support.forms import FiltresForm, NoteForm, ReponseTraitantForm
from support.selectors import sollicitations as selecteurs
from support.services import sollicitations as services
from support.views import commun


@require_GET
def recues(request):
    form = FiltresForm(request.GET)
    return commun.liste(
        request,
        "support/recues.html",
        form,
        lambda **f: selecteurs.recues(request.user, **f),
        {"courant": "recues"},
        genre_export="sollicitations_recues",
    )


def traiter(request, sollicitation, *, cote, contexte=None, initial_reponse=None):
    """The handler's POST actions (answer, internal note, close), shared by the structure and the support agents."""
    action = request.POST.get("action") if request.method == "POST" else None
    reponse = ReponseTraitantForm(
        request.POST if action == "repondre" else None,
        request.FILES if action == "repondre" else None,
        initial=initial_reponse,
    )
    note = NoteForm(request.POST if action == "note" else None, request.FILES if action == "note" else None)
    if action == "repondre" and commun.executer(
        request,
        reponse,
        lambda d: services.repondre_traitant(
            sollicitation=sollicitation,
            par=request.user,
            corps=d["message"],
            statut=d["statut"],
            fichiers=commun.fichiers(request, "pieces_jointes"),
        ),
        "Votre réponse est envoyée au demandeur.",
    ):
        return commun.apres_action(request)
    if action == "note" and commun.executer(
        request,
        note,
        lambda d: services.note_interne_ajouter(
            sollicitation=sollicitation,
            par=request.user,
            corps=d["note"],
            fichiers=commun.fichiers(request, "pieces_jointes_note"),
        ),
        "La note interne est enregistrée.",
    ):
        return commun.apres_action(request)
    if action == "cloturer":
        return commun.cloturer(request, sollicitation, par=request.user)
    return commun.fiche(
        request, sollicitation, cote=cote, forms={"form_reponse": reponse, "form_note": note}, contexte=contexte
    )


@require_http_methods(["GET", "POST"])
def recue(request, pk):
    return traiter(request, selecteurs.recue_ou_404(request.user, pk), cote="recue")


@require_GET
def recue_piece(request, pk, piece_pk):
    sollicitation = selecteurs.recue_ou_404(request.user, pk)
    return commun.telecharger(selecteurs.piece_jointe_ou_404(sollicitation, piece_pk, avec_notes=True))
