"""« Saisir une facture »: a new invoice or a saved draft; « Enregistrer » keeps a draft, « Valider et envoyer »
deposits it. The server computes the totals (« Recalculer ») and checks everything; the script is a comfort."""

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from chorus.exceptions import ApplicationError, erreur_dans_le_formulaire
from facturation.calcul import calculer
from facturation.enums import decimales
from facturation.forms.saisie import (
    FactureSaisieForm,
    PiecesJointesForm,
    devise_soumise,
    initial_depuis_facture,
    initial_lignes,
    lignes_formset,
    lignes_saisies,
    nombre_saisi,
)
from facturation.services.brouillon import PDF_DU_FOURNISSEUR, brouillon_envoyer, facture_enregistrer_brouillon
from facturation.templatetags.paiement import montant_devise
from facturation.views.saisie.commun import brouillon_ou_404

# GET parameters that prefill a new entry (the upload page and the « Déposer » links use them)
PREREMPLISSAGE = (
    "cadre",
    "fournisseur",
    "destinataire",
    "code_service",
    "numero",
    "date_facture",
    "devise",
    "type_facture",
    "numero_facture_origine",
    "numero_engagement",
    "numero_marche",
    "siret_valideur",
    "code_service_valideur",
)
ENREGISTRER, VALIDER, RECALCULER, AJOUTER_LIGNE = "enregistrer", "valider", "recalculer", "ajouter_ligne"
# deposit errors named after the model are shown on the form's field
CHAMP_DU_FORMULAIRE = {"valideur_1": "siret_valideur", "service_destinataire": "code_service"}


@require_http_methods(["GET", "POST"])
def nouvelle(request):
    return _saisie(request, None)


@require_http_methods(["GET", "POST"])
def brouillon(request, pk):
    return _saisie(request, brouillon_ou_404(request.user, pk))


def _initial(request, facture):
    if facture is not None:
        return initial_depuis_facture(facture), initial_lignes(facture)
    initial = {nom: request.GET[nom].strip() for nom in PREREMPLISSAGE if request.GET.get(nom)}
    return initial, []


def _saisie(request, facture):
    action = request.POST.get("action", ENREGISTRER) if request.method == "POST" else ""
    pour_depot = action == VALIDER
    if request.method != "POST":
        initial, lignes_initiales = _initial(request, facture)
        form = FactureSaisieForm(initial=initial, user=request.user)
        lignes = lignes_formset(devise=devise_soumise(None, initial), initial=lignes_initiales)
        pj = PiecesJointesForm(user=request.user)
        totaux = (
            _totaux(facture.lignes.all(), facture.devise, facture.remise_globale, facture.montant_paye_avance)
            if facture
            else None
        )
        return _afficher(request, facture, form, lignes, pj, totaux)

    devise = devise_soumise(request.POST)
    if action in (AJOUTER_LIGNE, RECALCULER):
        # nothing is checked but the lines' amounts: the header is shown as typed, without errors
        form = FactureSaisieForm(initial=request.POST.dict(), user=request.user)
        pj = PiecesJointesForm(user=request.user)
        if action == AJOUTER_LIGNE:
            lignes = lignes_formset(devise=devise, initial=lignes_saisies(request.POST))
            return _afficher(request, facture, form, lignes, pj, None)
        lignes = lignes_formset(request.POST, devise=devise)
        totaux = _totaux(lignes.lignes(), devise, _remise_saisie(form)) if lignes.is_valid() else None
        return _afficher(request, facture, form, lignes, pj, totaux)

    form = FactureSaisieForm(request.POST, user=request.user, pour_depot=pour_depot)
    lignes = lignes_formset(request.POST, devise=devise, pour_depot=pour_depot)
    pj = PiecesJointesForm(request.POST, request.FILES, user=request.user)
    valides = [f.is_valid() for f in (form, lignes, pj)]
    totaux = _totaux(lignes.lignes(), devise, _remise_saisie(form)) if valides[1] else None
    if not all(valides):
        return _afficher(request, facture, form, lignes, pj, totaux)
    try:
        facture = facture_enregistrer_brouillon(
            par=request.user,
            donnees=form.donnees_facture(),
            lignes=lignes.lignes(),
            facture=facture,
            pieces_jointes=pj.cleaned_data["pieces_jointes"],
            pieces_structure=pj.cleaned_data["pieces_structure"],
        )
    except ApplicationError as erreur:
        _erreur_sur_champ(form, pj, erreur)
        return _afficher(request, facture, form, lignes, pj, totaux)
    if action != VALIDER:
        messages.success(request, f"Le brouillon{_numero(facture)} est enregistré.")
        return redirect("facturation:saisie_brouillon", facture.pk)
    try:
        facture = brouillon_envoyer(facture=facture, par=request.user)
    except ApplicationError as erreur:  # DepotRefuse too: every reason at once, each on its field
        for une in getattr(erreur, "erreurs", None) or [erreur]:
            _erreur_sur_champ(form, pj, une)
        # the draft (and its attachments) is kept: the next submit goes to its page
        return _afficher(request, facture, form, lignes, pj, totaux, brouillon_garde=True)
    return redirect("facturation:saisie_recapitulatif", facture.pk)


def _numero(facture):
    return f" n° {facture.numero}" if facture.numero else ""


def _erreur_sur_champ(form, pj, erreur):
    # an attachment's error goes on the attachments' form, under its label; any other on the invoice's form
    champ = CHAMP_DU_FORMULAIRE.get(erreur.champ, erreur.champ)
    if champ not in form.fields and champ in pj.fields:
        erreur_dans_le_formulaire(pj, erreur, libelle=True)
    else:
        erreur_dans_le_formulaire(form, erreur, champs=CHAMP_DU_FORMULAIRE)


def _remise_saisie(form):
    brute = form.data.get("remise_globale") if form.is_bound else form.initial.get("remise_globale")
    try:
        return form.fields["remise_globale"].clean(brute) or Decimal(0)
    except forms.ValidationError:
        return Decimal(0)


def _totaux(lignes, devise, remise, paye_avance=0):
    lignes = list(lignes)
    if not lignes:
        return None
    calcul = calculer(lignes, devise, remise, paye_avance)
    ventilation = [(nombre_saisi(v.taux), v.base_ht, v.montant_tva) for v in calcul.ventilation]
    # the global discount's share of each rate, as EN 16931 allowances (BG-20): what reduced each base above
    remises = [(nombre_saisi(v.taux), v.remise_ht) for v in calcul.ventilation if v.remise_ht]
    return {
        "devise": devise,
        "decimales": decimales(devise),
        "calcul": calcul,
        "ventilation": ventilation,
        "remises": remises,
    }


def _resume_erreurs(form, lignes, pj):
    """[(anchor, message)]: every error of the page, each message naming its field."""
    erreurs = [("", message) for message in form.non_field_errors()]
    for f in (form, pj):
        for champ in f:
            erreurs += [(champ.id_for_label, message) for message in champ.errors]
    erreurs += [("lignes", message) for message in lignes.non_form_errors()]
    for ligne in lignes.forms:
        erreurs += [("", message) for message in ligne.non_field_errors()]
        for champ in ligne:
            erreurs += [(champ.id_for_label, message) for message in champ.errors]
    return erreurs


def _montants_des_lignes(lignes, totaux):
    """Each filled line's amount as computed by the server, beside its fields."""
    if totaux is None:
        return
    calculees = iter(totaux["calcul"].lignes)
    for ligne in lignes.forms:
        remplie = (ligne.has_changed() and getattr(ligne, "cleaned_data", None)) if ligne.is_bound else ligne.initial
        if remplie:
            calculee = next(calculees, None)
            if calculee is not None:
                ligne.montant_affiche = montant_devise(calculee.montant_ht, totaux["devise"])


def _afficher(request, facture, form, lignes, pj, totaux, *, brouillon_garde=False):
    _montants_des_lignes(lignes, totaux)
    erreurs = _resume_erreurs(form, lignes, pj) if lignes.is_bound else []
    action = (
        reverse("facturation:saisie_brouillon", args=[facture.pk])
        if facture is not None
        else reverse("facturation:saisie_nouvelle")
    )
    contexte = {
        "facture": facture,
        "form": form,
        "lignes": lignes,
        "pj": pj,
        "totaux": totaux,
        "erreurs": erreurs,
        "action": action,
        "brouillon_garde": brouillon_garde,
        "pieces_jointes": list(facture.pieces_jointes.all()) if facture is not None else [],
        "pdf_du_fournisseur": facture is not None
        and facture.mode_depot in PDF_DU_FOURNISSEUR
        and bool(facture.fichier_pdf),
        "url_services": reverse("facturation:saisie_services"),
        "url_destinataires": reverse("facturation:saisie_destinataires"),
    }
    return render(request, "facturation/saisie/formulaire.html", contexte, status=200)
