"""« Traiter » a received invoice (row 55), and « Valider » / « Refuser » in the delegate's place (row 63): one POST
each, the page again with its error summary when refused."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from chorus.exceptions import ApplicationError, erreur_dans_le_formulaire
from facturation.enums import StatutFacture
from facturation.forms.decision import RefuserForm, ValiderForm
from facturation.selectors import recues as selecteurs
from facturation.services.traitement import facture_traiter
from facturation.services.validation import facture_refuser, facture_valider
from facturation.views.recues.forms import TraiterForm
from facturation.views.recues.pages import contexte_facture, substitution


def _page_en_erreur(request, facture, **formulaires):
    contexte = contexte_facture(request, facture, **formulaires)
    return render(request, "facturation/recues/consulter.html", contexte, status=400)


@require_POST
def traiter(request, pk):
    facture = selecteurs.facture_recue_ou_404(request.user, pk)
    statuts = selecteurs.cibles_de_traitement(facture, request.user)
    if not statuts:
        # the user sees the invoice (else 404 above) but may not process it, or nobody may at this status
        raise PermissionDenied("Vous ne pouvez pas traiter cette facture.")
    form = TraiterForm(request.POST, statuts=statuts)
    if form.is_valid():
        donnees = form.cleaned_data
        try:
            # a comment never stands in for the motif the workflow requires: facture_traiter says it is missing
            facture_traiter(
                facture=facture,
                par=request.user,
                statut_cible=donnees["statut_cible"],
                motif=donnees.get("motif", ""),
                commentaire=donnees.get("commentaire", ""),
                numero_mandat=donnees.get("numero_mandat", ""),
            )
        except ApplicationError as erreur:
            erreur_dans_le_formulaire(form, erreur)
        else:
            messages.success(
                request,
                f"La facture n° {facture.numero} est passée au statut « {StatutFacture(facture.statut).label} ».",
            )
            return redirect("facturation:recues_consulter", pk=facture.pk)
    return _page_en_erreur(request, facture, form_traiter=form)


def _substituable(request, pk, action):
    facture = selecteurs.facture_recue_ou_404(request.user, pk)
    if not substitution(facture, request.user)[action]:
        # seen but not the recipient's to decide: an A9/A12 validation, a read-only profile, a status past it
        raise PermissionDenied("Vous ne pouvez pas valider ou refuser cette facture.")
    return facture


@require_POST
def valider(request, pk):
    facture = _substituable(request, pk, "valider")
    form = ValiderForm(request.POST)
    if form.is_valid():
        try:
            facture_valider(facture=facture, par=request.user, commentaire=form.cleaned_data["commentaire"])
        except ApplicationError as erreur:
            erreur_dans_le_formulaire(form, erreur)
        else:
            messages.success(
                request,
                f"La facture n° {facture.numero} est validée à la place du valideur délégué : elle a le statut "
                f"« {StatutFacture(facture.statut).label} ».",
            )
            return redirect("facturation:recues_consulter", pk=facture.pk)
    return _page_en_erreur(request, facture, form_valider=form)


@require_POST
def refuser(request, pk):
    facture = _substituable(request, pk, "refuser")
    form = RefuserForm(request.POST)
    if form.is_valid():
        try:
            facture_refuser(
                facture=facture,
                par=request.user,
                motif=form.cleaned_data["motif"],
                commentaire=form.cleaned_data["commentaire"],
            )
        except ApplicationError as erreur:
            erreur_dans_le_formulaire(form, erreur)
        else:
            messages.success(
                request,
                f"La facture n° {facture.numero} est refusée à la place du valideur délégué. Le fournisseur voit le "
                "motif du refus.",
            )
            return redirect("facturation:recues_consulter", pk=facture.pk)
    return _page_en_erreur(request, facture, form_refuser=form)
