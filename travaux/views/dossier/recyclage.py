"""« Demander le recyclage de la pièce précédente »: the page where the MOE or the MOA holding a works piece asks the
supplier to recycle the piece it follows, with the motif, and confirms. A piece outside the user's dossiers is a 404;
a user the rules (travaux/regles/demande_recyclage.csv) do not let ask is refused, as the piece page's other
actions are."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods
from dsfr.forms import DsfrBaseForm

from chorus.exceptions import ApplicationError, erreur_dans_le_formulaire
from facturation.enums import StatutFacture
from travaux.services.recyclage import COMMENTAIRE_LONGUEUR_MAX, peut_demander_recyclage, piece_demander_recyclage
from travaux.views.dossier.actions import REFUS_ACTION
from travaux.views.dossier.lecture import piece_ou_404


class DemanderRecyclageForm(DsfrBaseForm):
    commentaire = forms.CharField(
        label="Motif de la demande",
        max_length=COMMENTAIRE_LONGUEUR_MAX,
        help_text="Obligatoire. Indiquez l'erreur d'acheminement relevée (destinataire, service exécutant…) : le "
        "fournisseur le lit dans son courriel et dans l'historique de la pièce.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Indiquez le motif de la demande de recyclage.",
            "max_length": f"Le motif de la demande ne doit pas dépasser {COMMENTAIRE_LONGUEUR_MAX} caractères.",
        },
    )


@require_http_methods(["GET", "POST"])
def demander_recyclage(request, pk):
    piece = piece_ou_404(request.user, pk)
    if not peut_demander_recyclage(request.user, piece):
        raise PermissionDenied(REFUS_ACTION)
    precedente = piece.piece_precedente
    form = DemanderRecyclageForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            piece_demander_recyclage(piece=piece, par=request.user, commentaire=form.cleaned_data["commentaire"])
        except ApplicationError as erreur:
            erreur_dans_le_formulaire(form, erreur)
        else:
            libelle = StatutFacture(precedente.facture.statut).label
            messages.success(
                request,
                f"Le recyclage de la pièce précédente n° {precedente.facture.numero} est demandé au fournisseur "
                f"{precedente.facture.fournisseur.raison_sociale} : elle a le statut « {libelle} ».",
            )
            return redirect("travaux:dossier_piece", pk=piece.pk)
    contexte = {"piece": piece, "facture": piece.facture, "precedente": precedente, "form": form}
    return render(request, "travaux/dossier/demander_recyclage.html", contexte, status=400 if form.errors else 200)
