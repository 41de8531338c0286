"""« Suivi des flux » (chorus-pro-features.md row 48): the structure's flux with their state and counts, the deposit
of a flux file, and each flux's integration report. Reads: raccordement.selectors.flux; writes: services.flux."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from chorus.exceptions import ApplicationError, erreur_dans_le_formulaire
from exports.colonnes import Colonne, choix
from exports.genres import Genre
from exports.views import exporter
from facturation import exports, rapport_depot
from organisation.enums import Application, Niveau
from organisation.habilitations import structures_visibles
from raccordement.enums import ETATS_FINAUX, CanalFlux, EtatFlux, SyntaxeFlux
from raccordement.forms_flux import DeposerFluxForm, SuiviFluxForm
from raccordement.selectors import flux as selecteurs
from raccordement.services.flux import TAILLE_ARCHIVE_MAX, flux_recevoir

PAR_PAGE = 20


def _liste(request):
    return _liste_de(request.user, request.GET)


def _liste_de(user, parametres):
    form = SuiviFluxForm(parametres or None, structures=selecteurs.structures_du_suivi(user))
    c = form.criteres()
    qs = selecteurs.flux_liste(
        user,
        structure=c.get("structure"),
        etat=c.get("etat", ""),
        du=c.get("du"),
        au=c.get("au"),
        tri=c["tri"],
    )
    return form, form.filtrer(qs)


def _parametres(request):
    parametres = request.GET.copy()
    parametres.pop("page", None)
    parametres.pop("format", None)
    return parametres.urlencode()


@require_GET
def liste(request):
    form, qs = _liste(request)
    page = Paginator(qs, PAR_PAGE).get_page(request.GET.get("page"))
    peut_deposer = structures_visibles(request.user, Application.FACTURES_EMISES, Niveau.MODIFICATION).exists()
    contexte = {"form": form, "page_obj": page, "parametres": _parametres(request), "peut_deposer": peut_deposer}
    return render(request, "raccordement/flux/liste.html", contexte)


def _libelle(choix, valeur):
    return choix(valeur).label if valeur in choix.values else valeur


def _deposant(login_compte, prenom, nom, canal):
    if login_compte:
        return f"Compte technique {login_compte}"
    if prenom is not None:
        return f"{prenom} {nom}".strip()
    return _libelle(CanalFlux, canal)


def _structure(raison_sociale, identifiant):
    return f"{raison_sociale} ({identifiant})"


COLONNES_EXPORT = [
    Colonne("Numéro de flux", "numero"),
    Colonne("Date de dépôt", "recu_le"),
    Colonne("Structure", "structure__raison_sociale", "structure__identifiant", valeur=_structure),
    Colonne("Canal", "canal", valeur=choix(CanalFlux)),
    Colonne("Syntaxe", "syntaxe"),
    Colonne("Fichier", "nom_fichier"),
    Colonne("État", "etat"),
    Colonne("Libellé de l'état", "etat", valeur=choix(EtatFlux)),
    Colonne("Factures", "nb_factures"),
    Colonne("Factures intégrées", "nb_integrees"),
    Colonne("Factures rejetées", "nb_rejetees"),
    Colonne(
        "Déposé par", "compte_technique__login", "depose_par__prenom", "depose_par__nom", "canal", valeur=_deposant
    ),
]


def requete(user, parametres, structure=None):
    """The flux of the search `parametres` (the page's GET), as the page lists them."""
    return _liste_de(user, parametres)[1]


GENRE = Genre(
    cle="suivi_flux",
    libelle="Suivi des flux",
    prefixe_fichier="suivi-des-flux",
    colonnes=COLONNES_EXPORT,
    requete=requete,
    page="raccordement:flux_liste",
)


@require_GET
def export(request):
    return exporter(request, GENRE.cle, request.GET.get("format") or "csv")


@require_http_methods(["GET", "POST"])
def deposer(request):
    structures = structures_visibles(request.user, Application.FACTURES_EMISES, Niveau.MODIFICATION).order_by(
        "raison_sociale", "pk"
    )
    form = DeposerFluxForm(request.POST or None, request.FILES or None, structures=structures)
    if request.method == "POST" and form.is_valid():
        fichier = form.cleaned_data["fichier"]
        try:
            # beyond the largest accepted size the refusal only needs to know it is too big: not read whole
            contenu = fichier.read(TAILLE_ARCHIVE_MAX + 1)
            with transaction.atomic():
                flux = flux_recevoir(
                    structure=form.cleaned_data["structure"],
                    contenu=contenu,
                    nom_fichier=fichier.name,
                    canal=CanalFlux.PORTAIL,
                    par=request.user,
                )
        except ApplicationError as exc:
            erreur_dans_le_formulaire(form, exc, sinon="fichier")
        else:
            messages.success(
                request, f"Le flux {flux.numero} est reçu : son intégration commence, suivez son état ci-dessous."
            )
            return redirect("raccordement:flux_consulter", pk=flux.pk)
    return render(request, "raccordement/flux/deposer.html", {"form": form, "vide": not structures.exists()})


def _url_facture(ligne):
    return reverse("facturation:emises_consulter", args=[ligne.facture_id]) if ligne.facture_id else ""


@require_GET
def consulter(request, pk):
    flux = selecteurs.flux_consulter(request.user, pk)
    for ligne in flux.lignes:
        ligne.url_facture = _url_facture(ligne)
    contexte = {
        "flux": flux,
        "final": flux.etat in ETATS_FINAUX,
        "libelle_etat": _libelle(EtatFlux, flux.etat),
        "libelle_syntaxe": _libelle(SyntaxeFlux, flux.syntaxe) if flux.syntaxe else "",
        "libelle_canal": _libelle(CanalFlux, flux.canal),
        "nb_erreurs": len(flux.erreurs_techniques) + sum(len(ligne.erreurs.all()) for ligne in flux.lignes),
    }
    if flux.etat not in ETATS_FINAUX:
        contexte["progression"] = _progression(flux.nb_factures, selecteurs.nombre_de_factures(flux))
    return render(request, "raccordement/flux/consulter.html", contexte)


@require_GET
def rapport_csv(request, pk):
    """The flux's errors as a CSV: listeErreurDP's rows (consulterCRDetaille) after the technical errors; 404 for a
    flux of a structure the user may not follow (the same scoped read as the detail page)."""
    flux = selecteurs.flux_consulter(request.user, pk)
    colonnes = rapport_depot.COLONNES_CSV
    return exports.csv_reponse(colonnes, iter(selecteurs.rapport_lignes(flux)), f"rapport-flux-{flux.numero}")


@require_GET
def etat(request, pk):
    """The state, for the detail page's polling script (the page works without it: « Actualiser »)."""
    flux = selecteurs.flux_etat(request.user, pk)
    traitees, nombre = selecteurs.progression(flux)
    return JsonResponse(
        {
            "numero": flux.numero,
            "etat": flux.etat,
            "libelle": _libelle(EtatFlux, flux.etat),
            "final": flux.etat in ETATS_FINAUX,
            "traitees": traitees,
            "nombre": nombre,
            "progression": _progression(traitees, nombre),
        }
    )


def _progression(traitees, nombre):
    if nombre is None:
        return f"{traitees} facture{'s' if traitees > 1 else ''} traitée{'s' if traitees > 1 else ''}"
    return f"{traitees} / {nombre} facture{'s' if nombre > 1 else ''} traitée{'s' if traitees > 1 else ''}"
