from lxml import etree

from facturation.formats.cii import extraire_cii
from facturation.formats.detection import MESSAGE_INCONNU, NS_CII, NS_UBL, PDF, detecter
from facturation.formats.erreurs import FormatInvalide
from facturation.formats.modele import FactureNeutre
from facturation.formats.ubl import extraire_ubl
from facturation.formats.xml_sur import TAILLE_MAX_DEFAUT, parser_xml


def lire(contenu: bytes, taille_max: int = TAILLE_MAX_DEFAUT) -> tuple[str, FactureNeutre | None, bytes | None]:
    """Syntaxe, facture neutre et XML de la facture.

    Un PDF sans XML renvoie ("pdf", None, None) : Chorus Pro l'accepte, les données étant alors saisies
    sur le portail ; c'est à l'appelant de décider.
    """
    detection = detecter(contenu, taille_max=taille_max)
    if detection.syntaxe == PDF:
        return PDF, None, None
    racine = detection.racine
    if racine is None:
        try:
            racine = parser_xml(detection.xml, taille_max=taille_max)
        except FormatInvalide as exc:
            raise FormatInvalide(f"Le XML « {detection.piece_jointe} » joint au PDF est illisible. {exc}") from exc
    # On aiguille sur l'espace de noms de la racine, pas sur la syntaxe : la pièce jointe d'un PDF est
    # normalement du CII, mais rien n'empêche un générateur d'y glisser de l'UBL.
    espace = etree.QName(racine).namespace
    if espace in NS_CII:
        facture = extraire_cii(racine)
    elif espace in NS_UBL:
        facture = extraire_ubl(racine)
    else:
        raise FormatInvalide(MESSAGE_INCONNU)
    return detection.syntaxe, facture, detection.xml
