"""« Mes exports »: the Excel exports the user asked for from the lists, their progress, and their files (to their
owner only). Reads: exports.selectors; writes: exports.services."""

from django.contrib import messages
from django.http import FileResponse, Http404, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from chorus.exceptions import ApplicationError
from exports import copie, ecriture, genres, selectors
from exports.services import export_demander

AFFICHES = 50
LONGUEUR_CRITERES_MAX = 4000


@require_GET
def mes_exports(request):
    demandes = list(selectors.mes_exports(request.user)[:AFFICHES])
    for demande in demandes:
        demande.libelle = genres.genre(demande.genre).libelle if demande.genre in genres.GENRES else demande.genre
    en_cours = any(not d.termine for d in demandes)
    return render(request, "exports/mes_exports.html", {"demandes": demandes, "en_cours": en_cours})


@require_POST
def demander(request, genre):
    """The « Exporter (Excel) » button of a list: its hidden field carries the list's search as a query string."""
    genre_export = genres.genre(genre)
    # a search's query string is short; the cap keeps an oversized field out of the saved criteria
    parametres = QueryDict(request.POST.get("parametres", "")[:LONGUEUR_CRITERES_MAX])
    try:
        export_demander(par=request.user, genre=genre, parametres=parametres)
    except ApplicationError as erreur:
        messages.error(request, erreur.message)
        return redirect("exports:mes_exports")
    messages.success(
        request,
        f"Votre export Excel « {genre_export.libelle} » est en préparation. Il apparaît ci-dessous ; "
        "vous recevrez un courriel quand il sera prêt.",
    )
    return redirect("exports:mes_exports")


@never_cache
@require_GET
def etat(request, pk):
    """Polled by the page while an export is being built (static/js/mes_exports.js)."""
    demande = selectors.mon_export_ou_404(request.user, pk)
    return JsonResponse(
        {
            "etat": demande.etat,
            "libelle": demande.get_etat_display(),
            "lignes_ecrites": demande.lignes_ecrites,
            "lignes_total": demande.lignes_total,
            "pourcentage": demande.pourcentage,
            "termine": demande.termine,
        }
    )


@require_GET
def telecharger(request, pk):
    demande = selectors.mon_export_pret_ou_404(request.user, pk)
    return FileResponse(
        demande.fichier.open("rb"),
        as_attachment=True,
        filename=demande.nom_fichier or "export.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def proposer(request, genre):
    """A list's former « Excel » link (bookmarks, ?format=xlsx): a page with the button that asks for the export,
    since building it takes longer than a request may."""
    genre_export = genres.genre(genre)
    parametres = request.GET.copy()
    for cle in ("format", "export", "page"):
        parametres.pop(cle, None)
    return render(
        request,
        "exports/proposer.html",
        {"genre": genre, "genre_export": genre_export, "parametres": parametres.urlencode()},
    )


def exporter(request, genre, format_):
    """A list's export, for every list of exports.genres: the CSV streamed (written by PostgreSQL when it can), the
    Excel file asked to « Mes exports », anything else a 404. The rows are the list's own query, with its rights."""
    if format_ == "xlsx":
        return proposer(request, genre)
    if format_ != "csv":
        raise Http404("Format d'export inconnu.")
    genre_export = genres.genre(genre)
    qs = genre_export.requete(request.user, request.GET, None)
    nom = f"{genre_export.prefixe_fichier}-{timezone.localdate():%Y%m%d}"
    return ecriture.csv_blocs_reponse(copie.blocs(qs, genre_export.colonnes), nom)
