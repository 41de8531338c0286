"""The deposit matrix of the training deck (S3 « Les cadres de facturation ») and the chain of the flows, as data."""

import itertools

import pytest

from facturation.enums import lire_table
from travaux import regles
from travaux.enums import CanalDepot, RoleTravaux, TypeDepot

# Written from the deck, not from cadres.csv: ✓ = Y, ✗ = N, N/A = -.
# Columns: EDI initial, EDI association, portail initial, portail association, service initial, service association.
# A11 is absent from the deck: the project copies A10 (cadres.csv says so).
MATRICE = """
A4  fournisseur    Y - Y - Y -
A5  fournisseur    N - Y - Y -
A6  fournisseur    Y N Y N Y N
A7  fournisseur    Y - Y - Y -
A8  fournisseur    Y N Y Y Y Y
A10 sous-traitant  Y - Y - Y -
A11 sous-traitant  Y - Y - Y -
A13 cotraitant     Y - Y - Y -
A14 cotraitant     Y - Y - Y -
A15 moe            N N Y Y Y Y
A16 moe            N N Y - Y -
A17 moe            N N Y Y Y Y
A18 moe            N N Y - Y -
A19 moa            N N Y Y Y Y
A20 moa            N N Y Y Y Y
A22 fournisseur    Y N Y Y Y Y
A23 fournisseur    - N - Y - Y
A24 moe            N N Y Y Y Y
A25 moa            - N - Y - Y
"""

ATTENDU = {}
DEPOSANT = {}
for ligne in MATRICE.strip().splitlines():
    cadre, deposant, *cellules = ligne.split()
    DEPOSANT[cadre] = deposant
    colonnes = itertools.product(CanalDepot, TypeDepot)
    ATTENDU.update({(cadre, canal, type_depot): c for (canal, type_depot), c in zip(colonnes, cellules, strict=True)})

CAS = [
    pytest.param(cadre, role, canal, type_depot, id=f"{cadre}-{role.value}-{canal.value}-{type_depot.value}")
    for cadre in DEPOSANT
    for role in RoleTravaux
    for canal in CanalDepot
    for type_depot in TypeDepot
]

CANAL_FR = {
    CanalDepot.EDI: "par EDI",
    CanalDepot.PORTAIL: "sur le portail",
    CanalDepot.SERVICE: "par le service (API)",
}


@pytest.mark.parametrize(("cadre", "role", "canal", "type_depot"), CAS)
def test_matrice_de_depot(cadre, role, canal, type_depot):
    erreurs = regles.controler_depot(cadre, role, canal, type_depot)
    cellule = ATTENDU[cadre, canal, type_depot]
    bon_deposant = DEPOSANT[cadre] == role.value
    assert (erreurs == []) == (bon_deposant and cellule == "Y")
    attendues = []
    if not bon_deposant:
        attendues.append(f"Le cadre {cadre} n'est pas proposé au déposant « {role.label} »")
    if cellule == "N" and type_depot == TypeDepot.INITIAL:
        attendues.append(f"Le cadre {cadre} ne peut pas être déposé {CANAL_FR[canal]}.")
    if cellule == "N" and type_depot == TypeDepot.ASSOCIATION:
        attendues.append(
            f"Le cadre {cadre} ne peut pas être déposé {CANAL_FR[canal]} à partir d'une pièce existante "
            "dans Chorus Pro."
        )
    if cellule == "-" and type_depot == TypeDepot.INITIAL:
        attendues.append(f"Le cadre {cadre} ne se dépose qu'à partir d'une pièce existante dans Chorus Pro.")
    if cellule == "-" and type_depot == TypeDepot.ASSOCIATION:
        attendues.append(f"Le cadre {cadre} ne se dépose qu'en dépôt initial.")
    assert len(erreurs) == len(attendues)
    for erreur, attendue in zip(erreurs, attendues, strict=True):
        assert erreur.startswith(attendue)


def test_messages_de_l_issue():
    assert regles.controler_depot("A5", "fournisseur", "edi", "initial") == [
        "Le cadre A5 ne peut pas être déposé par EDI."
    ]
    assert regles.controler_depot("A23", "fournisseur", "portail", "initial") == [
        "Le cadre A23 ne se dépose qu'à partir d'une pièce existante dans Chorus Pro."
    ]
    assert regles.controler_depot("A1", "fournisseur", "portail", "initial") == [
        "Le cadre A1 n'est pas un cadre de facturation de travaux."
    ]


def test_cadres_par_role_et_colonne_deposant():
    cadres = lire_table("cadres.csv")
    for role in RoleTravaux:
        attendus = {c["code"] for c in cadres if c["famille"] == "travaux" and c["deposant"] == role.value}
        assert set(regles.CADRES_PAR_ROLE[role]) == attendus
    assert set(regles.CADRES_TRAVAUX) == set(DEPOSANT)
    assert {cadre: role.value for cadre, role in regles.ROLE_DU_CADRE.items()} == DEPOSANT


def test_le_csv_des_cadres_reprend_la_matrice_du_deck():
    valeurs = {"Y": "yes", "N": "no", "-": "na"}
    for (cadre, canal, type_depot), cellule in ATTENDU.items():
        assert regles.cellule(cadre, canal, type_depot) == valeurs[cellule], (cadre, canal, type_depot)


def test_chaque_depot_possible_a_son_enchainement():
    for cadre in DEPOSANT:
        for type_depot in TypeDepot:
            possible = any(ATTENDU[cadre, canal, type_depot] == "Y" for canal in CanalDepot)
            if type_depot == TypeDepot.INITIAL:
                assert (regles.enchainement_initial(cadre) is not None) == possible, cadre
            else:
                assert bool(regles.enchainements_association(cadre)) == possible, cadre


# The two flows of the deck and the issue: (cadre, may follow, status of the new piece, status of the previous one)
CHAINES = [
    ("A4", "", "MISE_A_DISPOSITION_MOE", ""),
    ("A15", "A4", "MISE_A_DISPOSITION_MOA", "ASSOCIEE"),
    ("A19", "A15", "MISE_A_DISPOSITION", "ASSOCIEE"),
    ("A7", "", "MISE_A_DISPOSITION_MOE", ""),
    ("A17", "A7", "MISE_A_DISPOSITION_MOA", "ASSOCIEE"),
    ("A20", "A17", "A_ASSOCIER_FOURNISSEUR", "ASSOCIEE"),
    ("A8", "A20", "MISE_A_DISPOSITION", "ASSOCIEE"),
    ("A13", "", "MISE_A_DISPOSITION_MOE", ""),
    ("A14", "", "MISE_A_DISPOSITION_MOE", ""),
    ("A10", "", "MISE_A_DISPOSITION_MOE", ""),
    ("A11", "", "MISE_A_DISPOSITION_MOE", ""),
    ("A22", "", "MISE_A_DISPOSITION_MOE", ""),
    ("A15", "A13", "MISE_A_DISPOSITION_MOA", "ASSOCIEE"),
    ("A17", "A14", "MISE_A_DISPOSITION_MOA", "ASSOCIEE"),
    ("A15", "A10", "MISE_A_DISPOSITION_MOA", "ASSOCIEE"),
    ("A24", "A22", "MISE_A_DISPOSITION_MOA", "ASSOCIEE"),
    ("A25", "A22", "MISE_A_DISPOSITION", "ASSOCIEE"),
    ("A23", "A22", "MISE_A_DISPOSITION", "ASSOCIEE"),
]


@pytest.mark.parametrize(("cadre", "precedente", "statut_piece", "statut_precedente"), CHAINES)
def test_enchainements(cadre, precedente, statut_piece, statut_precedente):
    if precedente:
        enchainement = regles.enchainement_association(cadre, precedente)
    else:
        enchainement = regles.enchainement_initial(cadre)
    assert enchainement is not None
    assert (enchainement.statut_piece, enchainement.statut_precedente) == (statut_piece, statut_precedente)


def test_on_n_associe_pas_n_importe_quoi():
    assert regles.enchainement_association("A19", "A4") is None
    assert regles.enchainement_association("A8", "A17") is None
    assert regles.enchainement_association("A15", "A7") is None
    assert "ASSOCIEE" not in regles.enchainement_association("A15", "A4").statuts_precedente
