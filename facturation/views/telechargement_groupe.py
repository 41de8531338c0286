"""« Télécharger la sélection »: the invoices ticked in a search, PDF or XML, with or without their attachments, in
one ZIP (chorus-pro-features.md row 49; the API's `telecharger/groupe` shares the service). The émises and reçues
spaces pass their own scope, so an invoice outside it makes the whole request a 404."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.http import content_disposition_header

from chorus.exceptions import ApplicationError
from facturation.services.telechargement import factures_telecharger_groupe
from organisation.authentification import suivant_sur

# a page of results at most: the checkboxes are those of one page
SELECTION_MAX = 100


def _ids(request):
    try:
        ids = [int(v) for v in request.POST.getlist("factures")]
    except ValueError:
        raise Http404("Facture introuvable.") from None
    return list(dict.fromkeys(ids))


def telecharger_selection(request, factures_visibles, *, retour, prefixe):
    """The ZIP of the posted ids among `factures_visibles`, or back to the search with the reason."""
    ids = _ids(request)
    retour = suivant_sur(request, request.POST.get("suivant", "")) or retour
    if not ids:
        messages.error(request, "Sélectionnez au moins une facture à télécharger.")
        return redirect(retour)
    if len(ids) > SELECTION_MAX:
        messages.error(request, f"Sélectionnez {SELECTION_MAX} factures au plus par téléchargement.")
        return redirect(retour)
    trouvees = {f.pk: f for f in factures_visibles.filter(pk__in=ids).prefetch_related("pieces_jointes")}
    if len(trouvees) != len(ids):
        raise Http404("Facture introuvable.")
    try:
        contenu = factures_telecharger_groupe(
            factures=[trouvees[i] for i in ids],
            par=request.user,
            format=request.POST.get("format", ""),
            avec_pieces_jointes=request.POST.get("avec_pieces_jointes") == "1",
        )
    except ApplicationError as erreur:
        messages.error(request, erreur.message)
        return redirect(retour)
    reponse = HttpResponse(contenu, content_type="application/zip")
    nom = f"{prefixe}-{timezone.localdate():%Y%m%d}.zip"
    reponse["Content-Disposition"] = content_disposition_header(True, nom)
    return reponse
