"""« Factures de travaux » lists (issue #5, Screens): Synthèse with « Traiter le rejet », Rechercher with its export,
Tableau de bord (stock). Every read goes through travaux.selectors.listes, hence the works visibility policy."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from chorus.exceptions import ApplicationError
from facturation import exports
from facturation.enums import arrondir
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
        )
    )
    page = avec_liens(Paginator(qs, PAR_PAGE).get_page(request.GET.get("page")))
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
    return form, form.filtrer(listes.rechercher(request.user, criteres, tri)), tri


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
    page = avec_liens(Paginator(qs, PAR_PAGE).get_page(request.GET.get("page")))
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


def _acteur(structure):
    return structure.raison_sociale if structure else ""


COLONNES_EXPORT = [
    ("Numéro de dossier de facturation", lambda p: p.dossier.numero),
    ("Numéro de pièce", lambda p: p.facture.numero),
    ("Cadre de facturation", lambda p: p.facture.cadre),
    ("Type de pièce", lambda p: listes.type_de_piece(p.facture.cadre)),
    ("Déposant", lambda p: p.get_role_deposant_display()),
    ("Votre rôle", lambda p: RoleTravaux(p.role).label if p.role else ""),
    ("Fournisseur", lambda p: _acteur(p.dossier.fournisseur)),
    ("Maîtrise d'œuvre", lambda p: _acteur(p.dossier.moe)),
    ("Maîtrise d'ouvrage", lambda p: _acteur(p.dossier.moa)),
    ("SIRET de la maîtrise d'ouvrage", lambda p: p.dossier.moa.identifiant),
    ("Code service", lambda p: p.dossier.service_moa.code if p.dossier.service_moa else ""),
    ("Date de dépôt", lambda p: p.facture.deposee_le),
    ("Montant HT", lambda p: arrondir(p.facture.total_ht, p.facture.devise)),
    ("Montant TTC", lambda p: arrondir(p.facture.total_ttc, p.facture.devise)),
    ("Devise", lambda p: p.facture.devise),
    ("État courant", lambda p: p.facture.get_statut_display()),
    ("Depuis le", lambda p: p.facture.statut_depuis),
    # tables/messages.csv export_colonne_valideur_1 / _2
    (
        "Valideur 1 (date de validation)",
        lambda p: exports.valideur_avec_date(p.facture.valideur_1, p.facture.date_validation_1),
    ),
    (
        "Valideur 2 (date de validation)",
        lambda p: exports.valideur_avec_date(p.facture.valideur_2, p.facture.date_validation_2),
    ),
    ("Rejet traité le", lambda p: p.facture.rejet_traite_le),
]


@require_GET
def export(request):
    format_ = request.GET.get("format") or "csv"
    if format_ not in exports.FORMATS:
        raise Http404("Format d'export inconnu.")
    _form, qs, _tri = _recherche(request)
    nom = f"factures-travaux-{timezone.localdate():%Y%m%d}"
    return exports.export_reponse(format_, COLONNES_EXPORT, qs.iterator(chunk_size=500), nom, "Factures de travaux")


@require_GET
def synthese_export(request):
    format_ = request.GET.get("format") or "csv"
    if format_ not in exports.FORMATS:
        raise Http404("Format d'export inconnu.")
    form = SyntheseForm(request.GET or None, user=request.user)
    filtres = form.filtres()
    qs = form.filtrer(
        listes.synthese(
            request.user,
            structure=filtres.get("structure"),
            masquer_rejetees=filtres.get("masquer_rejetees", False),
            masquer_telechargees=filtres.get("masquer_telechargees", False),
        )
    )
    nom = f"factures-travaux-synthese-{timezone.localdate():%Y%m%d}"
    return exports.export_reponse(format_, COLONNES_EXPORT, qs.iterator(chunk_size=500), nom, "Synthèse")


@require_GET
def tableau_de_bord(request):
    roles = [
        {"role": role.value, "libelle": role.label, "statuts": statuts, "total": total}
        for role, statuts, total in listes.tableau_de_bord(request.user)
    ]
    return render(request, "travaux/listes/tableau_de_bord.html", {"roles": roles})
