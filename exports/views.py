"""« Mes exports »: the Excel exports the user asked for from the lists, their progress, and their files (to their
owner only). Reads: exports.selectors; writes: exports.services."""

from django.contrib import messages
from django.http import FileResponse, Http404, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from chorus.exceptions import ApplicationError
from exports import copie, ecriture, genres, selectors
from exports.colonnes import libelles
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
    """The « Exporter (Excel) » button of a list: its hidden field carries the list's search as a query string (and
    the structure, for a structure's list)."""
    genre_export = genres.genre(genre)
    structure = genre_export.structure(request.user, request.POST.get("structure")) if genre_export.structure else None
    # a search's query string is short; the cap keeps an oversized field out of the saved criteria
    parametres = QueryDict(request.POST.get("parametres", "")[:LONGUEUR_CRITERES_MAX])
    try:
        export_demander(par=request.user, genre=genre, parametres=parametres, structure=structure)
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


def proposer(request, genre, structure=None):
    """A list's former « Excel » link (bookmarks, ?format=xlsx): a page with the button that asks for the export,
    since building it takes longer than a request may."""
    genre_export = genres.genre(genre)
    parametres = request.GET.copy()
    for cle in ("format", "export", "page"):
        parametres.pop(cle, None)
    contexte = {
        "genre": genre,
        "genre_export": genre_export,
        "parametres": parametres.urlencode(),
        "structure": structure,
        "retour": reverse(genre_export.page, args=[structure.pk] if structure is not None else []),
    }
    return render(request, "exports/proposer.html", contexte)


def exporter(request, genre, format_, structure=None):
    """A list's export, for every list of exports.genres: the CSV streamed (written by PostgreSQL when it can), the
    Excel file asked to « Mes exports », anything else a 404. The rows are the list's own query, with its rights;
    `structure`, for a structure's list, is the one its page checked."""
    if format_ == "xlsx":
        return proposer(request, genre, structure)
    if format_ != "csv":
        raise Http404("Format d'export inconnu.")
    genre_export = genres.genre(genre)
    qs = genre_export.requete(request.user, request.GET, structure)
    if genre_export.lignes:
        blocs = ecriture.blocs_csv(libelles(genre_export.colonnes), genre_export.lire(qs))
    else:
        blocs = copie.blocs(qs, genre_export.colonnes)
    return ecriture.csv_blocs_reponse(blocs, genre_export.nom_fichier(structure))
