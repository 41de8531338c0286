"""« Déposer » of « Factures de travaux »: « Enregistrer » keeps a draft, « Valider et envoyer » deposits the piece
(piece_deposer) and shows its recap. The script only filters the cadres and shows the blocks of the deposit type;
the server checks everything."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from chorus.chiffres import que_des_chiffres
from chorus.exceptions import ApplicationError, erreur_dans_le_formulaire
from facturation.models import Facture
from travaux.enums import CanalDepot, RoleTravaux, TypeDepot
from travaux.forms.depot import DepotTravauxForm, pieces_associables
from travaux.models import BrouillonTravaux
from travaux.regles import ROLES_COTE_FOURNISSEUR
from travaux.services.brouillon import brouillon_enregistrer, brouillon_supprimer
from travaux.services.depot import piece_deposer

ENREGISTRER, VALIDER = "enregistrer", "valider"

# the service names the invoice's and the dossier's fields; the page names its own
CHAMP_DU_FORMULAIRE = {
    "moa": "moa_siret",
    "moe": "moe_siret",
    "destinataire": "moa_siret",
    "service_destinataire": "service_moa",
    "lignes": "montant_ht",
    "montant_paye_avance": "net_a_payer",
    "valideur_1": "valideur_siret",
    "service_valideur_1": "service_valideur",
    "valideur_2": "valideur_2_siret",
}


@require_http_methods(["GET", "POST"])
def nouveau(request):
    return _depot(request, None)


@require_http_methods(["GET", "POST"])
def brouillon(request, pk):
    # a draft is its author's alone: anyone else's answers 404
    trouve = BrouillonTravaux.objects.filter(pk=pk, user=request.user).select_related("structure").first()
    if trouve is None:
        raise Http404("Brouillon introuvable.")
    return _depot(request, trouve)


def _depot(request, brouillon_):
    if request.method != "POST":
        initial = dict(brouillon_.donnees) if brouillon_ else {}
        if brouillon_ is None and que_des_chiffres(request.GET.get("piece_precedente", "")):
            initial.update(type_depot=TypeDepot.ASSOCIATION, piece_precedente=request.GET["piece_precedente"])
            precedente = pieces_associables(request.user).filter(pk=request.GET["piece_precedente"]).first()
            if precedente is not None:
                # the next piece carries the same references: the MOA's engagement, the contract
                initial.update(
                    numero_engagement=precedente.facture.numero_engagement,
                    numero_marche=precedente.facture.numero_marche or precedente.dossier.numero_marche,
                )
        form = DepotTravauxForm(initial=initial, user=request.user)
        return _afficher(request, form, brouillon_)

    action = request.POST.get("action", ENREGISTRER)
    pdf_enregistre = bool(brouillon_ and brouillon_.pdf)
    form = DepotTravauxForm(
        request.POST, request.FILES, user=request.user, pour_depot=action == VALIDER, pdf_enregistre=pdf_enregistre
    )
    if not form.is_valid():
        return _afficher(request, form, brouillon_)
    d = form.cleaned_data
    fichier = d.get("pdf")
    pdf, nom_pdf = (fichier.read(), fichier.name) if fichier else (None, "")

    if action != VALIDER:
        brouillon_ = brouillon_enregistrer(
            par=request.user,
            brouillon=brouillon_,
            structure=d.get("structure"),
            role=d.get("role"),
            cadre=d.get("cadre"),
            type_depot=d.get("type_depot"),
            donnees=request.POST.dict(),
            pdf=pdf,
            nom_pdf=nom_pdf,
        )
        messages.success(request, "Le brouillon est enregistré : vous pourrez le reprendre et l'envoyer.")
        return redirect("travaux:depot_brouillon", brouillon_.pk)

    if pdf is None and pdf_enregistre:
        with brouillon_.pdf.open("rb") as f:
            pdf = f.read()
        nom_pdf = brouillon_.pdf.name.rsplit("/", 1)[-1]
    try:
        piece = _deposer(request.user, form, pdf, nom_pdf)
    except ApplicationError as erreur:  # DepotRefuse too: every reason at once, each on its field
        _erreur_sur_champ(form, erreur)
        return _afficher(request, form, brouillon_)
    if brouillon_ is not None:
        brouillon_supprimer(par=request.user, brouillon=brouillon_)
    return redirect("travaux:depot_recapitulatif", piece.facture_id)


def _deposer(user, form, pdf, nom_pdf):
    d, acteurs = form.cleaned_data, form.acteurs
    role, structure = RoleTravaux(d["role"]), d["structure"]
    association = d["type_depot"] == TypeDepot.ASSOCIATION
    fournisseur = acteurs.get("fournisseur")
    if role in ROLES_COTE_FOURNISSEUR:
        fournisseur = structure
    moe, moa = acteurs.get("moe"), acteurs.get("moa")
    # the MOE or MOA deposits for the structure it acts for
    if not association and role == RoleTravaux.MOE and moe is None:
        moe = structure
    if not association and role == RoleTravaux.MOA and moa is None:
        moa = structure
    facture = Facture(
        numero=d["numero"],
        date_facture=d["date_facture"],
        numero_marche=d["numero_marche"],
        numero_engagement=d["numero_engagement"],
        fournisseur=fournisseur,
        montant_paye_avance=d["montant_ttc"] - d["net_a_payer"],
    )
    return piece_deposer(
        par=user,
        role=role,
        cadre=d["cadre"],
        type_depot=d["type_depot"],
        canal=CanalDepot.PORTAIL,
        facture=facture,
        lignes=form.lignes,
        moe=moe,
        service_moe=acteurs.get("service_moe"),
        moa=moa,
        service_moa=acteurs.get("service_moa"),
        valideur_1=acteurs.get("valideur_1"),
        service_valideur_1=acteurs.get("service_valideur_1"),
        valideur_2=acteurs.get("valideur_2"),
        service_valideur_2=acteurs.get("service_valideur_2"),
        piece_precedente=d.get("piece_precedente"),
        pdf=pdf,
        nom_pdf=nom_pdf,
    )


def _erreur_sur_champ(form, erreur):
    # the supplier is the user's structure when they deposit for it, else the SIRET they typed
    fournisseur = "structure" if form.cleaned_data.get("role") in ROLES_COTE_FOURNISSEUR else "fournisseur_siret"
    champs = {**CHAMP_DU_FORMULAIRE, "fournisseur": fournisseur}
    erreur_dans_le_formulaire(form, erreur, champs=champs, libelle=True)


def _resume_erreurs(form):
    """[(anchor, message)]: every error of the page, each message naming its field."""
    erreurs = [("", message) for message in form.non_field_errors()]
    for champ in form:
        ancre = f"{champ.auto_id}_0" if champ.name == "type_depot" else champ.auto_id
        erreurs += [(ancre, message) for message in champ.errors]
    return erreurs


def url_dossier(piece):
    if piece is None:
        return ""
    try:
        return reverse("travaux:dossier_consulter", args=[piece.dossier_id])
    except NoReverseMatch:
        return ""


def _piece_choisie(form):
    champ = form["piece_precedente"]
    valeur = champ.value()
    if not valeur or not que_des_chiffres(str(valeur)):
        return None
    # the choices' queryset is the user's: another's piece is simply not found
    return form.fields["piece_precedente"].queryset.filter(pk=valeur).first()


def _retour(request):
    precedente = request.META.get("HTTP_REFERER", "")
    sure = url_has_allowed_host_and_scheme(
        precedente, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    if precedente and sure and request.path not in precedente:
        return precedente
    return "/"


def _afficher(request, form, brouillon_):
    piece = _piece_choisie(form)
    form.marquer_requis()
    form.annoncer_exigences(piece)
    action = (
        reverse("travaux:depot_brouillon", args=[brouillon_.pk]) if brouillon_ else reverse("travaux:depot_nouveau")
    )
    contexte = {
        "form": form,
        "brouillon": brouillon_,
        "erreurs": _resume_erreurs(form) if form.is_bound else [],
        "action": action,
        "piece": piece,
        "url_dossier": url_dossier(piece),
        "url_retour": _retour(request),
    }
    return render(request, "travaux/depot/formulaire.html", contexte)
