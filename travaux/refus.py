"""Who may refuse a works piece, for which motif, and what the refusal does (issue #5, « Refusals, as the 2024–2025
releases fixed them »): the table travaux/regles/travaux_refus.csv, read once.

Each row names a cadre, the actor who holds the piece (moe, moa, fournisseur), a motif, whether the portal and the
API (refuserFactureTravaux) accept it, and its effect: a status label of facturation/regles/statuts.csv, « refus
impossible avec ce motif », or « ouvre la fenêtre de correction » (« Erreur de montant »: the MOE is invited to
correct the amounts and deposit the next piece instead of refusing).
"""

import csv
from pathlib import Path

from chorus.exceptions import ApplicationError
from facturation.enums import StatutFacture
from travaux.enums import CanalDepot, RoleTravaux

TABLE = Path(__file__).resolve().parent / "regles" / "travaux_refus.csv"

# The effect of « Erreur de montant » on the portal: no status change, the correction window opens.
CORRECTION = "CORRECTION"
EFFET_IMPOSSIBLE = "refus impossible avec ce motif"
EFFET_CORRECTION = "ouvre la fenêtre de correction"

# tables/messages.csv refus_travaux_motif_non_conforme, character for character (S0 §1.4.2).
MESSAGE_MOTIF_NON_CONFORME = "Le motif de refus indiqué ne correspond pas aux critères définis"

# The statuses at which each actor holds a piece, hence may refuse it.
STATUTS_EN_MAIN = {
    RoleTravaux.MOE: frozenset({StatutFacture.MISE_A_DISPOSITION_MOE, StatutFacture.PRISE_EN_COMPTE_MOE}),
    RoleTravaux.MOA: frozenset({StatutFacture.MISE_A_DISPOSITION_MOA}),
    RoleTravaux.FOURNISSEUR: frozenset({StatutFacture.A_ASSOCIER_FOURNISSEUR}),
}
ACTEURS = tuple(STATUTS_EN_MAIN)


class MotifNonConforme(ApplicationError):
    def __init__(self):
        super().__init__(MESSAGE_MOTIF_NON_CONFORME, champ="motif")


def _lire():
    with open(TABLE, encoding="utf-8", newline="") as fichier:
        return list(csv.DictReader(fichier))


_CODES_PAR_LIBELLE = {statut.label: statut.value for statut in StatutFacture}


def _cible(effet):
    if effet == EFFET_CORRECTION:
        return CORRECTION
    if effet == EFFET_IMPOSSIBLE:
        return None
    try:
        return _CODES_PAR_LIBELLE[effet]
    except KeyError:
        # A label that is not in the status table would otherwise surface only when someone refuses.
        raise ValueError(f"travaux_refus.csv: effet inconnu « {effet} ».") from None


LIGNES = tuple({**ligne, "cible": _cible(ligne["effet"])} for ligne in _lire())


def _colonne(canal):
    # EDI has no refusal flow of its own: anything but the portal answers as the API does.
    return "autorise_portail" if canal == CanalDepot.PORTAIL else "autorise_api"


def _autorisees(cadre, acteur, canal):
    colonne = _colonne(canal)
    return [
        ligne
        for ligne in LIGNES
        if ligne["cadre"] == cadre
        and ligne["acteur"] == acteur
        and ligne[colonne] == "yes"
        and ligne["cible"] is not None
    ]


def motifs_proposes(cadre, acteur, canal=CanalDepot.PORTAIL):
    """The motifs of the « Refuser » list (portal) or accepted by refuserFactureTravaux (API), in the table's order."""
    return [ligne["motif"] for ligne in _autorisees(cadre, acteur, canal)]


def effet(cadre, acteur, motif, canal=CanalDepot.PORTAIL):
    """The status code the refusal leads to, or CORRECTION; a motif the table does not allow for this cadre, actor
    and channel raises MotifNonConforme (the API's own answer, used on the portal too)."""
    motif = (motif or "").strip()
    for ligne in _autorisees(cadre, acteur, canal):
        if ligne["motif"] == motif:
            return ligne["cible"]
    raise MotifNonConforme()
