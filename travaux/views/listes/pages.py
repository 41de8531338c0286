"""« Factures de travaux » lists (issue #5, Screens): Synthèse with « Traiter le rejet », Rechercher with its export,
Tableau de bord (stock). Every read goes through travaux.selectors.listes, hence the works visibility policy."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET, require_POST

from chorus.exceptions import ApplicationError
from chorus.pagination import page_demandee
from exports.colonnes import Colonne, cellule_valideur, choix
from exports.genres import Genre
from exports.views import exporter
from facturation.enums import StatutFacture, arrondir
from travaux.enums import RoleTravaux
from travaux.forms.listes import RechercheForm, SyntheseForm
from travaux.rejets import rejets_traiter
from travaux.selectors import listes
from travaux.services.refus import PieceNonAccessible

PAR_PAGE = 20


def url_dossier(pk):
    # the dossier page belongs to another view package: without it, the number is shown without a link
    try:
        return reverse("travaux:dossier_consulter", args=[pk])
    except NoReverseMatch:
        return ""


def avec_liens(page):
    for piece in page.object_list:
        piece.url_dossier = url_dossier(piece.dossier_id)
        piece.libelle_role = RoleTravaux(piece.role).label if piece.role else ""
        piece.type_piece = listes.type_de_piece(piece.facture.cadre)
    return page


def _page(request, qs):
    """The page asked for: the selectors' query reads its ids and roles, then its rows are loaded with what the table
    shows (listes.pour_la_page)."""
    page = page_demandee(request, qs, PAR_PAGE)
    page.object_list = listes.pour_la_page(page.object_list)
    return page


@require_GET
def synthese(request):
    form = SyntheseForm(request.GET or None, user=request.user)
    filtres = form.filtres()
    qs = form.filtrer(
        listes.synthese(
            request.user,
            structure=filtres.get("structure"),
            masquer_rejetees=filtres.get("masquer_rejetees", False),
            masquer_telechargees=filtres.get("masquer_telechargees", False),
            en_pages=True,
        )
    )
    page = avec_liens(_page(request, qs))
    parametres = request.GET.copy()
    parametres.pop("page", None)
    contexte = {
        "form": form,
        "page_obj": page,
        "parametres": parametres.urlencode(),
        # a rejection is closed by the depositor's side (travaux.rejets)
        "selection": any(p.role == p.cote_deposant for p in page.object_list),
    }
    return render(request, "travaux/listes/synthese.html", contexte)


@require_POST
def traiter_rejet(request):
    try:
        ids = {int(v) for v in request.POST.getlist("pieces")}
    except ValueError:
        raise Http404("Pièce introuvable.") from None
    if not ids:
        messages.error(request, "Sélectionnez au moins une facture.")
        return redirect("travaux:listes_synthese")
    try:
        resultat = rejets_traiter(par=request.user, pieces=ids)
    except PieceNonAccessible:
        raise Http404("Pièce introuvable.") from None
    except ApplicationError as erreur:
        messages.error(request, erreur.message)
        return redirect("travaux:listes_synthese")
    if resultat.traitees:
        n = len(resultat.traitees)
        messages.success(
            request,
            f"{n} rejet{'s' if n > 1 else ''} traité{'s' if n > 1 else ''} : "
            f"{'ces factures' if n > 1 else 'la facture'} n'apparai{'ssent' if n > 1 else 't'} plus dans la synthèse.",
        )
    if resultat.non_eligibles:
        messages.warning(request, resultat.message_non_eligibles)
    return redirect("travaux:listes_synthese")


def _recherche(request):
    form = RechercheForm(request.GET or None, user=request.user)
    criteres, tri = form.criteres()
    return form, form.filtrer(listes.rechercher(request.user, criteres, tri, en_pages=True)), tri


COLONNES_TRIABLES = [
    ("dossier", "Dossier de facturation"),
    ("numero", "Pièce"),
    ("cadre", "Cadre"),
    ("depot", "Déposée le"),
    ("montant", "Montant TTC"),
    ("statut", "État courant"),
]


@require_GET
def rechercher(request):
    form, qs, tri = _recherche(request)
    page = avec_liens(_page(request, qs))
    parametres = request.GET.copy()
    parametres.pop("page", None)
    sans_tri = parametres.copy()
    sans_tri.pop("tri", None)
    colonnes = []
    for cle, libelle in COLONNES_TRIABLES:
        courant = tri.lstrip("-") == cle
        suivant = cle if courant and tri.startswith("-") else f"-{cle}" if courant else cle
        sens = ("descending" if tri.startswith("-") else "ascending") if courant else ""
        colonnes.append({"libelle": libelle, "tri": suivant, "sens": sens})
    contexte = {
        "form": form,
        "page_obj": page,
        "parametres": parametres.urlencode(),
        "sans_tri": sans_tri.urlencode(),
        "colonnes": colonnes,
    }
    return render(request, "travaux/listes/recherche.html", contexte)


def _ou_vide(valeur):
    return valeur or ""


COLONNES_EXPORT = [
    Colonne("Numéro de dossier de facturation", "dossier__numero"),
    Colonne("Numéro de pièce", "facture__numero"),
    Colonne("Cadre de facturation", "facture__cadre"),
    Colonne("Type de pièce", "facture__cadre", valeur=listes.type_de_piece),
    Colonne("Déposant", "role_deposant", valeur=choix(RoleTravaux)),
    Colonne("Votre rôle", "role", valeur=lambda role: RoleTravaux(role).label if role else ""),
    Colonne("Fournisseur", "dossier__fournisseur__raison_sociale", valeur=_ou_vide),
    Colonne("Maîtrise d'œuvre", "dossier__moe__raison_sociale", valeur=_ou_vide),
    Colonne("Maîtrise d'ouvrage", "dossier__moa__raison_sociale", valeur=_ou_vide),
    Colonne("SIRET de la maîtrise d'ouvrage", "dossier__moa__identifiant"),
    Colonne("Code service", "dossier__service_moa__code", valeur=_ou_vide),
    Colonne("Date de dépôt", "facture__deposee_le"),
    Colonne("Montant HT", "facture__total_ht", "facture__devise", valeur=arrondir),
    Colonne("Montant TTC", "facture__total_ttc", "facture__devise", valeur=arrondir),
    Colonne("Devise", "facture__devise"),
    Colonne("État courant", "facture__statut", valeur=choix(StatutFacture)),
    Colonne("Depuis le", "facture__statut_depuis"),
    # tables/messages.csv export_colonne_valideur_1 / _2
    Colonne(
        "Valideur 1 (date de validation)",
        "facture__valideur_1__raison_sociale",
        "facture__date_validation_1",
        valeur=cellule_valideur,
    ),
    Colonne(
        "Valideur 2 (date de validation)",
        "facture__valideur_2__raison_sociale",
        "facture__date_validation_2",
        valeur=cellule_valideur,
    ),
    Colonne("Rejet traité le", "facture__rejet_traite_le"),
]


def requete_recherche(user, parametres, structure=None):
    """The pieces of the search `parametres` (the page's GET), as the page lists them."""
    form = RechercheForm(parametres or None, user=user)
    criteres, tri = form.criteres()
    return form.filtrer(listes.rechercher(user, criteres, tri))


def requete_synthese(user, parametres, structure=None):
    form = SyntheseForm(parametres or None, user=user)
    filtres = form.filtres()
    return form.filtrer(
        listes.synthese(
            user,
            structure=filtres.get("structure"),
            masquer_rejetees=filtres.get("masquer_rejetees", False),
            masquer_telechargees=filtres.get("masquer_telechargees", False),
        )
    )


GENRE = Genre(
    cle="factures_travaux",
    libelle="Factures de travaux",
    prefixe_fichier="factures-travaux",
    colonnes=COLONNES_EXPORT,
    requete=requete_recherche,
    page="travaux:listes_rechercher",
)
GENRE_SYNTHESE = Genre(
    cle="factures_travaux_synthese",
    libelle="Factures de travaux – Synthèse",
    prefixe_fichier="factures-travaux-synthese",
    colonnes=COLONNES_EXPORT,
    requete=requete_synthese,
    page="travaux:listes_synthese",
)


@require_GET
def export(request):
    return exporter(request, GENRE.cle, request.GET.get("format") or "csv")


@require_GET
def synthese_export(request):
    return exporter(request, GENRE_SYNTHESE.cle, request.GET.get("format") or "csv")


@require_GET
def tableau_de_bord(request):
    roles = [
        {"role": role.value, "libelle": role.label, "statuts": statuts, "total": total}
        for role, statuts, total in listes.tableau_de_bord(request.user)
    ]
    return render(request, "travaux/listes/tableau_de_bord.html", {"roles": roles})
