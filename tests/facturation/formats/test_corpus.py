"""Chaque facture du corpus (shared/corpus/MANIFEST.tsv) est reconnue et lue comme le dit le manifeste."""

import csv
from decimal import Decimal
from functools import cache

import pytest

from facturation.formats import FormatInvalide, lire
from tests.conftest import CORPUS

SYNTAXES = {"factur-x-pdf", "cii", "ubl-invoice", "ubl-creditnote"}


def _lignes_manifeste() -> list[dict]:
    # Lu à la collecte : sans corpus, on produit un seul cas qui sera sauté avec sa raison.
    manifeste = CORPUS / "MANIFEST.tsv"
    if not manifeste.is_file():
        return []
    with manifeste.open(encoding="utf-8", newline="") as f:
        return [r for r in csv.DictReader(f, delimiter="\t") if r["syntax"] in SYNTAXES]


LIGNES = _lignes_manifeste()


@cache
def _lire(chemin: str):
    """Une lecture par fichier, partagée par les assertions ; l'erreur est gardée pour être comparée."""
    try:
        return lire((CORPUS / chemin).read_bytes())
    except FormatInvalide as exc:
        return exc


def _attendu_illisible(ligne: dict) -> bool:
    # Le manifeste laisse tous les champs vides quand le XML joint ne s'analyse pas (encodage « UTF-8_W/O_BOM »).
    return not any(ligne[c] for c in ("invoice_number", "currency", "total_ttc", "type_code", "seller_id"))


@pytest.mark.parametrize("ligne", LIGNES or [None], ids=[r["path"] for r in LIGNES] or ["corpus-absent"])
def test_facture_du_corpus(ligne, corpus):
    resultat = _lire(ligne["path"])
    if _attendu_illisible(ligne):
        assert ligne["expected"] == "invalid"
        assert isinstance(resultat, FormatInvalide), "le manifeste ne trouve aucun champ : la lecture doit échouer"
        return
    assert not isinstance(resultat, FormatInvalide), str(resultat)
    syntaxe, facture, _ = resultat
    assert syntaxe == ligne["syntax"]
    obtenu = {
        "invoice_number": facture.numero,
        "currency": facture.devise,
        "type_code": facture.type_code,
        "seller_id": facture.vendeur.identifiant,
        "buyer_id": facture.acheteur.identifiant,
    }
    attendu = {cle: ligne[cle] for cle in obtenu if ligne[cle]}
    assert {cle: obtenu[cle] for cle in attendu} == attendu
    if ligne["total_ttc"]:
        assert facture.totaux.total_ttc == Decimal(ligne["total_ttc"])
