"""« Comptes techniques » of a structure (chorus-pro-features.md row 91): the list with each account's state,
creation (the password shown once), « Renouveler le mot de passe » and « Désactiver », each confirmed first."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from chorus.exceptions import ApplicationError, erreur_dans_le_formulaire
from exports import ecriture
from exports.colonnes import Colonne, choix, libelles, valeurs_lignes
from raccordement.forms import CompteTechniqueForm, FiltreComptesForm
from raccordement.selectors import comptes as selecteurs
from raccordement.selectors.comptes import EtatCompte
from raccordement.services.comptes import (
    compte_technique_creer,
    compte_technique_desactiver,
    compte_technique_renouveler,
    date_heure,
)
from raccordement.views.comptes import secret_unique
from raccordement.views.comptes.commun import (
    PAR_PAGE,
    colonnes_triables,
    contexte,
    parametres_sans,
    structure_lue,
    structure_modifiable,
    url_liste,
)

SORTE = "compte"
COLONNES_TRIABLES = [
    ("login", "Identifiant"),
    ("creation", "Créé le"),
    ("expiration", "Expiration du mot de passe"),
    ("utilisation", "Dernière utilisation"),
]
TRIS = {cle for cle, _ in COLONNES_TRIABLES} | {f"-{cle}" for cle, _ in COLONNES_TRIABLES}
COLONNES_EXPORT = [
    Colonne("Identifiant", "login"),
    Colonne("Libellé", "libelle"),
    Colonne("État", "etat", valeur=choix(EtatCompte)),
    Colonne("Utilisable à partir du", "actif_le"),
    Colonne("Expiration du mot de passe", "mot_de_passe_expire_le"),
    Colonne("Dernière utilisation", "derniere_utilisation_le"),
    Colonne("Désactivé le", "desactive_le"),
    Colonne("Créé le", "cree_le"),
]


def _liste(request, structure):
    filtre = FiltreComptesForm(request.GET or None)
    etat = filtre.cleaned_data.get("etat", "") if filtre.is_valid() else ""
    tri = request.GET.get("tri", "-creation")
    tri = tri if tri in TRIS else "-creation"
    return filtre, filtre.filtrer(selecteurs.comptes_de(structure, etat=etat, tri=tri)), tri


@require_GET
def liste(request, structure_pk):
    structure, modifiable = structure_lue(request, structure_pk)
    filtre, qs, tri = _liste(request, structure)
    page = Paginator(qs, PAR_PAGE).get_page(request.GET.get("page"))
    for compte in page.object_list:
        compte.etat_libelle = EtatCompte(compte.etat).label
    secret = secret_unique.reprendre(request, SORTE)
    reponse = render(
        request,
        "raccordement/comptes/comptes_techniques.html",
        contexte(
            structure,
            modifiable,
            "comptes",
            filtre=filtre,
            page_obj=page,
            secret=secret,
            colonnes=colonnes_triables(COLONNES_TRIABLES, tri),
            parametres=parametres_sans(request, "page"),
            sans_tri=parametres_sans(request, "page", "tri"),
            maintenant=timezone.now(),
        ),
    )
    if secret:
        reponse["Cache-Control"] = "no-store"  # the password must not stay in any cache
    return secret_unique.effacer(request, reponse)


@require_GET
def export(request, structure_pk):
    structure, _modifiable = structure_lue(request, structure_pk)
    format_export = request.GET.get("format", "csv")
    if format_export not in ("csv", "xlsx"):
        raise Http404("Format d'export inconnu.")
    _filtre, qs, _tri = _liste(request, structure)
    nom = f"comptes-techniques-{structure.identifiant}-{timezone.localdate():%Y%m%d}"
    lignes = valeurs_lignes(qs, COLONNES_EXPORT)
    if format_export == "csv":
        return ecriture.csv_reponse(libelles(COLONNES_EXPORT), lignes, nom)
    # a structure's few technical accounts: built in the request, like before, from the same rows
    return ecriture.xlsx_reponse(libelles(COLONNES_EXPORT), lignes, nom)


def _montrer_mot_de_passe(request, structure, compte, mot_de_passe, action):
    reponse = redirect(url_liste("comptes_techniques", structure))
    return secret_unique.confier(
        request,
        reponse,
        sorte=SORTE,
        action=action,
        login=compte.login,
        mot_de_passe=mot_de_passe,
        actif_le=date_heure(compte.actif_le),
        en_attente=compte.actif_le > timezone.now(),
        expire_le=date_heure(compte.mot_de_passe_expire_le),
    )


@require_http_methods(["GET", "POST"])
def creer(request, structure_pk):
    structure = structure_modifiable(request, structure_pk)
    form = CompteTechniqueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            compte, mot_de_passe = compte_technique_creer(
                par=request.user, structure=structure, libelle=form.cleaned_data["libelle"]
            )
        except ApplicationError as erreur:
            erreur_dans_le_formulaire(form, erreur)
        else:
            return _montrer_mot_de_passe(request, structure, compte, mot_de_passe, "créé")
    return render(
        request,
        "raccordement/comptes/compte_creer.html",
        contexte(structure, True, "comptes", form=form),
        status=400 if form.errors else 200,
    )


def _confirmer(request, structure, compte, *, titre, explication, bouton, action):
    return render(
        request,
        "raccordement/comptes/confirmer.html",
        contexte(
            structure,
            True,
            "comptes",
            titre=titre,
            explication=explication,
            bouton=bouton,
            action=action,
            retour=url_liste("comptes_techniques", structure),
        ),
    )


@require_http_methods(["GET", "POST"])
def renouveler(request, structure_pk, pk):
    structure = structure_modifiable(request, structure_pk)
    compte = selecteurs.compte_ou_404(structure, pk)
    if request.method == "POST":
        try:
            compte, mot_de_passe = compte_technique_renouveler(par=request.user, compte=compte)
        except ApplicationError as erreur:
            messages.error(request, erreur.message)
            return redirect(url_liste("comptes_techniques", structure))
        return _montrer_mot_de_passe(request, structure, compte, mot_de_passe, "renouvelé")
    return _confirmer(
        request,
        structure,
        compte,
        titre=f"Renouveler le mot de passe du compte technique {compte.login}",
        explication="Un nouveau mot de passe est créé et affiché une seule fois. L'ancien cesse aussitôt de "
        "fonctionner : mettez à jour le logiciel qui utilise ce compte.",
        bouton="Renouveler le mot de passe",
        action=request.path,
    )


@require_http_methods(["GET", "POST"])
def desactiver(request, structure_pk, pk):
    structure = structure_modifiable(request, structure_pk)
    compte = selecteurs.compte_ou_404(structure, pk)
    if request.method == "POST":
        try:
            compte = compte_technique_desactiver(par=request.user, compte=compte)
        except ApplicationError as erreur:
            messages.error(request, erreur.message)
        else:
            messages.success(
                request,
                f"Le compte technique {compte.login} est désactivé : l'API le refuse désormais. La désactivation "
                "est définitive.",
            )
        return redirect(url_liste("comptes_techniques", structure))
    return _confirmer(
        request,
        structure,
        compte,
        titre=f"Désactiver le compte technique {compte.login}",
        explication="L'API refusera ce compte dès maintenant. Une désactivation est définitive : pour se raccorder "
        "de nouveau, il faudra créer un autre compte technique.",
        bouton="Désactiver le compte",
        action=request.path,
    )
