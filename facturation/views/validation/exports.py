"""Exports of a « Factures à valider » search, with the same criteria as the page (CSV and Excel)."""

import csv
import io

from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from facturation.selectors import validation as selecteurs
from facturation.views.validation.pages import recherche_criteres

COLONNES = [
    "Numéro de facture",
    "Cadre de facturation",
    "Fournisseur",
    "SIRET du fournisseur",
    "Destinataire",
    "Date de facture",
    "Date de dépôt",
    "Montant HT",
    "Montant TTC",
    "Devise",
    "Statut",
    "Statut depuis le",
    # tables/messages.csv export_colonne_valideur_1 / _2
    "Valideur 1 (date de validation)",
    "Valideur 2 (date de validation)",
]
_DEBUT_FORMULE = ("=", "+", "-", "@", "\t", "\r")


def _date(valeur, format_="%d/%m/%Y"):
    return timezone.localtime(valeur).strftime(format_) if valeur else ""


def _valideur(structure, date):
    if structure is None:
        return ""
    return f"{structure.raison_sociale} ({_date(date)})" if date else structure.raison_sociale


def _lignes(qs):
    for f in qs.iterator(chunk_size=500):
        yield [
            f.numero,
            f.cadre,
            f.fournisseur.raison_sociale,
            f.fournisseur.identifiant,
            f.destinataire.raison_sociale,
            f.date_facture.strftime("%d/%m/%Y"),
            _date(f.deposee_le),
            f"{f.total_ht:.2f}",
            f"{f.total_ttc:.2f}",
            f.devise,
            f.get_statut_display(),
            _date(f.statut_depuis, "%d/%m/%Y %H:%M"),
            _valideur(f.valideur_1, f.date_validation_1),
            _valideur(f.valideur_2, f.date_validation_2),
        ]


def _sans_formule(valeur):
    """A supplier named "=HYPERLINK(…)" must stay text in a spreadsheet (CSV injection)."""
    return "'" + valeur if isinstance(valeur, str) and valeur.startswith(_DEBUT_FORMULE) else valeur


def _nom_fichier(extension):
    return f"factures-a-valider-{timezone.localdate():%Y%m%d}.{extension}"


def _qs(request):
    _form, criteres = recherche_criteres(request)
    return selecteurs.rechercher(request.user, **criteres)


@require_GET
def export_csv(request):
    tampon = io.StringIO()
    ecrivain = csv.writer(tampon, delimiter=";")  # what a French spreadsheet opens without an import dialog
    ecrivain.writerow(COLONNES)
    ecrivain.writerows([_sans_formule(v) for v in ligne] for ligne in _lignes(_qs(request)))
    reponse = HttpResponse("\ufeff" + tampon.getvalue(), content_type="text/csv; charset=utf-8")
    reponse["Content-Disposition"] = f'attachment; filename="{_nom_fichier("csv")}"'
    return reponse


@require_GET
def export_xlsx(request):
    classeur = Workbook(write_only=True)
    feuille = classeur.create_sheet("Factures à valider")
    feuille.append(COLONNES)
    for ligne in _lignes(_qs(request)):
        cellules = []
        for valeur in ligne:
            cellule = WriteOnlyCell(feuille, value=valeur)
            cellule.data_type = "s"  # openpyxl would store "=…" as a formula
            cellules.append(cellule)
        feuille.append(cellules)
    tampon = io.BytesIO()
    classeur.save(tampon)
    reponse = HttpResponse(
        tampon.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    reponse["Content-Disposition"] = f'attachment; filename="{_nom_fichier("xlsx")}"'
    return reponse
