"""Reconnaissance de la syntaxe d'un fichier déposé, sans se fier à son nom ni à son type MIME."""

import io
import logging
from dataclasses import dataclass

from lxml import etree
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from facturation.formats._outils import nom_local
from facturation.formats.erreurs import FormatInvalide
from facturation.formats.xml_sur import TAILLE_MAX_DEFAUT, parser_xml

FACTURX_PDF = "factur-x-pdf"
CII = "cii"
UBL_FACTURE = "ubl-invoice"
UBL_AVOIR = "ubl-creditnote"
PDF = "pdf"

NS_CII = {
    "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",  # D16B et D22B partagent cet espace
    "urn:ferd:CrossIndustryDocument:invoice:1p0",  # ZUGFeRD 1.0
}
NS_UBL = {
    "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2": UBL_FACTURE,
    "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2": UBL_AVOIR,
}

# Par ordre de préférence : un PDF de transition ZUGFeRD 1 + Factur-X porte les deux, Factur-X fait foi.
PIECES_JOINTES_FACTURE = ("factur-x.xml", "xrechnung.xml", "zugferd-invoice.xml")

MESSAGE_INCONNU = (
    "Le fichier n'est ni une facture Factur-X, ni un fichier CII ou UBL : "
    "déposez un PDF Factur-X, un XML UN/CEFACT CII ou un XML UBL 2.1 (Invoice ou CreditNote)."
)


@dataclass(frozen=True)
class Detection:
    syntaxe: str
    # XML de la facture : le fichier lui-même, ou la pièce jointe du PDF Factur-X (non encore analysée).
    xml: bytes | None = None
    racine: etree._Element | None = None
    piece_jointe: str | None = None


def _est_pdf(contenu: bytes) -> bool:
    # La norme tolère des octets avant l'en-tête ; les lecteurs le cherchent dans le premier kilo-octet.
    return b"%PDF-" in contenu[:1024]


def xml_du_pdf(contenu: bytes) -> tuple[str, bytes] | None:
    """Pièce jointe XML de facture d'un PDF.

    On lit les pièces jointes avec pypdf plutôt qu'avec facturx.get_xml_from_pdf : celui-ci analyse le XML
    avec le parseur lxml par défaut et ignore en silence une pièce jointe mal formée, alors qu'on veut
    l'analyser avec parser_xml et dire au déposant que son XML est illisible.
    """
    try:
        journal = logging.getLogger("pypdf")
        niveau = journal.level
        # pypdf signale chaque écart de structure, fréquent et sans conséquence dans les PDF des générateurs.
        journal.setLevel(logging.ERROR)
        try:
            pieces = PdfReader(io.BytesIO(contenu)).attachments
        finally:
            journal.setLevel(niveau)
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        raise FormatInvalide(f"Le fichier PDF est illisible : {exc}") from exc
    par_nom = {nom.lower(): (nom, versions) for nom, versions in pieces.items() if versions}
    for attendu in PIECES_JOINTES_FACTURE:
        if attendu in par_nom:
            nom, versions = par_nom[attendu]
            return nom, versions[0]
    return None


def detecter(contenu: bytes, taille_max: int = TAILLE_MAX_DEFAUT) -> Detection:
    if _est_pdf(contenu):
        trouve = xml_du_pdf(contenu)
        if trouve is None:
            return Detection(syntaxe=PDF)
        nom, xml = trouve
        return Detection(syntaxe=FACTURX_PDF, xml=xml, piece_jointe=nom)
    if not contenu.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        raise FormatInvalide(MESSAGE_INCONNU)
    racine = parser_xml(contenu, taille_max=taille_max)
    espace = etree.QName(racine).namespace
    nom = nom_local(racine)
    if espace in NS_CII and nom in {"CrossIndustryInvoice", "CrossIndustryDocument"}:
        return Detection(syntaxe=CII, xml=contenu, racine=racine)
    if espace in NS_UBL and nom in {"Invoice", "CreditNote"}:
        return Detection(syntaxe=NS_UBL[espace], xml=contenu, racine=racine)
    raise FormatInvalide(MESSAGE_INCONNU)
