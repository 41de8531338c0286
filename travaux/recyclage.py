"""Who may ask the supplier to recycle the previous piece of a dossier (demanderRecyclagePiecePrecedente, API §2.2),
from which statuses, and what the previous piece becomes: the table travaux/regles/demande_recyclage.csv, read once.

Each row names the actor who holds the current piece (moe, moa) and the statuses at which he holds it, the statuses
the previous piece may have (the recipient's side still holds it, it is neither processed nor closed), the side that
must have deposited it (the supplier's: it is the one that recycles), and the status it takes. The piece page's
button, the service and the API all ask here.
"""

import csv
from dataclasses import dataclass
from pathlib import Path

from facturation.enums import StatutFacture
from travaux.enums import RoleTravaux

TABLE = Path(__file__).resolve().parent / "regles" / "demande_recyclage.csv"


@dataclass(frozen=True)
class RegleDemandeRecyclage:
    acteur: RoleTravaux
    statuts_piece: frozenset
    statuts_precedente: frozenset
    cote_deposant_precedente: RoleTravaux
    statut_precedente_apres: StatutFacture


def _statuts(texte):
    # a typo in the table fails at import, not when a MOE presses the button
    return frozenset(StatutFacture(code) for code in texte.split())


def _lire():
    with open(TABLE, encoding="utf-8", newline="") as fichier:
        return tuple(
            RegleDemandeRecyclage(
                acteur=RoleTravaux(ligne["acteur"]),
                statuts_piece=_statuts(ligne["statuts_piece"]),
                statuts_precedente=_statuts(ligne["statuts_precedente"]),
                cote_deposant_precedente=RoleTravaux(ligne["cote_deposant_precedente"]),
                statut_precedente_apres=StatutFacture(ligne["statut_precedente_apres"]),
            )
            for ligne in csv.DictReader(fichier)
        )


REGLES = _lire()
ACTEURS = tuple(dict.fromkeys(regle.acteur for regle in REGLES))


def regle_de(acteur):
    return next((regle for regle in REGLES if regle.acteur == acteur), None)


def motif_d_impossibilite(regle, piece):
    """Why `regle` does not let the holder of `piece` ask now (a French sentence), or "" when it does. `piece` comes
    with its previous piece and both invoices."""
    facture = piece.facture
    if facture.statut not in regle.statuts_piece:
        libelle = StatutFacture(facture.statut).label
        return f"la pièce n° {facture.numero} a le statut « {libelle} »"
    precedente = piece.piece_precedente
    if precedente is None:
        return f"la pièce n° {facture.numero} ne fait suite à aucune pièce du dossier"
    if precedente.cote_deposant != regle.cote_deposant_precedente:
        return f"la pièce précédente n° {precedente.facture.numero} n'a pas été déposée par le fournisseur"
    if precedente.facture.statut not in regle.statuts_precedente:
        libelle = StatutFacture(precedente.facture.statut).label
        return f"la pièce précédente n° {precedente.facture.numero} a le statut « {libelle} »"
    return ""
