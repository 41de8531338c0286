"""Lifecycle messages (issue #6, « Lifecycle out »): what a status change tells an EDI- or API-connected supplier,
and its CDAR rendering (CrossDomainAcknowledgementAndResponse D22B, the 2026 reform's status codes 200 … 213, shaped
as the corpus's examples: /work/shared/corpus/files/phive-rules/ctc/1.4.0.03/cdar/).

The table raccordement/regles/cycle_vie.csv says which Chorus Pro status becomes which reform status; a status it
does not list (the validators' and the works' intermediate steps) still gives a Chorus Pro lifecycle message, without
a CDAR code.
"""

import csv
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from chorus import limites

COMPLEMENT_LONGUEUR_MAX = limites.nombre("complement_statut_fso1301a_longueur_max")  # FSO1301A <ComplementStatut>
REJET_INTEGRATION = "REJET_INTEGRATION"


@dataclass(frozen=True)
class StatutCdar:
    code: str
    libelle: str
    status_code: str
    type_code: str


def _lire():
    with open(Path(__file__).resolve().parent / "regles" / "cycle_vie.csv", encoding="utf-8", newline="") as f:
        return {
            ligne["statut"]: StatutCdar(
                ligne["code_cdar"], ligne["libelle_cdar"], ligne["status_code"], ligne["type_code"]
            )
            for ligne in csv.DictReader(f)
        }


STATUTS_CDAR = _lire()

_TIRETS = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2011": "-", "\u2019": "'"})
# Kept: letters (accents folded), digits, space and the punctuation EDI partners' parsers accept.
_INTERDITS = re.compile(r"[^A-Za-z0-9 .,;:'()/+\-_%]")


def complement_nettoye(texte):
    """The complement of a lifecycle message: at most 80 characters, without special characters (accents folded,
    line breaks and control or markup characters removed) — EDI partners' parsers choke on them."""
    plat = (texte or "").translate(_TIRETS)
    plat = unicodedata.normalize("NFKD", plat).encode("ascii", "ignore").decode("ascii")
    plat = re.sub(r"\s+", " ", _INTERDITS.sub("", re.sub(r"\s+", " ", plat)))
    return plat.strip()[:COMPLEMENT_LONGUEUR_MAX].strip()


NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossDomainAcknowledgementAndResponse:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
    "qdt": "urn:un:unece:uncefact:data:standard:QualifiedDataType:100",
}
PROFIL = "urn.cpro.gouv.fr:1p0:CDV:invoice"


def _el(parent, nom, texte=None, **attributs):
    prefixe, local = nom.split(":")
    element = etree.SubElement(parent, f"{{{NS[prefixe]}}}{local}", **attributs)
    if texte is not None:
        element.text = str(texte)
    return element


def _date_204(moment):
    return moment.strftime("%Y%m%d%H%M%S")


@dataclass(frozen=True)
class DonneesCdar:
    """What one CDAR message says: the invoice (number, type code, date), its two parties, the status and when."""

    identifiant: str
    numero_facture: str
    type_facture: str  # BT-3: 380 invoice, 381 credit note
    date_facture: object  # date or None
    recu_le: object  # datetime: when the platform received the invoice
    statut_le: object  # datetime of the status
    cree_le: object  # datetime the message is issued
    statut: StatutCdar
    vendeur_siren: str
    vendeur_nom: str
    acheteur_siren: str
    acheteur_nom: str
    motif: str = ""
    complement: str = ""


def cdar_xml(d):
    """The CDAR D22B document (bytes, UTF-8) for one status of one invoice, with the corpus examples' structure."""
    racine = etree.Element(f"{{{NS['rsm']}}}CrossDomainAcknowledgementAndResponse", nsmap=NS)
    contexte = _el(racine, "rsm:ExchangedDocumentContext")
    _el(_el(contexte, "ram:BusinessProcessSpecifiedDocumentContextParameter"), "ram:ID", "REGULATED")
    _el(_el(contexte, "ram:GuidelineSpecifiedDocumentContextParameter"), "ram:ID", PROFIL)

    document = _el(racine, "rsm:ExchangedDocument")
    _el(document, "ram:ID", d.identifiant)
    _el(document, "ram:Name", f"{d.numero_facture}-CDV-{d.statut.code}_{d.statut.libelle}")
    _el(_el(document, "ram:IssueDateTime"), "udt:DateTimeString", _date_204(d.cree_le), format="204")
    _el(_el(document, "ram:SenderTradeParty"), "ram:RoleCode", "WK")
    # A platform status (TypeCode 305: déposée, mise à disposition, rejetée) is issued by the platform (WK) to both
    # parties; a buyer's status (TypeCode 23: prise en charge, approuvée, paiement transmis…) is issued by the buyer
    # to the seller alone — as in the corpus's examples.
    emis_par_l_acheteur = d.statut.type_code == "23"
    emetteur = _el(document, "ram:IssuerTradeParty")
    if emis_par_l_acheteur:
        _el(emetteur, "ram:GlobalID", d.acheteur_siren, schemeID="0002")
        _el(emetteur, "ram:Name", d.acheteur_nom)
        _el(emetteur, "ram:RoleCode", "BY")
    else:
        _el(emetteur, "ram:RoleCode", "WK")
    destinataires = [(d.vendeur_siren, d.vendeur_nom, "SE")]
    if not emis_par_l_acheteur:
        destinataires.append((d.acheteur_siren, d.acheteur_nom, "BY"))
    for siren, nom, role in destinataires:
        partie = _el(document, "ram:RecipientTradeParty")
        _el(partie, "ram:GlobalID", siren, schemeID="0002")
        _el(partie, "ram:Name", nom)
        _el(partie, "ram:RoleCode", role)
        communication = _el(partie, "ram:URIUniversalCommunication")
        if role == "SE":
            _el(communication, "ram:URIID", f"{siren}_STATUTS", schemeID="0225")
        else:
            _el(communication, "ram:URIID", siren)

    accuse = _el(racine, "rsm:AcknowledgementDocument")
    _el(_el(accuse, "ram:MultipleReferencesIndicator"), "udt:Indicator", "false")
    _el(accuse, "ram:TypeCode", d.statut.type_code)
    _el(_el(accuse, "ram:IssueDateTime"), "udt:DateTimeString", _date_204(d.statut_le), format="204")
    reference = _el(accuse, "ram:ReferenceReferencedDocument")
    _el(reference, "ram:IssuerAssignedID", d.numero_facture)
    _el(reference, "ram:StatusCode", d.statut.status_code)
    _el(reference, "ram:TypeCode", d.type_facture)
    _el(_el(reference, "ram:ReceiptDateTime"), "udt:DateTimeString", _date_204(d.recu_le), format="204")
    if d.date_facture is not None:
        _el(
            _el(reference, "ram:FormattedIssueDateTime"),
            "qdt:DateTimeString",
            d.date_facture.strftime("%Y%m%d"),
            format="102",
        )
    _el(reference, "ram:ProcessConditionCode", d.statut.code)
    _el(reference, "ram:ProcessCondition", d.statut.libelle)
    _el(_el(reference, "ram:IssuerTradeParty"), "ram:GlobalID", d.vendeur_siren, schemeID="0002")
    if d.motif or d.complement:
        etat = _el(reference, "ram:SpecifiedDocumentStatus")
        if d.motif:
            _el(etat, "ram:Reason", complement_nettoye(d.motif) if len(d.motif) > 255 else d.motif)
        _el(etat, "ram:SequenceNumeric", "1")
        if d.complement:
            caracteristique = _el(etat, "ram:SpecifiedDocumentCharacteristic")
            _el(caracteristique, "ram:TypeCode", "DIV")
            _el(caracteristique, "ram:Name", d.complement)
    return etree.tostring(racine, xml_declaration=True, encoding="UTF-8", pretty_print=True)
