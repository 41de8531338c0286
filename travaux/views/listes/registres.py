"""« Liste fiscale » and « Archives » of « Factures de travaux » (features row 66): the pieces that reached the payer,
by period, with their totals and export; the closed dossiers de facturation. Reads: travaux.selectors.registres."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from exports import ecriture
from exports.colonnes import Colonne, libelles, valeurs_lignes
from facturation import exports
from facturation.enums import arrondir
from travaux.enums import RoleTravaux
from travaux.forms.listes import ArchivesForm, ListeFiscaleForm
from travaux.selectors import registres
from travaux.views.listes.pages import COLONNES_EXPORT, PAR_PAGE, avec_liens, url_dossier


def _liste_fiscale(request):
    form = ListeFiscaleForm(request.GET or None, user=request.user)
    c = form.criteres()
    qs = registres.liste_fiscale(
        request.user,
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
    form, qs = _liste_fiscale(request)
    page = avec_liens(Paginator(qs, PAR_PAGE).get_page(request.GET.get("page")))
    contexte = {"form": form, "page_obj": page, "totaux": registres.totaux(qs), "parametres": _parametres(request)}
    return render(request, "travaux/listes/liste_fiscale.html", contexte)


COLONNES_FISCALES = [
    *COLONNES_EXPORT[:13],
    Colonne("Montant de TVA", "facture__total_tva", "facture__devise", valeur=arrondir),
    *COLONNES_EXPORT[13:],
    Colonne("Net à payer", "facture__net_a_payer", "facture__devise", valeur=arrondir),
]


@require_GET
def liste_fiscale_export(request):
    format_ = request.GET.get("format") or "csv"
    if format_ not in exports.FORMATS:
        raise Http404("Format d'export inconnu.")
    _form, qs = _liste_fiscale(request)
    nom = f"factures-travaux-liste-fiscale-{timezone.localdate():%Y%m%d}"
    # read as value rows like the other works lists; a period of one structure's pieces, so its workbook is built here
    lignes = valeurs_lignes(qs, COLONNES_FISCALES)
    if format_ == "xlsx":
        return ecriture.xlsx_reponse(libelles(COLONNES_FISCALES), lignes, nom, "Liste fiscale")
    return ecriture.csv_reponse(libelles(COLONNES_FISCALES), lignes, nom)


def _archives(request):
    form = ArchivesForm(request.GET or None)
    c = form.criteres()
    qs = registres.dossiers_archives(
        request.user,
        numero=c.get("numero", ""),
        marche=c.get("marche", ""),
        du=c.get("du"),
        au=c.get("au"),
        tri=c["tri"],
    )
    return form, form.filtrer(qs)


def _acteur(structure):
    return f"{structure.raison_sociale} ({structure.identifiant})" if structure else ""


COLONNES_ARCHIVES = [
    ("Numéro de dossier de facturation", lambda d: d.numero),
    ("Numéro de marché", lambda d: d.numero_marche),
    ("Fournisseur", lambda d: _acteur(d.fournisseur)),
    ("Maîtrise d'œuvre", lambda d: _acteur(d.moe)),
    ("Maîtrise d'ouvrage", lambda d: _acteur(d.moa)),
    ("Code service", lambda d: d.service_moa.code if d.service_moa else ""),
    ("Nombre de pièces", lambda d: d.nombre_pieces),
    ("Clos le", lambda d: d.clos_le),
]


@require_GET
def archives(request):
    form, qs = _archives(request)
    page = Paginator(qs, PAR_PAGE).get_page(request.GET.get("page"))
    for dossier in page.object_list:
        dossier.url = url_dossier(dossier.pk)
    contexte = {"form": form, "page_obj": page, "parametres": _parametres(request)}
    return render(request, "travaux/listes/archives.html", contexte)


@require_GET
def archives_export(request):
    format_ = request.GET.get("format") or "csv"
    if format_ not in exports.FORMATS:
        raise Http404("Format d'export inconnu.")
    _form, qs = _archives(request)
    nom = f"dossiers-de-facturation-clos-{timezone.localdate():%Y%m%d}"
    return exports.export_reponse(format_, COLONNES_ARCHIVES, qs.iterator(chunk_size=500), nom, "Archives")
