"""PDF de test : un PDF « natif » avec du texte (WeasyPrint) et un PDF portant un champ de signature."""

import io

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, ByteStringObject, DictionaryObject, NameObject, NumberObject, TextStringObject


def pdf_texte(lignes):
    from weasyprint import HTML

    corps = "".join(f"<p>{ligne}</p>" for ligne in lignes)
    return HTML(string=f"<html lang='fr'><body>{corps}</body></html>").write_pdf()


def avec_champ_signature(pdf):
    """Le PDF avec un champ /Sig rempli (/ByteRange, /Contents), comme le laisse un outil de signature PAdES.

    Le contenu n'est pas une signature CMS valide : seule la présence de la signature est contrôlée au dépôt.
    """
    ecrivain = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    valeur = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Sig"),
            NameObject("/Filter"): NameObject("/Adobe.PPKLite"),
            NameObject("/SubFilter"): NameObject("/ETSI.CAdES.detached"),
            NameObject("/ByteRange"): ArrayObject([NumberObject(n) for n in (0, 10, 20, 30)]),
            NameObject("/Contents"): ByteStringObject(b"\x30\x82\x01\x00" + b"\x00" * 60),
        }
    )
    champ = DictionaryObject(
        {
            NameObject("/FT"): NameObject("/Sig"),
            NameObject("/T"): TextStringObject("Signature1"),
            NameObject("/V"): ecrivain._add_object(valeur),
        }
    )
    ecrivain._root_object[NameObject("/AcroForm")] = DictionaryObject(
        {NameObject("/Fields"): ArrayObject([ecrivain._add_object(champ)]), NameObject("/SigFlags"): NumberObject(3)}
    )
    sortie = io.BytesIO()
    ecrivain.write(sortie)
    return sortie.getvalue()
