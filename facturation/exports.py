"""Exports of a list as CSV (streamed) or XLSX, from columns given as (label, function(row)) pairs.

    COLONNES = [("Numéro de facture", lambda f: f.numero), ("Montant TTC", lambda f: f.total_ttc)]
    return export_reponse("csv", COLONNES, queryset.iterator(chunk_size=500), "factures-20260131")

A function returns text, a number (Decimal, int, float), a date or a datetime, or None for an empty cell. The CSV is
what a French spreadsheet opens without an import dialog (UTF-8 with BOM, ";", decimal comma); the XLSX keeps
numbers as numbers and dates as dates. Text starting like a formula is never run as one (CSV injection).
"""

import csv
import datetime
import io
from decimal import Decimal

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMATS = ("csv", "xlsx")
TYPE_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# a cell starting with one of these is run as a formula by spreadsheets
_DEBUT_FORMULE = ("=", "+", "-", "@", "\t", "\r")


def _local(valeur):
    if isinstance(valeur, datetime.datetime) and timezone.is_aware(valeur):
        return timezone.localtime(valeur).replace(tzinfo=None)
    return valeur


def texte_csv(valeur):
    valeur = _local(valeur)
    if valeur is None:
        return ""
    if isinstance(valeur, bool):
        return "Oui" if valeur else "Non"
    if isinstance(valeur, Decimal | float | int):
        return format(valeur, "f" if isinstance(valeur, Decimal) else "").replace(".", ",")
    if isinstance(valeur, datetime.datetime):
        return valeur.strftime("%d/%m/%Y %H:%M")
    if isinstance(valeur, datetime.date):
        return valeur.strftime("%d/%m/%Y")
    valeur = str(valeur)
    return "'" + valeur if valeur.startswith(_DEBUT_FORMULE) else valeur


class _Echo:
    def write(self, valeur):
        return valeur


def _lignes_csv(colonnes, lignes):
    ecrivain = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff"
    yield ecrivain.writerow([libelle for libelle, _fonction in colonnes])
    for ligne in lignes:
        yield ecrivain.writerow([texte_csv(fonction(ligne)) for _libelle, fonction in colonnes])


def csv_reponse(colonnes, lignes, nom_fichier):
    """Streamed: rows are written while `lignes` (an iterator) is read, so memory stays flat."""
    reponse = StreamingHttpResponse(_lignes_csv(colonnes, lignes), content_type="text/csv; charset=utf-8")
    reponse["Content-Disposition"] = f'attachment; filename="{nom_fichier}.csv"'
    return reponse


def _cellule_xlsx(feuille, valeur):
    valeur = _local(valeur)
    if isinstance(valeur, bool):
        valeur = "Oui" if valeur else "Non"
    if isinstance(valeur, Decimal):
        valeur = float(valeur)
    if valeur is None or isinstance(valeur, int | float):
        return WriteOnlyCell(feuille, value=valeur)
    if isinstance(valeur, datetime.date):
        cellule = WriteOnlyCell(feuille, value=valeur)
        cellule.number_format = "DD/MM/YYYY HH:MM" if isinstance(valeur, datetime.datetime) else "DD/MM/YYYY"
        return cellule
    cellule = WriteOnlyCell(feuille, value=ILLEGAL_CHARACTERS_RE.sub("", str(valeur)))
    cellule.data_type = "s"  # openpyxl would store "=…" as a formula
    return cellule


def xlsx_contenu(colonnes, lignes, titre_feuille="Export"):
    classeur = Workbook(write_only=True)
    feuille = classeur.create_sheet(titre_feuille[:31])  # Excel's limit for a sheet name
    feuille.append([libelle for libelle, _fonction in colonnes])
    for ligne in lignes:
        feuille.append([_cellule_xlsx(feuille, fonction(ligne)) for _libelle, fonction in colonnes])
    tampon = io.BytesIO()
    classeur.save(tampon)
    return tampon.getvalue()


def xlsx_reponse(colonnes, lignes, nom_fichier, titre_feuille="Export"):
    reponse = HttpResponse(xlsx_contenu(colonnes, lignes, titre_feuille), content_type=TYPE_XLSX)
    reponse["Content-Disposition"] = f'attachment; filename="{nom_fichier}.xlsx"'
    return reponse


def valideur_avec_date(structure, date):
    """« Raison sociale (dd/mm/yyyy) »: the « Valideur 1/2 (date de validation) » cells Chorus Pro added in 07/2024."""
    if structure is None:
        return ""
    if date is None:
        return structure.raison_sociale
    return f"{structure.raison_sociale} ({timezone.localtime(date):%d/%m/%Y})"


def export_reponse(format_, colonnes, lignes, nom_fichier, titre_feuille="Export"):
    """`format_` is "csv" or "xlsx" (the caller answers 404 to anything else); `nom_fichier` without extension."""
    if format_ == "csv":
        return csv_reponse(colonnes, lignes, nom_fichier)
    if format_ == "xlsx":
        return xlsx_reponse(colonnes, lignes, nom_fichier, titre_feuille)
    raise ValueError(f"Format d'export inconnu : {format_}")
