"""« Télécharger les pièces du dossier de facturation »: one ZIP of every piece's invoice file and attachments, and
one attachment of a piece (the link of the invoice blocks): for every actor of the dossier, its validators and
payer included (travaux.selectors.visibilite.dossiers_des_acteurs); 404 for anyone else."""

import io
import re
import zipfile

from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from chorus import limites
from facturation.models import PieceJointeFacture
from travaux.models import PieceTravaux
from travaux.selectors.visibilite import dossiers_des_acteurs, pieces_des_acteurs

TAILLE_MAX = limites.octets("telecharger_groupe_taille_max")


def _nom(texte):
    # a number is free text: keep it readable but safe as a path inside the archive
    return re.sub(r"[^\w.-]+", "_", texte).strip("._") or "sans-numero"


def _fichiers(dossier):
    """(name in the archive, file field, size) of every file of the dossier's pieces."""
    pieces = (
        PieceTravaux.objects.filter(dossier=dossier)
        .select_related("facture")
        .prefetch_related("facture__pieces_jointes")
        .order_by("facture__deposee_le", "pk")
    )
    for piece in pieces:
        facture = piece.facture
        base = f"{facture.cadre}_{_nom(facture.numero)}"
        for fichier in (facture.fichier_pdf, facture.fichier_xml):
            if fichier:
                extension = fichier.name.rsplit(".", 1)[-1].lower() if "." in fichier.name else "bin"
                yield f"{base}.{extension}", fichier, fichier.size
        for jointe in facture.pieces_jointes.all():
            yield f"{base}/{_nom(jointe.nom)}", jointe.fichier, jointe.taille


@require_GET
def archive(request, pk):
    dossier = get_object_or_404(dossiers_des_acteurs(request.user), pk=pk)
    fichiers = list(_fichiers(dossier))
    if sum(taille for _n, _f, taille in fichiers) > TAILLE_MAX:
        messages.error(
            request,
            "Les pièces de ce dossier de facturation dépassent 120 Mo : téléchargez-les une à une depuis la page "
            "de chaque pièce.",
        )
        return redirect("travaux:dossier_consulter", pk=dossier.pk)
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w", zipfile.ZIP_DEFLATED) as zip_:
        for nom, fichier, _taille in fichiers:
            with fichier.open("rb") as contenu:
                zip_.writestr(nom, contenu.read())
    reponse = HttpResponse(tampon.getvalue(), content_type="application/zip")
    nom_archive = f"dossier-facturation-{_nom(dossier.numero)}.zip"
    reponse["Content-Disposition"] = content_disposition_header(True, nom_archive)
    return reponse


@require_GET
def piece_jointe(request, facture_pk, jointe_pk):
    piece = get_object_or_404(pieces_des_acteurs(request.user), facture_id=facture_pk)
    jointe = get_object_or_404(PieceJointeFacture.objects.filter(facture_id=piece.facture_id), pk=jointe_pk)
    return FileResponse(
        jointe.fichier.open("rb"), as_attachment=True, filename=jointe.nom, content_type=jointe.type_mime or None
    )
