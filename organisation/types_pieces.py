"""The document types of a structure's reusable attachments (PieceJointeStructure.type_piece).

Source: donnees/types_pieces_jointes_structure.csv. The reference names only examples (chorus-pro-features.md row 18:
« Reusable documents (e.g. RIB, Kbis) ») and no table of types; the list completes them with what a supplier is
asked for in public procurement (attestations URSSAF and fiscale, statuts, mandate, insurance), and « Autre ».
`id` is the API's `pieceJointeTypeId` (recuperer/typespj for typeObjet STRUCTURE, rechercher/pj/*): stable as long
as the table only grows."""

import csv
from pathlib import Path

FICHIER = Path(__file__).resolve().parent / "donnees" / "types_pieces_jointes_structure.csv"
AUTRE = "AUTRE"


def _lire():
    with FICHIER.open(encoding="utf-8", newline="") as flux:
        return [
            {"id": int(ligne["id"]), "code": ligne["code"], "libelle": ligne["libelle"]}
            for ligne in csv.DictReader(flux)
        ]


TYPES = _lire()
CHOIX = [(t["code"], t["libelle"]) for t in TYPES]
PAR_CODE = {t["code"]: t for t in TYPES}
PAR_ID = {t["id"]: t for t in TYPES}
