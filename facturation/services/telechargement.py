"""Downloading an invoice's PDF or XML, one at a time or several in a ZIP (chorus-pro-features.md rows 49 and 61,
API `telecharger/groupe`).

A download by the recipient marks the invoice « téléchargée » (the flag ERPs use to pull only new invoices,
`factureTelechargeeParDestinataire`) and leaves a TELECHARGEMENT_FACTURE row in its history; the supplier reading
its own invoice changes nothing.
"""

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.db import transaction

from chorus import limites
from chorus.exceptions import ApplicationError
from facturation.enums import ActionUtilisateur
from facturation.models import Facture, FactureAction
from organisation import habilitations
from organisation.enums import Application, Niveau

# files and attachments together
TAILLE_GROUPE_MAX = limites.octets("telecharger_groupe_taille_max")

FORMATS = {
    "pdf": ("fichier_pdf", "application/pdf"),
    "xml": ("fichier_xml", "application/xml"),
}


@dataclass(frozen=True)
class FichierFacture:
    nom: str
    type_mime: str
    contenu: bytes


def _ouvertes_par_le_destinataire(par, factures):
    """The ids among `factures` that `par` opens as their recipient (one query whatever their number)."""
    visible = habilitations.filtre_visible(
        par,
        Application.FACTURES_RECUES,
        Niveau.CONSULTATION,
        chemin_structure="destinataire",
        chemin_service="service_destinataire",
    )
    return set(Facture.objects.filter(visible, pk__in=[f.pk for f in factures]).values_list("pk", flat=True))


def _marquer_telechargees(factures, par, format):
    ids = _ouvertes_par_le_destinataire(par, factures)
    if not ids:
        return
    with transaction.atomic():
        Facture.objects.filter(pk__in=ids).update(telechargee=True)
        FactureAction.objects.bulk_create(
            FactureAction(facture=f, code=ActionUtilisateur.TELECHARGEMENT_FACTURE, par=par, detail=format.upper())
            for f in factures
            if f.pk in ids
        )
    for facture in factures:
        if facture.pk in ids:
            facture.telechargee = True


def _lire(facture, format):
    champ, type_mime = FORMATS[format]
    fichier = getattr(facture, champ)
    with fichier.open("rb") as flux:
        contenu = flux.read()
    return FichierFacture(nom=_nom(facture, fichier, format), type_mime=type_mime, contenu=contenu)


def facture_telecharger(*, facture, par, format):
    """The file of `facture` in `format` ("pdf" or "xml"); the caller has checked that `par` may see it."""
    if format not in FORMATS:
        raise ApplicationError("Format de téléchargement inconnu : choisissez PDF ou XML.", champ="format")
    if not getattr(facture, FORMATS[format][0]):
        raise ApplicationError(
            f"Cette facture n'a pas de fichier {format.upper()} : elle a été déposée sous un autre format.",
            champ="format",
        )
    # Read first: a file that cannot be read must not leave the invoice marked as downloaded.
    fichier = _lire(facture, format)
    _marquer_telechargees([facture], par, format)
    return fichier


def _nom(facture, fichier, format):
    """The invoice's number names the file (the stored name may carry the storage's suffix)."""
    base = re.sub(r"[^\w.-]+", "-", facture.numero).strip("-.")
    return f"{base}.{format}" if base else posixpath.basename(fichier.name)


class GroupeTropGros(ApplicationError):
    def __init__(self, taille):
        mo = f"{taille / 1024 / 1024:.1f}".replace(".", ",")
        super().__init__(
            f"Les fichiers demandés pèsent {mo} Mo : {TAILLE_GROUPE_MAX // (1024 * 1024)} Mo au plus par "
            "téléchargement. Sélectionnez moins de factures à la fois.",
            champ="factures",
        )
        self.taille = taille


def factures_telecharger_groupe(*, factures, par, format, avec_pieces_jointes=False):
    """One ZIP of the files of `factures` (the caller has checked that `par` may see each one), in their order.

    Everything is checked before anything is read or marked: a missing file or a group over 120 Mo refuses the whole
    download, so no invoice is marked « téléchargée » by a download that did not happen."""
    if format not in FORMATS:
        raise ApplicationError("Format de téléchargement inconnu : choisissez PDF ou XML.", champ="format")
    if not factures:
        raise ApplicationError("Sélectionnez au moins une facture à télécharger.", champ="factures")
    champ = FORMATS[format][0]
    sans_fichier = [f.numero for f in factures if not getattr(f, champ)]
    if sans_fichier:
        raise ApplicationError(
            f"Pas de fichier {format.upper()} pour {', '.join(sans_fichier)} : "
            f"{'ces factures ont' if len(sans_fichier) > 1 else 'cette facture a'} été déposée"
            f"{'s' if len(sans_fichier) > 1 else ''} sous un autre format.",
            champ="format",
        )
    taille = 0
    for facture in factures:
        taille += getattr(facture, champ).size
        if avec_pieces_jointes:
            taille += sum(p.taille for p in facture.pieces_jointes.all())
    if taille > TAILLE_GROUPE_MAX:
        raise GroupeTropGros(taille)
    tampon, noms = io.BytesIO(), set()
    with zipfile.ZipFile(tampon, "w", zipfile.ZIP_DEFLATED) as archive:
        for facture in factures:
            lu = _lire(facture, format)
            # two invoices of two suppliers may share a number
            nom = lu.nom if lu.nom not in noms else f"{facture.pk}-{lu.nom}"
            noms.add(nom)
            archive.writestr(nom, lu.contenu)
            if avec_pieces_jointes:
                for piece in facture.pieces_jointes.all():
                    with piece.fichier.open("rb") as flux:
                        archive.writestr(f"{PurePath(nom).stem}-pieces-jointes/{piece.nom}", flux.read())
    _marquer_telechargees(factures, par, format)
    return tampon.getvalue()
