"""The validator's answers: Valider, Refuser (with a motif), and the delegate's processing."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from chorus.exceptions import ApplicationError, erreur_dans_le_formulaire
from facturation.enums import StatutFacture
from facturation.forms.decision import RefuserForm, ValiderForm
from facturation.selectors import validation as selecteurs
from facturation.services import validation
from facturation.services.traitement import facture_traiter
from facturation.views.validation.forms import TraiterForm
from facturation.views.validation.pages import contexte_facture


def _erreur(request, form, erreur):
    """A field's error stays on the form; any other refusal (status, rights) is a message on the invoice page."""
    if erreur.champ in form.fields:
        erreur_dans_le_formulaire(form, erreur)
        return False
    messages.error(request, erreur.message)
    return True


def _page_en_erreur(request, pk, **formulaires):
    facture = selecteurs.facture_detail_ou_404(request.user, pk)
    return render(
        request, "facturation/validation/facture.html", contexte_facture(request, facture, **formulaires), status=400
    )


def _suite(facture):
    if facture.statut == StatutFacture.A_VALIDER_2:
        return f"Elle est transmise au second valideur, {facture.valideur_2.raison_sociale}."
    if facture.statut == StatutFacture.MISE_A_DISPOSITION:
        return f"Elle est mise à disposition du destinataire, {facture.destinataire.raison_sociale}."
    if facture.statut == StatutFacture.MISE_A_DISPOSITION_MOE:
        # a works piece of a sub-contractor or co-contractor goes on to the MOE of its dossier
        moe = facture.piece_travaux.dossier.moe
        return f"Elle est mise à disposition de la maîtrise d'œuvre, {moe.raison_sociale}."
    return ""


@require_POST
def valider(request, pk):
    facture = selecteurs.facture_ou_404(request.user, pk)
    form = ValiderForm(request.POST)
    if form.is_valid():
        try:
            validation.facture_valider(facture=facture, par=request.user, commentaire=form.cleaned_data["commentaire"])
        except ApplicationError as erreur:
            if _erreur(request, form, erreur):
                return redirect("facturation:validation_facture", pk=facture.pk)
        else:
            messages.success(request, f"La facture {facture.numero} est validée. {_suite(facture)}".strip())
            return redirect("facturation:validation_facture", pk=facture.pk)
    return _page_en_erreur(request, facture.pk, form_valider=form)


@require_POST
def refuser(request, pk):
    facture = selecteurs.facture_ou_404(request.user, pk)
    form = RefuserForm(request.POST)
    if form.is_valid():
        try:
            validation.facture_refuser(
                facture=facture,
                par=request.user,
                motif=form.cleaned_data["motif"],
                commentaire=form.cleaned_data["commentaire"],
            )
        except ApplicationError as erreur:
            if _erreur(request, form, erreur):
                return redirect("facturation:validation_facture", pk=facture.pk)
        else:
            messages.success(
                request, f"La facture {facture.numero} est refusée. Le fournisseur voit le motif du refus."
            )
            return redirect("facturation:validation_facture", pk=facture.pk)
    return _page_en_erreur(request, facture.pk, form_refuser=form)


@require_POST
def traiter(request, pk):
    facture = selecteurs.facture_ou_404(request.user, pk)
    form = TraiterForm(request.POST, statuts=selecteurs.actions_possibles(facture, request.user)["traiter"])
    if form.is_valid():
        try:
            facture_traiter(
                facture=facture,
                par=request.user,
                statut_cible=form.cleaned_data["statut_cible"],
                motif=form.cleaned_data["motif"],
            )
        except ApplicationError as erreur:
            if _erreur(request, form, erreur):
                return redirect("facturation:validation_facture", pk=facture.pk)
        else:
            messages.success(
                request, f"La facture {facture.numero} a le statut « {StatutFacture(facture.statut).label} »."
            )
            return redirect("facturation:validation_facture", pk=facture.pk)
    return _page_en_erreur(request, facture.pk, form_traiter=form)
