"""Contrôle des formats de dépôt signés (chorus-pro-api.md §4.5 : PDF_SIGNE_PADES, PDF_SIGNE_XADES).

On vérifie la présence et la forme de la signature, comme le fait le dépôt de Chorus Pro : un PDF « signé PAdES »
porte un champ de signature (/FT /Sig) dont la valeur a un /ByteRange et un /Contents ; une signature XAdES détachée
est un ds:Signature qui désigne le PDF par son nom ou par son empreinte. La validité cryptographique (chaîne de
certificats, révocation) n'est pas contrôlée ici.
"""

import base64
import hashlib
import io
import logging
from pathlib import PurePosixPath
from urllib.parse import unquote

from lxml import etree
from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject

from facturation.formats.erreurs import FormatInvalide
from facturation.formats.xml_sur import parser_xml

NS_DS = "http://www.w3.org/2000/09/xmldsig#"
# Algorithmes d'empreinte de XML-DSig (RFC 6931) que hashlib sait calculer.
ALGORITHMES = {
    "http://www.w3.org/2000/09/xmldsig#sha1": "sha1",
    "http://www.w3.org/2001/04/xmlenc#sha256": "sha256",
    "http://www.w3.org/2001/04/xmldsig-more#sha384": "sha384",
    "http://www.w3.org/2001/04/xmlenc#sha512": "sha512",
}
PROFONDEUR_MAX = 20


class SignatureInvalide(FormatInvalide):
    """La signature exigée par le format de dépôt choisi est absente ou ne correspond pas au fichier."""


def _champs(noeud, profondeur=0):
    if profondeur > PROFONDEUR_MAX or not isinstance(noeud, DictionaryObject):
        return
    yield noeud
    enfants = noeud.get("/Kids")
    if enfants is not None:
        for enfant in enfants.get_object():
            yield from _champs(enfant.get_object(), profondeur + 1)


def _est_signature(champ):
    if champ.get("/FT") != "/Sig":
        return False
    valeur = champ.get("/V")
    if valeur is None:
        return False
    valeur = valeur.get_object()
    plage = valeur.get("/ByteRange")
    contenu = valeur.get("/Contents")
    return (
        isinstance(valeur, DictionaryObject)
        and isinstance(plage.get_object() if plage is not None else None, ArrayObject)
        and len(plage.get_object()) == 4
        and contenu is not None
        and len(bytes(contenu.get_object())) > 0
    )


def verifier_pades(contenu: bytes) -> None:
    """Lève SignatureInvalide si le PDF ne porte aucune signature PAdES (champ /Sig avec /ByteRange et /Contents)."""
    journal = logging.getLogger("pypdf")
    niveau = journal.level
    journal.setLevel(logging.ERROR)
    try:
        racine = PdfReader(io.BytesIO(contenu)).trailer["/Root"].get_object()
        formulaire = racine.get("/AcroForm")
        champs = formulaire.get_object().get("/Fields") if formulaire is not None else None
        trouve = champs is not None and any(
            _est_signature(champ) for haut in champs.get_object() for champ in _champs(haut.get_object())
        )
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise SignatureInvalide(f"Le PDF est illisible, sa signature ne peut pas être contrôlée : {exc}") from exc
    finally:
        journal.setLevel(niveau)
    if not trouve:
        raise SignatureInvalide(
            "Vous avez choisi le format « PDF signé PAdES », mais le PDF ne contient aucune signature électronique "
            "(champ de signature /Sig avec /ByteRange et /Contents). Signez le PDF, ou choisissez « PDF non signé »."
        )


def _references(signature):
    info = signature.find(f"{{{NS_DS}}}SignedInfo")
    return [] if info is None else info.findall(f"{{{NS_DS}}}Reference")


def verifier_xades(signature_xml: bytes, *, nom_fichier: str, contenu: bytes) -> None:
    """Lève SignatureInvalide si `signature_xml` n'est pas une signature XAdES détachée du fichier déposé."""
    if not signature_xml:
        raise SignatureInvalide(
            "Vous avez choisi le format « PDF signé XAdES » : joignez le fichier de signature XAdES (.xml)."
        )
    try:
        racine = parser_xml(signature_xml)
    except FormatInvalide as exc:
        raise SignatureInvalide(f"Le fichier de signature XAdES est illisible. {exc}") from exc
    signature = racine if racine.tag == f"{{{NS_DS}}}Signature" else racine.find(f".//{{{NS_DS}}}Signature")
    if signature is None:
        raise SignatureInvalide(
            f"Le fichier de signature n'est pas une signature XAdES : aucun élément ds:Signature (espace de noms "
            f"{NS_DS}) ; l'élément racine est « {etree.QName(racine).localname} »."
        )
    valeur = signature.findtext(f"{{{NS_DS}}}SignatureValue")
    if not (valeur or "").strip():
        raise SignatureInvalide("La signature XAdES n'a pas de valeur de signature (ds:SignatureValue vide).")
    nom = PurePosixPath(nom_fichier).name
    for reference in _references(signature):
        uri = unquote(reference.get("URI") or "")
        methode = reference.find(f"{{{NS_DS}}}DigestMethod")
        algorithme = ALGORITHMES.get(methode.get("Algorithm", "") if methode is not None else "")
        empreinte = "".join((reference.findtext(f"{{{NS_DS}}}DigestValue") or "").split())
        calculee = base64.b64encode(hashlib.new(algorithme, contenu).digest()).decode() if algorithme else None
        if uri and PurePosixPath(uri).name == nom:
            if algorithme == "sha256" and empreinte and empreinte != calculee:
                raise SignatureInvalide(
                    f"La signature XAdES désigne « {nom} », mais son empreinte SHA-256 ({empreinte}) ne correspond "
                    f"pas au fichier déposé ({calculee}) : le fichier a été modifié après sa signature."
                )
            return
        if calculee and empreinte == calculee:
            return
    raise SignatureInvalide(
        f"La signature XAdES ne porte pas sur le fichier déposé « {nom} » : aucune référence (ds:Reference) ne le "
        "désigne par son nom ni par son empreinte."
    )
