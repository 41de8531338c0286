"""Downloading an invoice's PDF or XML (chorus-pro-features.md row 61, API `telecharger/groupe`).

A download by the recipient marks the invoice « téléchargée » (the flag ERPs use to pull only new invoices,
`factureTelechargeeParDestinataire`) and leaves a TELECHARGEMENT_FACTURE row in its history; the supplier reading
its own invoice changes nothing.
"""

import posixpath
import re
from dataclasses import dataclass

from django.db import transaction

from chorus.exceptions import ApplicationError
from facturation.enums import ActionUtilisateur
from facturation.models import Facture, FactureAction
from organisation import habilitations
from organisation.enums import Application, Niveau

FORMATS = {
    "pdf": ("fichier_pdf", "application/pdf"),
    "xml": ("fichier_xml", "application/xml"),
}


@dataclass(frozen=True)
class FichierFacture:
    nom: str
    type_mime: str
    contenu: bytes


def _par_le_destinataire(par, facture):
    return habilitations.peut(
        par, Application.FACTURES_RECUES, Niveau.CONSULTATION, facture.destinataire, facture.service_destinataire
    )


def facture_telecharger(*, facture, par, format):
    """The file of `facture` in `format` ("pdf" or "xml"); the caller has checked that `par` may see it."""
    if format not in FORMATS:
        raise ApplicationError("Format de téléchargement inconnu : choisissez PDF ou XML.", champ="format")
    champ, type_mime = FORMATS[format]
    fichier = getattr(facture, champ)
    if not fichier:
        raise ApplicationError(
            f"Cette facture n'a pas de fichier {format.upper()} : elle a été déposée sous un autre format.",
            champ="format",
        )
    # Read first: a file that cannot be read must not leave the invoice marked as downloaded.
    with fichier.open("rb") as flux:
        contenu = flux.read()
    if _par_le_destinataire(par, facture):
        with transaction.atomic():
            Facture.objects.filter(pk=facture.pk).update(telechargee=True)
            FactureAction.objects.create(
                facture=facture, code=ActionUtilisateur.TELECHARGEMENT_FACTURE, par=par, detail=format.upper()
            )
        facture.telechargee = True
    return FichierFacture(nom=_nom(facture, fichier, format), type_mime=type_mime, contenu=contenu)


def _nom(facture, fichier, format):
    """The invoice's number names the file (the stored name may carry the storage's suffix)."""
    base = re.sub(r"[^\w.-]+", "-", facture.numero).strip("-.")
    return f"{base}.{format}" if base else posixpath.basename(fichier.name)
