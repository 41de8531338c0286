"""The supplier's actions: recycle, complete, acknowledge rejections, « Traiter le rejet », correct the validator."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chorus.exceptions import ApplicationError, erreur_dans_le_formulaire
from facturation.enums import StatutFacture
from facturation.selectors import emises as selecteurs
from facturation.services import suivi
from facturation.views.emises import popup
from facturation.views.emises.forms import CompleterForm, CorrigerValideurForm, RecyclerForm
from facturation.workflow import ACTION_CORRIGER_VALIDEUR, CORRECTION_VALIDEUR_WORKFLOW, FACTURE_WORKFLOW
from organisation.authentification import suivant_sur
from organisation.enums import Niveau


def _non_disponible(request, facture, action):
    libelle = StatutFacture(facture.statut).label
    messages.error(request, f"La facture {facture.numero} a le statut « {libelle} » : {action} n'est pas possible.")
    return redirect("facturation:emises_consulter", pk=facture.pk)


@require_http_methods(["GET", "POST"])
def recycler(request, pk):
    facture = selecteurs.facture_ou_404(request.user, pk, Niveau.MODIFICATION)
    # A_RECYCLER, and a works piece whose MOE or MOA asked the supplier to recycle it (traitements_recus_travaux.csv)
    if facture.statut not in FACTURE_WORKFLOW.sources(suivi.ACTION_RECYCLER):
        return _non_disponible(request, facture, "le recyclage")
    if request.method == "POST":
        form = RecyclerForm(request.POST)
        if form.is_valid():
            try:
                suivi.facture_recycler(
                    facture=facture,
                    par=request.user,
                    identifiant_destinataire=form.cleaned_data["destinataire"],
                    code_service=form.cleaned_data["code_service"],
                    numero_engagement=form.cleaned_data["numero_engagement"],
                )
            except ApplicationError as erreur:
                erreur_dans_le_formulaire(form, erreur)
            else:
                messages.success(
                    request,
                    f"La facture {facture.numero} est renvoyée avec le même numéro : elle est mise à disposition "
                    f"de {facture.destinataire.raison_sociale}.",
                )
                return redirect("facturation:emises_consulter", pk=facture.pk)
    else:
        form = RecyclerForm(
            initial={
                "destinataire": facture.destinataire.identifiant,
                "code_service": facture.service_destinataire.code if facture.service_destinataire else "",
                "numero_engagement": facture.numero_engagement,
            }
        )
    statut = 400 if form.errors else 200
    return render(request, "facturation/emises/recycler.html", {"facture": facture, "form": form}, status=statut)


@require_http_methods(["GET", "POST"])
def completer(request, pk):
    facture = selecteurs.facture_ou_404(request.user, pk, Niveau.MODIFICATION)
    if facture.statut != StatutFacture.SUSPENDUE:
        return _non_disponible(request, facture, "le complément")
    form = CompleterForm(request.POST, request.FILES) if request.method == "POST" else CompleterForm()
    if request.method == "POST" and form.is_valid():
        try:
            suivi.facture_completer(
                facture=facture,
                par=request.user,
                commentaire=form.cleaned_data["commentaire"],
                pieces_jointes=form.cleaned_data["pieces_jointes"],
            )
        except ApplicationError as erreur:
            erreur_dans_le_formulaire(form, erreur)
        else:
            messages.success(
                request,
                f"La facture {facture.numero} est complétée : {facture.destinataire.raison_sociale} la traite.",
            )
            return redirect("facturation:emises_consulter", pk=facture.pk)
    statut = 400 if form.errors else 200
    return render(request, "facturation/emises/completer.html", {"facture": facture, "form": form}, status=statut)


@require_http_methods(["GET", "POST"])
def corriger_valideur(request, pk):
    facture = selecteurs.facture_ou_404(request.user, pk, Niveau.MODIFICATION)
    if not CORRECTION_VALIDEUR_WORKFLOW.peut(facture, ACTION_CORRIGER_VALIDEUR, request.user):
        # not an A9/A12 invoice still awaiting its first validator (a delegate is the recipient's choice)
        return _non_disponible(request, facture, "la correction du valideur")
    if request.method == "POST":
        form = CorrigerValideurForm(request.POST)
        if form.is_valid():
            try:
                suivi.facture_corriger_valideur(
                    facture=facture,
                    par=request.user,
                    identifiant_valideur=form.cleaned_data["identifiant_valideur"],
                    code_service_valideur=form.cleaned_data["code_service_valideur"],
                )
            except ApplicationError as erreur:
                erreur_dans_le_formulaire(form, erreur)
            else:
                messages.success(
                    request,
                    f"Le valideur de la facture {facture.numero} est corrigé : elle attend la validation de "
                    f"{facture.valideur_1.raison_sociale}, qui a 15 jours pour répondre.",
                )
                return redirect("facturation:emises_consulter", pk=facture.pk)
    else:
        form = CorrigerValideurForm(
            initial={
                "identifiant_valideur": facture.valideur_1.identifiant,
                "code_service_valideur": facture.service_valideur_1.code if facture.service_valideur_1 else "",
            }
        )
    statut = 400 if form.errors else 200
    contexte = {"facture": facture, "form": form}
    return render(request, "facturation/emises/corriger_valideur.html", contexte, status=statut)


@require_GET
def piece_jointe(request, pk, piece_pk):
    facture = selecteurs.facture_ou_404(request.user, pk)
    piece = get_object_or_404(facture.pieces_jointes.all(), pk=piece_pk)
    return FileResponse(piece.fichier.open("rb"), as_attachment=True, filename=piece.nom)


def _selection(request):
    """The posted invoice ids; one the user may not see makes the whole request a 404."""
    try:
        ids = {int(v) for v in request.POST.getlist("factures")}
    except ValueError:
        raise Http404("Facture introuvable.") from None
    if ids and selecteurs.factures_emises(request.user).filter(pk__in=ids).count() != len(ids):
        raise Http404("Facture introuvable.")
    return ids


def _suivant(request, defaut):
    return suivant_sur(request, request.POST.get("suivant", "")) or defaut


@require_POST
def acquitter(request):
    ids = _selection(request)
    tout = request.POST.get("action") == "tout"
    suivant = _suivant(request, "facturation:emises_synthese")
    if not tout and not ids:
        messages.error(request, "Sélectionnez au moins une facture à acquitter.")
        popup.montrer_a_nouveau(request)
        return redirect(suivant)
    try:
        nombre = suivi.rejets_acquitter(par=request.user, factures=None if tout else ids)
    except ApplicationError as erreur:
        messages.error(request, erreur.message)
        return redirect(suivant)
    messages.success(
        request,
        f"{nombre} rejet{'s' if nombre > 1 else ''} acquitté{'s' if nombre > 1 else ''}. Les factures restent dans "
        "la synthèse jusqu'au traitement du rejet.",
    )
    if selecteurs.rejets_a_acquitter(request.user).exists():
        popup.montrer_a_nouveau(request)
    return redirect(suivant)


@require_POST
def traiter_rejet(request):
    ids = _selection(request)
    if not ids:
        messages.error(request, "Sélectionnez au moins une facture.")
        return redirect("facturation:emises_synthese")
    try:
        resultat = suivi.rejet_traiter(par=request.user, factures=ids)
    except ApplicationError as erreur:
        messages.error(request, erreur.message)
        return redirect("facturation:emises_synthese")
    if resultat.traitees:
        n = len(resultat.traitees)
        messages.success(
            request,
            f"{n} rejet{'s' if n > 1 else ''} traité{'s' if n > 1 else ''} : "
            f"{'ces factures' if n > 1 else 'la facture'} n'apparai{'ssent' if n > 1 else 't'} plus dans la synthèse.",
        )
    if resultat.non_eligibles:
        messages.warning(request, resultat.message_non_eligibles)
    return redirect("facturation:emises_synthese")
