"""The one way to parse an untrusted XML: no DOCTYPE, no entities, no network, no DTD (a deposited flux is hostile)."""

import re

from lxml import etree

from chorus import limites
from facturation.formats.erreurs import FormatInvalide

# No file of a flux or an upload is larger (the largest invoice of the corpus is 3,2 Mo with a base64 attachment).
TAILLE_MAX_DEFAUT = limites.octets("flux_fichier_taille_max")


# Le DOCTYPE est cherché dans le prologue avant toute analyse, pour que libxml2 ne traite jamais les
# déclarations d'entités ; la vérification après analyse couvre les prologues non ASCII (UTF-16…).
_DOCTYPE_AU_PROLOGUE = re.compile(rb"\A(?:\xef\xbb\xbf)?(?:\s|<\?.*?\?>|<!--.*?-->)*<!DOCTYPE", re.DOTALL)


class DoctypeRefuse(FormatInvalide):
    """Le document déclare un DOCTYPE : une facture n'en a jamais besoin, c'est le vecteur de XXE et « billion
    laughs »."""

    def __init__(self):
        super().__init__("Le fichier XML contient une déclaration DOCTYPE, ce qui est interdit pour une facture.")


class XmlMalForme(FormatInvalide):
    """Document mal formé ; `erreurs` liste (ligne, colonne, message) de toutes les erreurs du parseur."""

    def __init__(self, erreurs):
        self.erreurs = erreurs
        detail = "; ".join(f"ligne {ligne}, colonne {colonne} : {message}" for ligne, colonne, message in erreurs)
        super().__init__(f"Le fichier XML est mal formé : {detail}")


def _parseur(garder_commentaires):
    # Un parseur par appel : les parseurs lxml ne se partagent pas entre fils d'exécution.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=not garder_commentaires,
        remove_pis=not garder_commentaires,
    )


def analyser(contenu: bytes, taille_max: int = TAILLE_MAX_DEFAUT, garder_commentaires=False) -> etree._ElementTree:
    """L'arbre du document ; lève DoctypeRefuse, XmlMalForme ou FormatInvalide (taille, encodage inconnu)."""
    if len(contenu) > taille_max:
        raise FormatInvalide(
            f"Le fichier XML dépasse la taille maximale autorisée ({taille_max // (1024 * 1024)} Mio)."
        )
    if _DOCTYPE_AU_PROLOGUE.match(contenu[:65536]):
        raise DoctypeRefuse()
    parseur = _parseur(garder_commentaires)
    try:
        racine = etree.fromstring(contenu, parser=parseur)
    except etree.XMLSyntaxError as exc:
        # Le journal propre au parseur, et non celui de l'exception qui mêle les erreurs d'autres analyses
        # (ex. validation XSD précédente) du même fil d'exécution.
        erreurs = [(err.line, err.column, err.message) for err in parseur.error_log]
        if not erreurs:
            ligne, colonne = exc.position if exc.position else (exc.lineno, 0)
            erreurs = [(ligne, colonne, exc.msg)]
        raise XmlMalForme(erreurs) from exc
    except ValueError as exc:
        # lxml lève ValueError pour une déclaration d'encodage qu'il ne connaît pas.
        raise FormatInvalide(f"Le fichier XML est illisible : {exc}") from exc
    arbre = racine.getroottree()
    # Avec resolve_entities=False les entités restent des nœuds non résolus : on refuse le document plutôt que de
    # laisser une étape ultérieure (XSLT, XSD) tenter de les résoudre.
    if arbre.docinfo.doctype or arbre.docinfo.internalDTD is not None:
        raise DoctypeRefuse()
    return arbre


def parser_xml(contenu: bytes, taille_max: int = TAILLE_MAX_DEFAUT) -> etree._Element:
    return analyser(contenu, taille_max).getroot()
