"""« Traiter » a received invoice (row 55): one POST, the page again with its error summary when refused."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from chorus.exceptions import ApplicationError
from facturation.enums import StatutFacture
from facturation.selectors import recues as selecteurs
from facturation.services.traitement import facture_traiter
from facturation.views.recues.forms import TraiterForm, motif_avec_commentaire
from facturation.views.recues.pages import contexte_facture
from facturation.workflow import transitions_vers


def _motif(facture, donnees):
    motif, commentaire = donnees.get("motif", ""), donnees.get("commentaire", "")
    if not motif and any(t.motif_requis for t in transitions_vers(facture, donnees["statut_cible"])):
        # a comment does not stand in for the motif the workflow requires: facture_traiter says it is missing
        return ""
    return motif_avec_commentaire(motif, commentaire)


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
            facture_traiter(
                facture=facture,
                par=request.user,
                statut_cible=donnees["statut_cible"],
                motif=_motif(facture, donnees),
                numero_mandat=donnees.get("numero_mandat", ""),
            )
        except ApplicationError as erreur:
            form.add_error(erreur.champ if erreur.champ in form.fields else None, erreur.message)
        else:
            messages.success(
                request,
                f"La facture n° {facture.numero} est passée au statut « {StatutFacture(facture.statut).label} ».",
            )
            return redirect("facturation:recues_consulter", pk=facture.pk)
    contexte = contexte_facture(request, facture, form_traiter=form)
    return render(request, "facturation/recues/consulter.html", contexte, status=400)
