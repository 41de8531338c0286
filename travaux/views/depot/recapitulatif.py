"""After « Valider et envoyer »: the recap with the deposited PDF shown inline, and that PDF, for whoever sees the
piece (travaux.selectors.visibilite, the one policy of works pieces; 404 for anyone else). The PDF is also every
other actor's of the dossier (its validators, its payer: travaux.selectors.visibilite.pieces_des_acteurs)."""

from django.conf import settings
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.csp import CSP
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET

from facturation.services.brouillon import nom_de_fichier
from organisation.habilitations import objet_visible_ou_404
from travaux.selectors.visibilite import pieces_des_acteurs, pieces_visibles

# the recap embeds the PDF of this site; the PDF may be embedded by this site's pages only
CSP_RECAPITULATIF = {**settings.SECURE_CSP, "object-src": [CSP.SELF]}
CSP_PDF = {**settings.SECURE_CSP, "frame-ancestors": [CSP.SELF]}


def _piece_ou_404(user, pk, pieces=pieces_visibles):
    return objet_visible_ou_404(
        pieces(user).select_related(
            "facture__fournisseur",
            "facture__valideur_1",
            "facture__service_valideur_1",
            "facture__valideur_2",
            "facture__service_valideur_2",
        ),
        facture_id=pk,
    )


@require_GET
@csp_override(CSP_RECAPITULATIF)
def recapitulatif(request, pk):
    piece = _piece_ou_404(request.user, pk)
    return render(request, "travaux/depot/recapitulatif.html", {"piece": piece, "facture": piece.facture})


@require_GET
@xframe_options_sameorigin
@csp_override(CSP_PDF)
def pdf(request, pk):
    facture = _piece_ou_404(request.user, pk, pieces_des_acteurs).facture
    if not facture.fichier_pdf:
        raise Http404("Fichier introuvable.")
    return FileResponse(
        facture.fichier_pdf.open("rb"),
        as_attachment=request.GET.get("telecharger") == "1",
        filename=nom_de_fichier(facture.numero, "pdf"),
        content_type="application/pdf",
    )
