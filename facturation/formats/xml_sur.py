import re

from lxml import etree

from facturation.formats.erreurs import FormatInvalide

# 10 Mio couvre les plus grosses factures du corpus (3,2 Mo avec pièce jointe en base64) avec de la marge.
TAILLE_MAX_DEFAUT = 10 * 1024 * 1024


# Le DOCTYPE est cherché dans le prologue avant toute analyse, pour que libxml2 ne traite jamais les
# déclarations d'entités ; la vérification après analyse couvre les prologues non ASCII (UTF-16…).
_DOCTYPE_AU_PROLOGUE = re.compile(rb"\A(?:\xef\xbb\xbf)?(?:\s|<\?.*?\?>|<!--.*?-->)*<!DOCTYPE", re.DOTALL)
_MESSAGE_DOCTYPE = "Le fichier XML contient une déclaration DOCTYPE, ce qui est interdit pour une facture."


def _parseur():
    # Un parseur par appel : les parseurs lxml ne doivent pas être partagés entre threads.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def parser_xml(contenu: bytes, taille_max: int = TAILLE_MAX_DEFAUT) -> etree._Element:
    """Analyse un XML non fiable.

    Tout DOCTYPE est refusé : une facture n'en a jamais besoin, et c'est le vecteur des attaques XXE et
    « billion laughs ».
    """
    if len(contenu) > taille_max:
        raise FormatInvalide(
            f"Le fichier XML dépasse la taille maximale autorisée ({taille_max // (1024 * 1024)} Mio)."
        )
    if _DOCTYPE_AU_PROLOGUE.match(contenu[:65536]):
        raise FormatInvalide(_MESSAGE_DOCTYPE)
    try:
        arbre = etree.fromstring(contenu, parser=_parseur()).getroottree()
    except etree.XMLSyntaxError as exc:
        raise FormatInvalide(f"Le fichier XML est mal formé : {exc}") from exc
    except ValueError as exc:
        # lxml lève ValueError pour une déclaration d'encodage qu'il ne connaît pas.
        raise FormatInvalide(f"Le fichier XML est illisible : {exc}") from exc
    # Avec resolve_entities=False les entités restent des nœuds non résolus : on refuse le document
    # plutôt que de laisser une étape ultérieure (XSLT, XSD) tenter de les résoudre.
    if arbre.docinfo.doctype or arbre.docinfo.internalDTD is not None:
        raise FormatInvalide(_MESSAGE_DOCTYPE)
    return arbre.getroot()
