"""« Liste fiscale » and « Archives » of « Factures de travaux » (features row 66): the pieces that reached the payer,
by period, with their totals and export; the closed dossiers de facturation. Reads: travaux.selectors.registres."""

from django.core.paginator import Paginator
from django.db.models import Case, TextField, Value, When
from django.db.models.functions import Concat
from django.db.models.lookups import IsNull
from django.shortcuts import render
from django.views.decorators.http import require_GET

from exports.colonnes import Colonne, ou_vide, sql_jumeau
from exports.genres import Genre
from exports.views import exporter
from facturation.enums import arrondir
from travaux.enums import RoleTravaux
from travaux.forms.listes import ArchivesForm, ListeFiscaleForm
from travaux.selectors import registres
from travaux.views.listes.pages import COLONNES_EXPORT, PAR_PAGE, avec_liens, url_dossier


def _liste_fiscale(user, parametres):
    form = ListeFiscaleForm(parametres or None, user=user)
    c = form.criteres()
    qs = registres.liste_fiscale(
        user,
        role=RoleTravaux(c["role"]) if c.get("role") else None,
        structure=c.get("structure"),
        du=c.get("depot_du"),
        au=c.get("depot_au"),
    )
    return form, form.filtrer(qs)


def _parametres(request):
    parametres = request.GET.copy()
    parametres.pop("page", None)
    return parametres.urlencode()


@require_GET
def liste_fiscale(request):
    form, qs = _liste_fiscale(request.user, request.GET)
    page = avec_liens(Paginator(qs, PAR_PAGE).get_page(request.GET.get("page")))
    contexte = {"form": form, "page_obj": page, "totaux": registres.totaux(qs), "parametres": _parametres(request)}
    return render(request, "travaux/listes/liste_fiscale.html", contexte)


COLONNES_FISCALES = [
    *COLONNES_EXPORT[:13],
    Colonne("Montant de TVA", "facture__total_tva", "facture__devise", valeur=arrondir),
    *COLONNES_EXPORT[13:],
    Colonne("Net à payer", "facture__net_a_payer", "facture__devise", valeur=arrondir),
]


def requete_liste_fiscale(user, parametres, structure=None):
    return _liste_fiscale(user, parametres)[1]


GENRE_LISTE_FISCALE = Genre(
    cle="travaux_liste_fiscale",
    libelle="Factures de travaux – Liste fiscale",
    prefixe_fichier="factures-travaux-liste-fiscale",
    colonnes=COLONNES_FISCALES,
    requete=requete_liste_fiscale,
    page="travaux:listes_liste_fiscale",
)


@require_GET
def liste_fiscale_export(request):
    return exporter(request, GENRE_LISTE_FISCALE.cle, request.GET.get("format") or "csv")


def _archives(user, parametres):
    form = ArchivesForm(parametres or None)
    c = form.criteres()
    qs = registres.dossiers_archives(
        user,
        numero=c.get("numero", ""),
        marche=c.get("marche", ""),
        du=c.get("du"),
        au=c.get("au"),
        tri=c["tri"],
    )
    return form, form.filtrer(qs)


def _acteur_sql(structure, raison_sociale, identifiant):
    return Case(
        When(IsNull(structure, True), then=Value("")),
        default=Concat(raison_sociale, Value(" ("), identifiant, Value(")"), output_field=TextField()),
        output_field=TextField(),
    )


@sql_jumeau(_acteur_sql)
def _acteur(structure, raison_sociale, identifiant):
    return f"{raison_sociale} ({identifiant})" if structure is not None else ""


def _colonne_acteur(libelle, role):
    return Colonne(libelle, role, f"{role}__raison_sociale", f"{role}__identifiant", valeur=_acteur)


COLONNES_ARCHIVES = [
    Colonne("Numéro de dossier de facturation", "numero"),
    Colonne("Numéro de marché", "numero_marche"),
    _colonne_acteur("Fournisseur", "fournisseur"),
    _colonne_acteur("Maîtrise d'œuvre", "moe"),
    _colonne_acteur("Maîtrise d'ouvrage", "moa"),
    Colonne("Code service", "service_moa__code", valeur=ou_vide),
    Colonne("Nombre de pièces", "nombre_pieces"),
    Colonne("Clos le", "clos_le"),
]


def requete_archives(user, parametres, structure=None):
    return _archives(user, parametres)[1]


GENRE_ARCHIVES = Genre(
    cle="travaux_archives",
    libelle="Factures de travaux – Archives",
    prefixe_fichier="dossiers-de-facturation-clos",
    colonnes=COLONNES_ARCHIVES,
    requete=requete_archives,
    page="travaux:listes_archives",
)


@require_GET
def archives(request):
    form, qs = _archives(request.user, request.GET)
    page = Paginator(qs, PAR_PAGE).get_page(request.GET.get("page"))
    for dossier in page.object_list:
        dossier.url = url_dossier(dossier.pk)
    contexte = {"form": form, "page_obj": page, "parametres": _parametres(request)}
    return render(request, "travaux/listes/archives.html", contexte)


@require_GET
def archives_export(request):
    return exporter(request, GENRE_ARCHIVES.cle, request.GET.get("format") or "csv")
