"""Lecture d'un PDF non structuré : son texte (pypdf) et les données qu'on y reconnaît par mots-clés.

Chorus Pro pré-remplit le formulaire de saisie à partir d'un PDF « natif » (pas d'une image scannée) en cherchant des
mots-clés : « SIRET client », « engagement », « EJ », « commande »… (chorus-pro-features.md ligne 31). On fait de
même, sans rien inventer : une donnée non trouvée reste vide et le déposant la saisit.
"""

import datetime
import io
import logging
import re
from dataclasses import dataclass

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from facturation.formats.erreurs import FormatInvalide

PAGES_LUES_MAX = 5
_SIRET = r"(\d{3}\s?\d{3}\s?\d{3}\s?\d{5})"
_REFERENCE = r"([A-Za-z0-9][A-Za-z0-9\-_/+.]{0,49})"
_SEPARATEUR = r"\s*(?:n°|no\.?|num(?:é|e)ro|:|#)?\s*(?:de\s+)?:?\s*"

_SIRET_CLIENT = re.compile(r"SIRET\s+(?:du\s+)?(?:client|destinataire|acheteur)\s*:?\s*" + _SIRET, re.IGNORECASE)
_SIRET_QUELCONQUE = re.compile(r"SIRET\s*:?\s*" + _SIRET, re.IGNORECASE)
_NUMERO = re.compile(
    r"(?:facture|avoir)\s*(?:n°|no\.?|num(?:é|e)ro)\s*:?\s*"
    + _REFERENCE
    + r"|(?:n°|num(?:é|e)ro)\s+de\s+(?:la\s+)?facture\s*:?\s*"
    + _REFERENCE,
    re.IGNORECASE,
)
_ENGAGEMENT = re.compile(
    r"(?:engagement(?:\s+juridique)?|\bEJ\b|bon\s+de\s+commande|\bcommande\b)" + _SEPARATEUR + _REFERENCE,
    re.IGNORECASE,
)
_MARCHE = re.compile(r"march(?:é|e)" + _SEPARATEUR + _REFERENCE, re.IGNORECASE)
_DATE = r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})"
_DATE_FACTURE = re.compile(
    r"(?:date\s+(?:de\s+(?:la\s+)?facture|d['’]émission|de\s+facturation)|\bdate\b|\ble\b)\s*:?\s*" + _DATE,
    re.IGNORECASE,
)
_DATE_QUELCONQUE = re.compile(_DATE)
_DEVISES = {"€": "EUR", "EUR": "EUR", "USD": "USD", "$": "USD", "GBP": "GBP", "£": "GBP", "CHF": "CHF", "XPF": "XPF"}
_DEVISE = re.compile(r"(€|\$|£|\bEUR\b|\bUSD\b|\bGBP\b|\bCHF\b|\bXPF\b)")
# Mots qu'une expression « n° … » capture par erreur quand la valeur manque (« Facture n° : Date … »).
_PAS_UNE_REFERENCE = {"date", "du", "de", "le", "la", "client", "siret", "total"}


@dataclass(frozen=True)
class DonneesPdf:
    numero: str = ""
    date_facture: datetime.date | None = None
    siret_client: str = ""
    sirets: tuple[str, ...] = ()
    numero_engagement: str = ""
    numero_marche: str = ""
    devise: str = ""


def extraire_texte(contenu: bytes, pages_max: int = PAGES_LUES_MAX) -> str:
    """Le texte des premières pages ; vide pour un PDF scanné (images sans couche texte)."""
    journal = logging.getLogger("pypdf")
    niveau = journal.level
    journal.setLevel(logging.ERROR)
    try:
        lecteur = PdfReader(io.BytesIO(contenu))
        if lecteur.is_encrypted:
            raise FormatInvalide("Le PDF est protégé par un mot de passe : déposez un PDF non chiffré.")
        return "\n".join((page.extract_text() or "") for page in lecteur.pages[:pages_max])
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        raise FormatInvalide(f"Le fichier PDF est illisible : {exc}") from exc
    finally:
        journal.setLevel(niveau)


def _premier(motif, texte):
    for trouve in motif.finditer(texte):
        valeur = next((g for g in trouve.groups() if g), "").rstrip(".")
        if valeur and valeur.lower() not in _PAS_UNE_REFERENCE:
            return valeur
    return ""


def _date(texte):
    for motif in (_DATE_FACTURE, _DATE_QUELCONQUE):
        for trouve in motif.finditer(texte):
            jour, mois, annee = (int(g) for g in trouve.groups()[-3:])
            try:
                return datetime.date(annee, mois, jour)
            except ValueError:
                continue
    return None


def lire_donnees(texte: str) -> DonneesPdf:
    sirets = tuple(dict.fromkeys(re.sub(r"\s", "", s) for s in _SIRET_QUELCONQUE.findall(texte)))
    client = _SIRET_CLIENT.search(texte)
    devise = _DEVISE.search(texte)
    return DonneesPdf(
        numero=_premier(_NUMERO, texte)[:20],
        date_facture=_date(texte),
        siret_client=re.sub(r"\s", "", client.group(1)) if client else "",
        sirets=sirets,
        numero_engagement=_premier(_ENGAGEMENT, texte)[:50],
        numero_marche=_premier(_MARCHE, texte)[:50],
        devise=_DEVISES[devise.group(1)] if devise else "",
    )


def lire_pdf(contenu: bytes) -> DonneesPdf:
    return lire_donnees(extraire_texte(contenu))
