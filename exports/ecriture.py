"""The files of an export, from lists of cell values (exports.colonnes): a CSV streamed in blocks of rows, and an
XLSX written row by row to a file (openpyxl's write-only mode: the rows go to disk, memory stays flat).

The CSV is what a French spreadsheet opens without an import dialog (UTF-8 with BOM, ";", decimal comma); the XLSX
keeps numbers as numbers and dates as dates. Text starting like a formula is never run as one (CSV injection).
Formatting goes through a table keyed by the value's type: at 100 000 rows × 20 columns, the chain of isinstance()
of a generic formatter is most of the time spent."""

import csv
import datetime
import io
from decimal import Decimal

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

TYPE_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# a cell starting with one of these is run as a formula by spreadsheets
_DEBUT_FORMULE = frozenset("=+-@\t\r")
LIGNES_PAR_BLOC = 500


def _texte(valeur):
    return "'" + valeur if valeur[:1] in _DEBUT_FORMULE else valeur


def _decimal(valeur):
    return format(valeur, "f").replace(".", ",")


def _date(valeur):
    return f"{valeur.day:02d}/{valeur.month:02d}/{valeur.year:04d}"


def formateur_csv():
    """texte(value) -> the CSV cell. Built once per export: the current time zone is read once, not per cell (Django's
    localtime() looks it up in a context-local each time), and dates are formatted without strftime()."""
    zone = timezone.get_current_timezone()

    def date_heure(valeur):
        if valeur.tzinfo is not None:
            valeur = valeur.astimezone(zone)
        return f"{valeur.day:02d}/{valeur.month:02d}/{valeur.year:04d} {valeur.hour:02d}:{valeur.minute:02d}"

    formats = {
        type(None): lambda v: "",
        str: _texte,
        bool: lambda v: "Oui" if v else "Non",
        int: str,
        float: lambda v: str(v).replace(".", ","),
        Decimal: _decimal,
        datetime.datetime: date_heure,
        datetime.date: _date,
    }
    lire = formats.get

    def texte(valeur):
        formater = lire(type(valeur))
        return formater(valeur) if formater else _texte(str(valeur))

    return texte


def entete_csv(libelles):
    """The BOM and the header line: what a French spreadsheet needs to read UTF-8 and the columns' names."""
    tampon = io.StringIO()
    csv.writer(tampon, delimiter=";").writerow(libelles)
    return "\ufeff" + tampon.getvalue()


def blocs_csv(libelles, lignes, lignes_par_bloc=LIGNES_PAR_BLOC):
    """The CSV as text blocks of a few hundred rows each: one write to the client per block, not per row."""
    tampon = io.StringIO()
    ecrivain = csv.writer(tampon, delimiter=";")
    yield entete_csv(libelles)
    texte = formateur_csv()
    lot = []
    for ligne in lignes:
        lot.append([texte(valeur) for valeur in ligne])
        if len(lot) >= lignes_par_bloc:
            yield _bloc(tampon, ecrivain, lot)
            lot = []
    if lot:
        yield _bloc(tampon, ecrivain, lot)


def _bloc(tampon, ecrivain, lot):
    tampon.seek(0)
    tampon.truncate()
    ecrivain.writerows(lot)
    return tampon.getvalue()


def csv_reponse(libelles, lignes, nom_fichier):
    """Streamed: rows are written while `lignes` (an iterator) is read, so memory stays flat."""
    return csv_blocs_reponse(blocs_csv(libelles, lignes), nom_fichier)


def csv_blocs_reponse(blocs, nom_fichier):
    reponse = StreamingHttpResponse(blocs, content_type="text/csv; charset=utf-8")
    reponse["Content-Disposition"] = f'attachment; filename="{nom_fichier}.csv"'
    return reponse


def _cellule_xlsx(feuille, valeur):
    if isinstance(valeur, datetime.datetime):
        if valeur.tzinfo is not None:
            valeur = timezone.localtime(valeur).replace(tzinfo=None)
        cellule = WriteOnlyCell(feuille, value=valeur)
        cellule.number_format = "DD/MM/YYYY HH:MM"
        return cellule
    if isinstance(valeur, datetime.date):
        cellule = WriteOnlyCell(feuille, value=valeur)
        cellule.number_format = "DD/MM/YYYY"
        return cellule
    if isinstance(valeur, bool):
        valeur = "Oui" if valeur else "Non"
    elif isinstance(valeur, Decimal):
        return float(valeur)
    if valeur is None or isinstance(valeur, int | float):
        return valeur
    cellule = WriteOnlyCell(feuille, value=ILLEGAL_CHARACTERS_RE.sub("", str(valeur)))
    cellule.data_type = "s"  # openpyxl would store "=…" as a formula
    return cellule


def xlsx_ecrire(destination, libelles, lignes, titre_feuille="Export", avancement=None, pas=5000):
    """Write the workbook to `destination` (a path or a binary file). `avancement(n)` is called every `pas` rows
    and at the end with the number of rows written. Returns that number."""
    classeur = Workbook(write_only=True)
    feuille = classeur.create_sheet(titre_feuille[:31])  # Excel's limit for a sheet name
    feuille.append(libelles)
    n = 0
    for ligne in lignes:
        feuille.append([_cellule_xlsx(feuille, valeur) for valeur in ligne])
        n += 1
        if avancement is not None and n % pas == 0:
            avancement(n)
    classeur.save(destination)
    if avancement is not None:
        avancement(n)
    return n


def xlsx_reponse(libelles, lignes, nom_fichier, titre_feuille="Export"):
    """A small list's workbook built in the request (a structure's technical accounts); the large lists go through
    « Mes exports »."""
    tampon = io.BytesIO()
    xlsx_ecrire(tampon, libelles, lignes, titre_feuille)
    reponse = HttpResponse(tampon.getvalue(), content_type=TYPE_XLSX)
    reponse["Content-Disposition"] = f'attachment; filename="{nom_fichier}.xlsx"'
    return reponse
