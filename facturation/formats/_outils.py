"""Parcours d'arbres XML par nom local : CII D16B/D22B, ZUGFeRD 1.0 et UBL y partagent le même code."""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from decimal import Decimal, InvalidOperation

from lxml import etree

from facturation.formats.erreurs import FormatInvalide
from facturation.formats.modele import Identifiant, Partie, choisir_siret

# Anomalies de valeur relevées pendant une extraction : un montant illisible ne doit pas rendre toute la
# facture illisible, il est rapporté champ par champ avec les autres erreurs de validation.
_anomalies: ContextVar[list[str] | None] = ContextVar("anomalies", default=None)


@contextmanager
def collecter_anomalies() -> Iterator[list[str]]:
    liste: list[str] = []
    jeton = _anomalies.set(liste)
    try:
        yield liste
    finally:
        _anomalies.reset(jeton)


def nom_local(el) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def enfants(el, nom: str) -> list:
    """Enfants directs dont le nom local est `nom` ; « A|B » accepte l'un ou l'autre (ZUGFeRD 1.0 vs CII 100)."""
    if el is None:
        return []
    noms = set(nom.split("|"))
    return [c for c in el if nom_local(c) in noms]


def tous(el, chemin: str) -> list:
    courants = [el] if el is not None else []
    for etape in chemin.split("/"):
        courants = [c for parent in courants for c in enfants(parent, etape)]
    return courants


def premier(el, chemin: str):
    trouves = tous(el, chemin)
    return trouves[0] if trouves else None


def texte(el, chemin: str | None = None) -> str | None:
    cible = premier(el, chemin) if chemin else el
    if cible is None or cible.text is None:
        return None
    valeur = cible.text.strip()
    return valeur or None


def montant(el, chemin: str | None = None, champ: str = "") -> Decimal | None:
    valeur = texte(el, chemin)
    if valeur is None:
        return None
    try:
        nombre = Decimal(valeur)
    except InvalidOperation:
        nombre = None
    if nombre is None or not nombre.is_finite():
        message = f"La valeur « {valeur} » du champ {champ or chemin} n'est pas un nombre décimal."
        liste = _anomalies.get()
        if liste is None:
            raise FormatInvalide(message)
        liste.append(message)
        return None
    return nombre


def date_iso_ou_102(valeur: str | None) -> date | None:
    """Une date illisible vaut None : la validation la signalera avec la règle EN 16931 correspondante."""
    if not valeur:
        return None
    m = re.fullmatch(r"(\d{4})-?(\d{2})-?(\d{2})", valeur.strip())
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def identifiant_depuis(el) -> Identifiant | None:
    """An identifier element (CII or UBL) with its schemeID; None when empty."""
    valeur = texte(el)
    if valeur is None:
        return None
    return Identifiant(valeur=valeur, schema=(el.get("schemeID") or "").strip() or None)


def partie_depuis(*, nom, candidats, tva, pays, **adresse) -> Partie:
    """A party from its identifier elements, in the syntax's order of preference (see corpus README); `adresse`:
    adresse, complement_1, complement_2, code_postal, ville (BG-5 / BG-8)."""
    identifiants = tuple(i for i in (identifiant_depuis(c) for c in candidats) if i is not None)
    return Partie(
        nom=nom,
        identifiant=str(identifiants[0]) if identifiants else None,
        siret=choisir_siret(identifiants),
        tva=tva,
        pays=pays,
        identifiants=identifiants,
        **adresse,
    )
