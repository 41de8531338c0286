"""« Traiter le rejet » on works pieces: every status of travaux/regles/traiter_le_rejet.csv, several cadres at once,
the message for the others, and who may do it."""

import csv
from pathlib import Path

import pytest

from chorus.exceptions import ApplicationError
from facturation.enums import ActionUtilisateur
from facturation.models import Facture, FactureAction
from organisation.enums import Application, Niveau
from tests.travaux.test_refus import Chantier, utilisateur
from travaux import rejets
from travaux.enums import RoleTravaux
from travaux.rejets import rejets_traiter
from travaux.services.refus import PieceNonAccessible

pytestmark = pytest.mark.django_db

# tables/messages.csv traiter_rejet_statut_non_eligible, character for character.
MESSAGE = (
    "Des factures n'ont pu être traitées en raison de leur statut. Seuls les statuts suivants sont pris en compte par "
    "le bouton Traiter le rejet : Rejetée, Refusée par la MOA pour un autre motif, Refusée par la MOE pour un autre "
    "motif, Refusée par le fournisseur, Refusée par niveau 1, Refusée par niveau 2"
)
with open(Path(rejets.TABLE), encoding="utf-8", newline="") as _f:
    LIGNES = list(csv.DictReader(_f))

ELIGIBLES = [
    "Rejetée",
    "Refusée par niveau 1",
    "Refusée par niveau 2",
    "Refusée par la MOE pour un autre motif",
    "Refusée par la MOA pour un autre motif",
    "Refusée par le fournisseur",
    "Refusée par la MOE pour erreur dans les données d'acheminement",
    "Refusée par la MOA pour erreur dans les données d'acheminement",
]
# Statuses the table does not list are not eligible either.
AUTRES_NON_ELIGIBLES = ["MISE_A_DISPOSITION_MOA", "PRISE_EN_COMPTE_MOE", "ASSOCIEE", "A_ASSOCIER_FOURNISSEUR"]


@pytest.fixture
def chantier(db):
    return Chantier()


def traitement(piece):
    facture = Facture.objects.get(pk=piece.facture_id)
    actions = FactureAction.objects.filter(facture=facture, code=ActionUtilisateur.TRAITEMENT_REJET)
    return facture.rejet_traite_le, list(actions.values_list("par", flat=True))


def test_le_tableau_reprend_la_reference():
    assert [ligne["libelle"] for ligne in LIGNES if ligne["eligible"] == "yes"] == ELIGIBLES
    for ligne in LIGNES:
        assert Facture(statut=ligne["statut"]).get_statut_display() == ligne["libelle"]
    eligibles = {ligne["statut"] for ligne in LIGNES if ligne["eligible"] == "yes"}
    assert eligibles == rejets.STATUTS_ELIGIBLES


def test_le_message_est_celui_de_chorus_pro_mot_pour_mot():
    assert rejets.MESSAGE_NON_ELIGIBLE == MESSAGE


@pytest.mark.parametrize("ligne", LIGNES, ids=lambda ligne: ligne["statut"])
def test_chaque_statut_du_tableau(chantier, ligne):
    piece = chantier.piece("A4", ligne["statut"])
    fournisseur = chantier.users["fournisseur"]
    resultat = rejets_traiter(par=fournisseur, pieces=[piece])

    if ligne["eligible"] == "yes":
        assert [f.pk for f in resultat.traitees] == [piece.facture_id]
        assert resultat.non_eligibles == []
        assert resultat.message_non_eligibles == ""
        traite_le, par = traitement(piece)
        assert traite_le is not None and par == [fournisseur.pk]
    else:
        assert resultat.traitees == []
        assert [f.pk for f in resultat.non_eligibles] == [piece.facture_id]
        assert resultat.message_non_eligibles == MESSAGE
        assert traitement(piece) == (None, [])
    assert Facture.objects.get(pk=piece.facture_id).statut == ligne["statut"]


@pytest.mark.parametrize("statut", AUTRES_NON_ELIGIBLES)
def test_un_statut_absent_du_tableau_n_est_pas_eligible(chantier, statut):
    piece = chantier.piece("A4", statut)
    resultat = rejets_traiter(par=chantier.users["fournisseur"], pieces=[piece.pk])
    assert resultat.message_non_eligibles == MESSAGE
    assert traitement(piece) == (None, [])


def test_les_statuts_d_acheminement_sont_eligibles_bien_que_le_message_les_taise(chantier):
    pieces = [chantier.piece("A4", "ERREUR_FOURNISSEUR_SUR_MOE"), chantier.piece("A7", "ERREUR_FOURNISSEUR_SUR_MOE")]
    resultat = rejets_traiter(par=chantier.users["fournisseur"], pieces=pieces)
    assert len(resultat.traitees) == 2
    assert "acheminement" not in MESSAGE


def test_plusieurs_cadres_a_la_fois(chantier):
    """A mixed selection: the eligible pieces of every cadre are processed, the others left and reported."""
    fournisseur = chantier.users["fournisseur"]
    eligibles = [
        chantier.piece("A4", "REFUSEE_MOE"),
        chantier.piece("A7", "ERREUR_FOURNISSEUR_SUR_MOE"),
        chantier.piece("A13", "REJETEE"),
        chantier.piece("A8", "REFUSEE_1"),
    ]
    non_eligibles = [chantier.piece("A4", "ERREUR_FOURNISSEUR_SUR_MOA"), chantier.piece("A14", "SUSPENDUE")]
    resultat = rejets_traiter(par=fournisseur, pieces=eligibles + non_eligibles)

    assert sorted(f.pk for f in resultat.traitees) == sorted(p.facture_id for p in eligibles)
    assert sorted(f.pk for f in resultat.non_eligibles) == sorted(p.facture_id for p in non_eligibles)
    assert resultat.message_non_eligibles == MESSAGE
    for piece in eligibles:
        assert traitement(piece)[1] == [fournisseur.pk]
    for piece in non_eligibles:
        assert traitement(piece) == (None, [])


def test_la_moe_traite_le_rejet_de_ses_propres_pieces(chantier):
    """The « supplier side » is the piece's depositor: the MOE processes the A15 the MOA refused."""
    a15 = chantier.piece("A15", "REFUSEE_MOA", RoleTravaux.MOE)
    a17 = chantier.piece("A17", "ERREUR_MOE_SUR_MOA", RoleTravaux.MOE)
    resultat = rejets_traiter(par=chantier.users["moe"], pieces=[a15, a17])
    assert len(resultat.traitees) == 2


def test_la_moa_traite_le_refus_de_son_decompte_general_par_le_fournisseur(chantier):
    a20 = chantier.piece("A20", "REFUSEE_FOURNISSEUR", RoleTravaux.MOA)
    with pytest.raises(PieceNonAccessible):
        rejets_traiter(par=chantier.users["fournisseur"], pieces=[a20])
    assert traitement(a20) == (None, [])
    resultat = rejets_traiter(par=chantier.users["moa"], pieces=[a20])
    assert [f.pk for f in resultat.traitees] == [a20.facture_id]


@pytest.mark.parametrize("qui", ["fournisseur", "moa"])
def test_seule_la_moe_traite_le_rejet_de_son_etat_d_acompte(chantier, qui):
    a15 = chantier.piece("A15", "REFUSEE_MOA", RoleTravaux.MOE)
    with pytest.raises(PieceNonAccessible):
        rejets_traiter(par=chantier.users[qui], pieces=[a15])
    assert traitement(a15) == (None, [])


def test_le_cotraitant_est_du_cote_du_fournisseur(chantier):
    a13 = chantier.piece("A13", "REFUSEE_1", RoleTravaux.COTRAITANT)
    assert a13.cote_deposant == RoleTravaux.FOURNISSEUR
    with pytest.raises(PieceNonAccessible):
        rejets_traiter(par=chantier.users["moe"], pieces=[a13])
    assert len(rejets_traiter(par=chantier.users["fournisseur"], pieces=[a13]).traitees) == 1


def test_deja_traite_n_est_pas_traite_deux_fois(chantier):
    piece = chantier.piece("A4", "REFUSEE_MOE")
    fournisseur = chantier.users["fournisseur"]
    rejets_traiter(par=fournisseur, pieces=[piece])
    premier = traitement(piece)
    resultat = rejets_traiter(par=fournisseur, pieces=[piece])
    assert resultat.traitees == [] and resultat.non_eligibles == []
    assert traitement(piece) == premier


def test_une_piece_d_une_autre_structure_ne_change_rien(chantier):
    """One piece the user may not act on in the selection: nothing at all is processed (views answer 404)."""
    autre = Chantier()
    mienne = chantier.piece("A4", "REFUSEE_MOE")
    etrangere = autre.piece("A4", "REFUSEE_MOE")
    with pytest.raises(PieceNonAccessible):
        rejets_traiter(par=chantier.users["fournisseur"], pieces=[mienne, etrangere])
    assert traitement(mienne) == (None, [])
    assert traitement(etrangere) == (None, [])


@pytest.mark.parametrize("qui", ["moe", "moa", "etranger"])
def test_les_autres_acteurs_et_un_etranger_ne_traitent_pas_le_rejet_du_fournisseur(chantier, qui):
    piece = chantier.piece("A4", "REFUSEE_MOE")
    user = chantier.etranger if qui == "etranger" else chantier.users[qui]
    with pytest.raises(PieceNonAccessible):
        rejets_traiter(par=user, pieces=[piece])
    assert traitement(piece) == (None, [])


@pytest.mark.parametrize(
    "application,niveau",
    [
        (Application.FACTURES_TRAVAUX, Niveau.CONSULTATION),
        (Application.FACTURES_EMISES, Niveau.MODIFICATION),
    ],
)
def test_il_faut_factures_de_travaux_en_modification(chantier, application, niveau):
    piece = chantier.piece("A4", "REFUSEE_MOE")
    with pytest.raises(PieceNonAccessible):
        rejets_traiter(par=utilisateur(chantier.fournisseur, application, niveau), pieces=[piece])
    assert traitement(piece) == (None, [])


def test_une_piece_inconnue_ne_change_rien(chantier):
    piece = chantier.piece("A4", "REFUSEE_MOE")
    with pytest.raises(PieceNonAccessible):
        rejets_traiter(par=chantier.users["fournisseur"], pieces=[piece.pk, 999999])
    assert traitement(piece) == (None, [])


def test_une_selection_vide_est_refusee(chantier):
    with pytest.raises(ApplicationError) as erreur:
        rejets_traiter(par=chantier.users["fournisseur"], pieces=[])
    assert erreur.value.champ == "pieces"
