"""Export of a « Factures émises » search (row 45), with the page's criteria: CSV streamed, or Excel.

facturation/exports.py did not exist when this was written; the layout follows the validators' export.
"""

import csv
import io

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from facturation.selectors import emises as selecteurs
from facturation.views.emises.pages import recherche_criteres

COLONNES = [
    "Numéro de facture",
    "Date de facture",
    "Date de dépôt",
    "Destinataire",
    "SIRET du destinataire",
    "Code service",
    "Numéro d'engagement",
    "Cadre de facturation",
    "Type de facture",
    "Mode de dépôt",
    "Montant HT",
    "Montant TTC",
    "Devise",
    "Statut",
    "Statut depuis le",
    "Motif",
    "Commentaire",
    "Rejet traité le",
]
_DEBUT_FORMULE = ("=", "+", "-", "@", "\t", "\r")


def _date(valeur, format_="%d/%m/%Y"):
    if not valeur:
        return ""
    if hasattr(valeur, "hour"):
        valeur = timezone.localtime(valeur)
    return valeur.strftime(format_)


def _lignes(qs):
    for f in qs.iterator(chunk_size=500):
        yield [
            f.numero,
            _date(f.date_facture),
            _date(f.deposee_le),
            f.destinataire.raison_sociale,
            f.destinataire.identifiant,
            f.service_destinataire.code if f.service_destinataire else "",
            f.numero_engagement,
            f.cadre,
            f.get_type_facture_display(),
            f.get_mode_depot_display(),
            f"{f.total_ht:.2f}",
            f"{f.total_ttc:.2f}",
            f.devise,
            f.get_statut_display(),
            _date(f.statut_depuis, "%d/%m/%Y %H:%M"),
            f.motif_statut or "",
            f.commentaire_statut or "",
            _date(f.rejet_traite_le, "%d/%m/%Y %H:%M"),
        ]


def _sans_formule(valeur):
    """A recipient named "=HYPERLINK(…)" stays text in a spreadsheet (CSV injection)."""
    return "'" + valeur if isinstance(valeur, str) and valeur.startswith(_DEBUT_FORMULE) else valeur


def _nom_fichier(extension):
    return f"factures-emises-{timezone.localdate():%Y%m%d}.{extension}"


class _Tampon:
    def write(self, valeur):
        return valeur


def _csv(qs):
    ecrivain = csv.writer(_Tampon(), delimiter=";")  # what a French spreadsheet opens without an import dialog
    yield "\ufeff" + ecrivain.writerow(COLONNES)
    for ligne in _lignes(qs):
        yield ecrivain.writerow([_sans_formule(v) for v in ligne])


def _xlsx(qs):
    classeur = Workbook(write_only=True)
    feuille = classeur.create_sheet("Factures émises")
    feuille.append(COLONNES)
    for ligne in _lignes(qs):
        cellules = []
        for valeur in ligne:
            cellule = WriteOnlyCell(feuille, value=valeur)
            cellule.data_type = "s"  # openpyxl would store "=…" as a formula
            cellules.append(cellule)
        feuille.append(cellules)
    tampon = io.BytesIO()
    classeur.save(tampon)
    return tampon.getvalue()


@require_GET
def export(request):
    _form, criteres, tri = recherche_criteres(request)
    qs = selecteurs.rechercher(request.user, criteres, tri)
    if request.GET.get("format") == "xlsx":
        reponse = HttpResponse(
            _xlsx(qs), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        extension = "xlsx"
    else:
        reponse = StreamingHttpResponse(_csv(qs), content_type="text/csv; charset=utf-8")
        extension = "csv"
    reponse["Content-Disposition"] = f'attachment; filename="{_nom_fichier(extension)}"'
    return reponse
