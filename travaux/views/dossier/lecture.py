"""Reading a dossier and a piece for the pages, through the works policy (travaux.selectors.visibilite), in a fixed
number of queries."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from facturation.models import Facture, FactureHistorique
from facturation.selectors.consultation import facture_detail_ou_404
from travaux.models import PieceTravaux
from travaux.selectors.visibilite import dossiers_visibles, pieces_visibles

_ACTEURS = ("fournisseur", "moe", "moa", "service_moe", "service_moa")


def dossier_ou_404(user, pk):
    return get_object_or_404(dossiers_visibles(user).select_related(*_ACTEURS), pk=pk)


def pieces_en_ordre(dossier):
    """The pieces of the dossier in chain order (each answered piece followed by its answer), with their history."""
    historique = FactureHistorique.objects.select_related("par").order_by("le", "pk")
    pieces = list(
        PieceTravaux.objects.filter(dossier=dossier)
        .select_related("facture")
        .prefetch_related(Prefetch("facture__historique", queryset=historique))
        .order_by("facture__deposee_le", "pk")
    )
    suivante = {p.piece_precedente_id: p for p in pieces if p.piece_precedente_id is not None}
    connues = {p.pk for p in pieces}
    ordre = []
    for tete in (p for p in pieces if p.piece_precedente_id not in connues):
        piece = tete
        while piece is not None and piece not in ordre:
            ordre.append(piece)
            piece = suivante.get(piece.pk)
    return ordre


def piece_ou_404(user, pk, niveau=None):
    filtre = pieces_visibles(user) if niveau is None else pieces_visibles(user, niveau)
    piece = get_object_or_404(
        filtre.select_related(
            *(f"dossier__{a}" for a in _ACTEURS), "piece_precedente__facture", "piece_suivante__facture"
        ),
        pk=pk,
    )
    piece.facture = facture_detail_ou_404(Facture.objects.filter(pk=piece.facture_id), piece.facture_id)
    return piece
