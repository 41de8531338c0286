"""Analyse XML sans entités externes, sans réseau et sans DTD : un flux déposé est une donnée hostile."""

from lxml import etree


class DoctypeRefuse(ValueError):
    """Le document déclare un DOCTYPE ; on le refuse plutôt que de risquer XXE ou « billion laughs »."""

    def __init__(self, ligne=None):
        self.ligne = ligne
        super().__init__("Le document contient une déclaration DOCTYPE, refusée pour des raisons de sécurité.")


def _parseur():
    # Un parseur par appel : les parseurs lxml ne se partagent pas entre fils d'exécution.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=False,
    )


def analyser(xml_bytes: bytes) -> etree._ElementTree:
    """Renvoie l'arbre ; lève etree.XMLSyntaxError si mal formé, DoctypeRefuse si un DOCTYPE est déclaré."""
    parseur = _parseur()
    racine = etree.fromstring(xml_bytes, parser=parseur)
    arbre = racine.getroottree()
    # lxml conserve la déclaration interne même sans la résoudre : sa seule présence suffit à refuser.
    if arbre.docinfo.doctype or arbre.docinfo.internalDTD is not None:
        raise DoctypeRefuse()
    return arbre
