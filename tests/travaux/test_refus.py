"""Refusing a works piece: every row of travaux/regles/travaux_refus.csv through the service, on the portal and
through the API, « Erreur de montant », and who may refuse."""

import csv
import itertools
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from chorus.exceptions import ApplicationError
from facturation.models import Facture, FactureHistorique
from organisation.enums import Application, Niveau, StatutStructure, TypeIdentifiant
from organisation.matelas import siret_fictif
from organisation.models import Service, Structure
from tests.factories import UtilisateurFactory, rattacher
from travaux import refus
from travaux.enums import RoleTravaux
from travaux.models import DossierFacturation, PieceTravaux
from travaux.services.refus import CorrectionMontantsDemandee, PieceNonAccessible, piece_refuser

pytestmark = pytest.mark.django_db

MESSAGE_MOTIF_NON_CONFORME = "Le motif de refus indiqué ne correspond pas aux critères définis"
TABLE = Path(refus.__file__).resolve().parent / "regles" / "travaux_refus.csv"
with open(TABLE, encoding="utf-8", newline="") as _f:
    LIGNES = list(csv.DictReader(_f))

# Where each actor holds the piece it may refuse, and who deposited it.
STATUT_EN_MAIN = {
    "moe": "MISE_A_DISPOSITION_MOE",
    "moa": "MISE_A_DISPOSITION_MOA",
    "fournisseur": "A_ASSOCIER_FOURNISSEUR",
}
DEPOSANT = {"moe": RoleTravaux.FOURNISSEUR, "moa": RoleTravaux.MOE, "fournisseur": RoleTravaux.MOA}
ACTEURS = ("fournisseur", "moe", "moa")
_compteur = itertools.count(1)


# --- test data, built with the ORM --------------------------------------------------------------------------------


def structure(nom):
    n = next(_compteur)
    return Structure.objects.create(
        type_identifiant=TypeIdentifiant.SIRET,
        identifiant=siret_fictif(700000 + n),
        raison_sociale=f"{nom} {n}",
        est_publique=True,
        statut=StatutStructure.ACTIVE,
    )


def utilisateur(structure_, application=Application.FACTURES_TRAVAUX, niveau=Niveau.MODIFICATION, service=None):
    user = UtilisateurFactory()
    rattacher(user, structure_, (application, niveau, service))
    return user


class Chantier:
    """A supplier, a MOE and a MOA, one user for each (FACTURES_TRAVAUX modification), and an outsider."""

    def __init__(self):
        self.fournisseur, self.moe, self.moa = structure("Entreprise"), structure("MOE"), structure("MOA")
        self.structures = {"fournisseur": self.fournisseur, "moe": self.moe, "moa": self.moa}
        self.users = {acteur: utilisateur(s) for acteur, s in self.structures.items()}
        self.etranger = utilisateur(structure("Autre"))
        self.dossier = DossierFacturation.objects.create(
            numero=f"DF-{next(_compteur):06d}", fournisseur=self.fournisseur, moe=self.moe, moa=self.moa
        )

    def piece(self, cadre, statut, role=RoleTravaux.FOURNISSEUR, dossier=None):
        # As piece_deposer writes it: whoever deposits, the invoice's supplier is the dossier's, its recipient the MOA.
        dossier = dossier or self.dossier
        facture = Facture.objects.create(
            numero=f"T-{next(_compteur):05d}",
            cadre=cadre,
            fournisseur=dossier.fournisseur,
            destinataire=dossier.moa,
            statut=statut,
            deposee_le=timezone.now() - timedelta(days=3),
            statut_depuis=timezone.now() - timedelta(days=2),
        )
        return PieceTravaux.objects.create(facture=facture, dossier=dossier, role_deposant=role)


@pytest.fixture
def chantier(db):
    return Chantier()


def etat(piece):
    facture = Facture.objects.get(pk=piece.facture_id)
    return facture.statut, facture.statut_depuis, FactureHistorique.objects.filter(facture=facture).count()


# --- the table ----------------------------------------------------------------------------------------------------


def test_chaque_effet_du_tableau_est_un_statut_connu():
    for ligne in refus.LIGNES:
        if ligne["effet"] == refus.EFFET_CORRECTION:
            assert ligne["cible"] == refus.CORRECTION
        elif ligne["effet"] == refus.EFFET_IMPOSSIBLE:
            assert ligne["cible"] is None
        else:
            assert Facture(statut=ligne["cible"]).get_statut_display() == ligne["effet"]


def test_motifs_proposes_sur_a4_a_la_moe():
    assert refus.motifs_proposes("A4", "moe", "portail") == ["Mauvaise MOE", "Mauvaise MOA", "Erreur de montant"]
    assert refus.motifs_proposes("A4", "moe", "service") == ["Mauvaise MOE", "Mauvaise MOA"]


def test_motifs_proposes_ailleurs():
    assert refus.motifs_proposes("A13", "moe", "portail") == [
        "Erreur de montant",
        "Mauvaise MOE",
        "Mauvaise MOA",
        "Autre motif",
    ]
    assert refus.motifs_proposes("A13", "moe", "service") == ["Mauvaise MOE", "Mauvaise MOA", "Autre motif"]
    assert refus.motifs_proposes("A18", "fournisseur", "portail") == ["Autre motif"]
    assert refus.motifs_proposes("A15", "moa", "service") == ["Mauvaise MOA", "Autre motif"]
    # A cadre an actor does not receive offers nothing.
    assert refus.motifs_proposes("A4", "moa", "portail") == []
    assert refus.motifs_proposes("A15", "moe", "portail") == []


def test_effet_des_motifs_de_l_a4():
    assert refus.effet("A4", "moe", "Mauvaise MOE", "portail") == "ERREUR_FOURNISSEUR_SUR_MOE"
    assert refus.effet("A4", "moe", "Mauvaise MOA", "service") == "ERREUR_FOURNISSEUR_SUR_MOA"
    assert refus.effet("A4", "moe", "Erreur de montant", "portail") == refus.CORRECTION
    for motif, canal in [
        ("Erreur de montant", "service"),
        ("Autre motif sans erreur du montant", "portail"),
        ("Autre motif sans erreur du montant", "service"),
        ("Autre motif", "portail"),
        ("", "portail"),
    ]:
        with pytest.raises(refus.MotifNonConforme) as erreur:
            refus.effet("A4", "moe", motif, canal)
        assert erreur.value.message == MESSAGE_MOTIF_NON_CONFORME
        assert erreur.value.champ == "motif"


# --- every row through the service --------------------------------------------------------------------------------


def _id(ligne):
    return f"{ligne['cadre']}-{ligne['acteur']}-{ligne['motif']}"


@pytest.mark.parametrize("canal", ["portail", "service"])
@pytest.mark.parametrize("ligne", LIGNES, ids=_id)
def test_chaque_ligne_du_tableau(chantier, ligne, canal):
    acteur = ligne["acteur"]
    piece = chantier.piece(ligne["cadre"], STATUT_EN_MAIN[acteur], DEPOSANT[acteur])
    avant = etat(piece)
    autorise = ligne["autorise_portail" if canal == "portail" else "autorise_api"] == "yes"
    appel = {"piece": piece, "par": chantier.users[acteur], "acteur": acteur, "motif": ligne["motif"]}
    appel["canal"] = canal

    if not autorise or ligne["effet"] == "refus impossible avec ce motif":
        with pytest.raises(ApplicationError) as erreur:
            piece_refuser(**appel)
        assert erreur.value.message == MESSAGE_MOTIF_NON_CONFORME
        assert etat(piece) == avant
    elif ligne["effet"] == "ouvre la fenêtre de correction":
        with pytest.raises(CorrectionMontantsDemandee):
            piece_refuser(**appel)
        assert etat(piece) == avant
    else:
        historique = piece_refuser(**appel, commentaire="  Voir le courrier du 3 mars  ")
        facture = Facture.objects.get(pk=piece.facture_id)
        assert facture.get_statut_display() == ligne["effet"]
        assert facture.statut_depuis > avant[1]
        ligne_historique = FactureHistorique.objects.get(facture=facture)
        assert ligne_historique == historique
        assert (ligne_historique.de_statut, ligne_historique.vers_statut) == (STATUT_EN_MAIN[acteur], facture.statut)
        assert ligne_historique.motif == ligne["motif"]
        assert ligne_historique.commentaire == "Voir le courrier du 3 mars"
        assert ligne_historique.par == chantier.users[acteur]
        # The caller's object follows.
        assert piece.facture.statut == facture.statut


def test_erreur_de_montant_au_portail_ne_change_rien(chantier):
    piece = chantier.piece("A4", "MISE_A_DISPOSITION_MOE")
    avant = etat(piece)
    with pytest.raises(CorrectionMontantsDemandee) as erreur:
        piece_refuser(piece=piece, par=chantier.users["moe"], acteur="moe", motif="Erreur de montant")
    assert "corrigez les montants" in erreur.value.message
    assert "pièce suivante" in erreur.value.message
    assert isinstance(erreur.value, ApplicationError)
    assert etat(piece) == avant


@pytest.mark.parametrize("cadre", ["A4", "A13", "A7", "A14"])
def test_erreur_de_montant_par_l_api(chantier, cadre):
    piece = chantier.piece(cadre, "MISE_A_DISPOSITION_MOE")
    avant = etat(piece)
    with pytest.raises(ApplicationError) as erreur:
        piece_refuser(piece=piece, par=chantier.users["moe"], acteur="moe", motif="Erreur de montant", canal="service")
    assert not isinstance(erreur.value, CorrectionMontantsDemandee)
    assert erreur.value.message == MESSAGE_MOTIF_NON_CONFORME
    assert erreur.value.champ == "motif"
    assert etat(piece) == avant


@pytest.mark.parametrize("canal", ["portail", "service"])
def test_a4_la_moe_ne_refuse_que_pour_mauvaise_moe_ou_mauvaise_moa(chantier, canal):
    moe = chantier.users["moe"]
    for motif in ["Autre motif sans erreur du montant", "Autre motif", "Mauvaise maîtrise d'œuvre"]:
        piece = chantier.piece("A4", "MISE_A_DISPOSITION_MOE")
        with pytest.raises(ApplicationError) as erreur:
            piece_refuser(piece=piece, par=moe, acteur="moe", motif=motif, canal=canal)
        assert erreur.value.message == MESSAGE_MOTIF_NON_CONFORME
        assert Facture.objects.get(pk=piece.facture_id).statut == "MISE_A_DISPOSITION_MOE"

    piece = chantier.piece("A4", "MISE_A_DISPOSITION_MOE")
    piece_refuser(piece=piece, par=moe, acteur="moe", motif="Mauvaise MOE", canal=canal)
    facture = Facture.objects.get(pk=piece.facture_id)
    assert facture.get_statut_display() == "Refusée par la MOE pour erreur dans les données d'acheminement"

    piece = chantier.piece("A4", "PRISE_EN_COMPTE_MOE")
    piece_refuser(piece=piece, par=moe, acteur="moe", motif="Mauvaise MOA", canal=canal)
    facture = Facture.objects.get(pk=piece.facture_id)
    assert facture.get_statut_display() == "Refusée par la MOE pour mauvaise maîtrise d'ouvrage"


# --- the piece must be in the actor's hands -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "acteur,cadre,statut",
    [
        ("moe", "A4", "DEPOSEE"),
        ("moe", "A4", "MISE_A_DISPOSITION_MOA"),
        ("moe", "A4", "REFUSEE_MOE"),
        ("moe", "A4", "ASSOCIEE"),
        ("moa", "A15", "MISE_A_DISPOSITION_MOE"),
        ("moa", "A15", "REFUSEE_MOA"),
        ("fournisseur", "A20", "MISE_A_DISPOSITION_MOA"),
    ],
)
def test_statut_ou_l_acteur_ne_tient_pas_la_piece(chantier, acteur, cadre, statut):
    piece = chantier.piece(cadre, statut)
    avant = etat(piece)
    with pytest.raises(ApplicationError) as erreur:
        piece_refuser(piece=piece, par=chantier.users[acteur], acteur=acteur, motif="Autre motif")
    assert "impossible au statut" in erreur.value.message
    assert etat(piece) == avant


# --- who may refuse -----------------------------------------------------------------------------------------------


CAS_REFUSABLES = [("moe", "A13", "MISE_A_DISPOSITION_MOE"), ("moa", "A15", "MISE_A_DISPOSITION_MOA"),
                  ("fournisseur", "A20", "A_ASSOCIER_FOURNISSEUR")]  # fmt: skip


@pytest.mark.parametrize("acteur,cadre,statut", CAS_REFUSABLES)
def test_matrice_des_acteurs(chantier, acteur, cadre, statut):
    """Only the user of the actor's structure refuses; the two other actors and an outsider get PieceNonAccessible
    (a 404 in the views) and nothing changes."""
    piece = chantier.piece(cadre, statut, DEPOSANT[acteur])
    avant = etat(piece)
    intrus = [chantier.users[autre] for autre in ACTEURS if autre != acteur] + [chantier.etranger]
    for user in intrus:
        with pytest.raises(PieceNonAccessible):
            piece_refuser(piece=piece, par=user, acteur=acteur, motif="Autre motif")
        assert etat(piece) == avant

    piece_refuser(piece=piece, par=chantier.users[acteur], acteur=acteur, motif="Autre motif")
    assert etat(piece)[0] != avant[0]


def test_un_acteur_ne_se_fait_pas_passer_pour_un_autre(chantier):
    """The supplier's user, entitled on its own structure, cannot refuse as the MOE; nor with an unknown actor."""
    piece = chantier.piece("A4", "MISE_A_DISPOSITION_MOE")
    avant = etat(piece)
    for acteur in ["moe", "moa", "sous-traitant", "n'importe quoi"]:
        with pytest.raises(PieceNonAccessible):
            piece_refuser(piece=piece, par=chantier.users["fournisseur"], acteur=acteur, motif="Mauvaise MOE")
    assert etat(piece) == avant


def test_un_dossier_sans_moe_n_a_pas_de_moe_qui_refuse(chantier):
    dossier = DossierFacturation.objects.create(
        numero="DF-SANS-MOE", fournisseur=chantier.fournisseur, moa=chantier.moa
    )
    piece = chantier.piece("A4", "MISE_A_DISPOSITION_MOE", dossier=dossier)
    with pytest.raises(PieceNonAccessible):
        piece_refuser(piece=piece, par=chantier.users["moe"], acteur="moe", motif="Mauvaise MOE")


@pytest.mark.parametrize(
    "application,niveau",
    [
        (Application.FACTURES_TRAVAUX, Niveau.CONSULTATION),
        (Application.FACTURES_RECUES, Niveau.MODIFICATION),
        (Application.FACTURES_EMISES, Niveau.MODIFICATION),
    ],
)
def test_il_faut_factures_de_travaux_en_modification(chantier, application, niveau):
    piece = chantier.piece("A4", "MISE_A_DISPOSITION_MOE")
    user = utilisateur(chantier.moe, application, niveau)
    with pytest.raises(PieceNonAccessible):
        piece_refuser(piece=piece, par=user, acteur="moe", motif="Mauvaise MOE")
    assert Facture.objects.get(pk=piece.facture_id).statut == "MISE_A_DISPOSITION_MOE"


def test_le_service_de_la_moe_compte(chantier):
    """A user entitled for one service of the MOE refuses the pieces of that service only."""
    service, autre = (
        Service.objects.create(structure=chantier.moe, code=code, libelle=code) for code in ["SRV-A", "SRV-B"]
    )
    chantier.dossier.service_moe = service
    chantier.dossier.save(update_fields=["service_moe"])
    piece = chantier.piece("A4", "MISE_A_DISPOSITION_MOE")

    with pytest.raises(PieceNonAccessible):
        piece_refuser(piece=piece, par=utilisateur(chantier.moe, service=autre), acteur="moe", motif="Mauvaise MOE")
    piece_refuser(piece=piece, par=utilisateur(chantier.moe, service=service), acteur="moe", motif="Mauvaise MOE")
    assert Facture.objects.get(pk=piece.facture_id).statut == "ERREUR_FOURNISSEUR_SUR_MOE"


def test_commentaire_trop_long(chantier):
    piece = chantier.piece("A13", "MISE_A_DISPOSITION_MOE")
    with pytest.raises(ApplicationError) as erreur:
        piece_refuser(
            piece=piece, par=chantier.users["moe"], acteur="moe", motif="Autre motif", commentaire="x" * 2001
        )
    assert erreur.value.champ == "commentaire"
    assert Facture.objects.get(pk=piece.facture_id).statut == "MISE_A_DISPOSITION_MOE"
