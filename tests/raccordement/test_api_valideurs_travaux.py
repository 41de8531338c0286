"""The validator's services (factures/v1 rechercher|consulter/valideur, traiter/factureAValider), the works pieces
(facturesTravaux/v1 rechercher, consulter, refuser) and the public-recipient directory (transverses/v1
rechercher/destinataire, telecharger/annuaire/destinataire), called as the open-source clients call them (the Go
client's fields, Pastell's facturesTravaux loop): exact JSON in, exact fields out, refusals with their message and
field, and another structure's object answering exactly like a missing one."""

import base64
import io
import zipfile
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from facturation.models import DelegationFactures, Facture, FactureHistorique
from organisation.enums import StatutStructure, TypeIdentifiant
from organisation.matelas import siret_fictif
from organisation.models import Service, Structure
from tests.factories import StructureFactory, facture_deposee
from tests.raccordement.test_api_socle import Integrateur, publique
from travaux.enums import RoleTravaux
from travaux.models import DossierFacturation, PieceTravaux

pytestmark = pytest.mark.django_db

RECHERCHER_VALIDEUR = "factures/v1/rechercher/valideur"
CONSULTER_VALIDEUR = "factures/v1/consulter/valideur"
TRAITER = "factures/v1/traiter/factureAValider"
RECHERCHER_TRAVAUX = "facturesTravaux/v1/rechercher"
CONSULTER_TRAVAUX = "facturesTravaux/v1/consulter"
REFUSER_TRAVAUX = "facturesTravaux/v1/refuser"
RECHERCHER_DESTINATAIRE = "transverses/v1/rechercher/destinataire"
ANNUAIRE = "transverses/v1/telecharger/annuaire/destinataire"

MOTIF_NON_CONFORME = "Le motif de refus indiqué ne correspond pas aux critères définis"
INTROUVABLE = {
    "codeRetour": 20003,
    "libelle": "Objet introuvable : il n'existe pas ou n'est pas visible de ce compte technique.",
}


def appels(integrateur, client):
    entetes = integrateur.entetes(client)

    def appeler(chemin, corps=None):
        return integrateur.appeler(client, chemin, corps, **entetes)

    return appeler


def nb_requetes(appel):
    appel()  # the first call creates the technical user: measure the next one
    with CaptureQueriesContext(connection) as requetes:
        reponse = appel()
    assert reponse.status_code == 200, reponse.content
    return len(requetes)


# --- the validator -------------------------------------------------------------------------------------------------


@pytest.fixture
def circuit(db):
    class Circuit:
        titulaire = Integrateur(StructureFactory(raison_sociale="Titulaire Bâtiment"))
        autre_titulaire = Integrateur(StructureFactory(raison_sociale="Autre titulaire"))
        sous_traitant = StructureFactory(raison_sociale="Sous-traitant Plâtrerie")
        commune = publique(raison_sociale="Commune de Valbourg")

        @classmethod
        def facture(cls, valideur=None, **champs):
            champs.setdefault("statut", "A_VALIDER_1")
            champs.setdefault("cadre", "A9")
            return facture_deposee(
                cls.sous_traitant, cls.commune, valideur_1=(valideur or cls.titulaire).structure, **champs
            )

    return Circuit


def test_rechercher_par_valideur(client, circuit):
    facture = circuit.facture(numero="ST-001", numero_engagement="EJ-77")
    circuit.facture(valideur=circuit.autre_titulaire, numero="ST-AUTRE")
    appeler = appels(circuit.titulaire, client)

    reponse = appeler(RECHERCHER_VALIDEUR, {"pagination": {"nbResultatsParPage": 10, "pageResultatDemandee": 1}})

    corps = reponse.json()
    assert reponse.status_code == 200 and (corps["codeRetour"], corps["libelle"]) == (0, "TRA_MSG_00.000")
    assert corps["parametresRetour"] == {"nbResultatsParPage": 10, "pageCourante": 1, "pages": 1, "total": 1}
    [ligne] = corps["listeFactures"]
    assert ligne["idFacture"] == facture.pk and ligne["numeroFacture"] == "ST-001"
    assert (ligne["statut"], ligne["typeDemandePaiement"], ligne["cadreFacturation"]) == (
        "A_VALIDER_1",
        "FACTURE",
        "A9_FACTURE_SOUSTRAITANT",
    )
    assert (ligne["idFournisseur"], ligne["designationFournisseur"]) == (
        circuit.sous_traitant.pk,
        "Sous-traitant Plâtrerie",
    )
    assert (ligne["idDestinataire"], ligne["identifiantDestinataire"]) == (
        circuit.commune.pk,
        circuit.commune.identifiant,
    )
    assert (ligne["idValideur"], ligne["designationValideur"]) == (
        circuit.titulaire.structure.pk,
        "Titulaire Bâtiment",
    )
    assert (ligne["numeroEngagement"], ligne["montantTTC"], ligne["devise"]) == ("EJ-77", 1200.0, "EUR")

    # the portal's criteria: the number, the statuses, the recipient
    assert [
        f["numeroFacture"] for f in appeler(RECHERCHER_VALIDEUR, {"numeroFacture": "ST-001"}).json()["listeFactures"]
    ]
    filtre = appeler(RECHERCHER_VALIDEUR, {"statutCourant": ["REFUSEE_1"], "idDestinataire": circuit.commune.pk})
    assert filtre.json() == {
        "codeRetour": 20000,
        "libelle": "La recherche n'a retourné aucun résultat",
        "listeFactures": [],
        "parametresRetour": {"nbResultatsParPage": 10, "pageCourante": 1, "pages": 1, "total": 0},
    }
    mauvais = appeler(RECHERCHER_VALIDEUR, {"cadreFacturation": "A99"})
    assert mauvais.status_code == 400 and mauvais.json()["champ"] == "cadreFacturation"


def test_rechercher_par_valideur_nombre_de_requetes_constant(client, circuit):
    circuit.facture(numero="ST-000")
    appeler = appels(circuit.titulaire, client)
    une = nb_requetes(lambda: appeler(RECHERCHER_VALIDEUR))
    for n in range(1, 6):
        circuit.facture(numero=f"ST-{n:03d}")
    assert nb_requetes(lambda: appeler(RECHERCHER_VALIDEUR)) == une


def test_consulter_par_valideur_et_la_facture_d_un_autre(client, circuit):
    facture = circuit.facture(numero="ST-002")
    autre = circuit.facture(valideur=circuit.autre_titulaire, numero="ST-AUTRE")
    appeler = appels(circuit.titulaire, client)

    corps = appeler(CONSULTER_VALIDEUR, {"identifiantFactureCPP": facture.pk}).json()

    assert (corps["identifiantFactureCPP"], corps["numeroFacture"], corps["statutCourant"]) == (
        facture.pk,
        "ST-002",
        "A_VALIDER_1",
    )
    assert corps["cadreDeFacturation"]["codeCadreFacturation"] == "A9_FACTURE_SOUSTRAITANT"
    assert corps["cadreDeFacturation"]["valideur1"]["identifiant"] == circuit.titulaire.structure.identifiant
    assert corps["montantTotal"]["montantTtcTotal"] == 1200.0
    invisible = appeler(CONSULTER_VALIDEUR, {"idFacture": autre.pk})
    absente = appeler(CONSULTER_VALIDEUR, {"idFacture": 987654})
    assert invisible.status_code == absente.status_code == 404
    assert invisible.json() == absente.json() == INTROUVABLE


def test_valider(client, circuit):
    facture = circuit.facture(numero="ST-003")
    appeler = appels(circuit.titulaire, client)

    reponse = appeler(TRAITER, {"idFacture": facture.pk, "action": "VALIDATION", "complementInfo": "Conforme"})

    corps = reponse.json()
    assert reponse.status_code == 200
    # validated, then forwarded at once to the recipient (no second validator)
    assert {k: corps[k] for k in ("codeRetour", "idFacture", "numeroFacture", "statutFacture")} == {
        "codeRetour": 0,
        "idFacture": facture.pk,
        "numeroFacture": "ST-003",
        "statutFacture": "MISE_A_DISPOSITION",
    }
    assert corps["dateTraitement"]
    facture.refresh_from_db()
    assert facture.statut == "MISE_A_DISPOSITION" and facture.date_validation_1 is not None
    validation = FactureHistorique.objects.get(facture=facture, vers_statut="VALIDEE_1")
    assert validation.commentaire == "Conforme" and validation.par.nom == circuit.titulaire.compte.login


def test_refuser_motif_obligatoire_puis_refus_definitif(client, circuit):
    facture = circuit.facture(numero="ST-004")
    appeler = appels(circuit.titulaire, client)

    sans_motif = appeler(TRAITER, {"idFacture": facture.pk, "action": "REFUS"})
    assert sans_motif.status_code == 400
    assert sans_motif.json() == {
        "codeRetour": 20002,
        "libelle": "Le motif du refus est obligatoire : il est communiqué au fournisseur.",
        "champ": "motifRefus",
    }
    assert Facture.objects.get(pk=facture.pk).statut == "A_VALIDER_1"

    refus = appeler(
        TRAITER,
        {
            "idFacture": facture.pk,
            "action": "REFUS",
            "motifRefus": "Prestation non réalisée",
            "complementInfo": "Lot 3",
        },
    )
    assert refus.status_code == 200 and refus.json()["statutFacture"] == "REFUSEE_1"
    historique = FactureHistorique.objects.get(facture=facture, vers_statut="REFUSEE_1")
    assert (historique.motif, historique.commentaire) == ("Prestation non réalisée", "Lot 3")

    encore = appeler(TRAITER, {"idFacture": facture.pk, "action": "VALIDATION"})
    assert encore.status_code == 409
    assert encore.json() == {
        "codeRetour": 20005,
        "libelle": "Une facture au statut « Refusée par niveau 1 » ne peut pas être validée.",
    }
    inconnue = appeler(TRAITER, {"idFacture": facture.pk, "action": "VALIDER"})
    assert inconnue.status_code == 400 and inconnue.json()["champ"] == "action"
    sans_action = appeler(TRAITER, {"idFacture": facture.pk})
    assert sans_action.json() == {
        "codeRetour": 20002,
        "libelle": "action : ce champ est obligatoire.",
        "champ": "action",
    }


def test_le_valideur_delegue_traite_a_la_place_du_destinataire(client, circuit):
    delegation = DelegationFactures.objects.create(
        delegant=circuit.commune, delegue=circuit.titulaire.structure, droit="TRAITEMENT"
    )
    facture = circuit.facture(numero="A1-001", cadre="A1", delegation=delegation)
    sous_traitance = circuit.facture(numero="ST-005")
    appeler = appels(circuit.titulaire, client)

    sans_motif = appeler(TRAITER, {"idFacture": facture.pk, "action": "SUSPENSION"})
    assert sans_motif.status_code == 400
    assert sans_motif.json() == {
        "codeRetour": 20002,
        "libelle": "Le motif est obligatoire pour passer la facture au statut « Suspendue ».",
        "champ": "motifRefus",
    }
    paiement = appeler(TRAITER, {"idFacture": facture.pk, "action": "MISE_EN_PAIEMENT"})
    assert paiement.status_code == 200 and paiement.json()["statutFacture"] == "MISE_EN_PAIEMENT"
    assert Facture.objects.get(pk=facture.pk).statut == "MISE_EN_PAIEMENT"

    # a sub-contractor's invoice is validated or refused, never processed in the recipient's place
    refuse = appeler(TRAITER, {"idFacture": sous_traitance.pk, "action": "MISE_EN_PAIEMENT"})
    assert refuse.status_code == 409
    assert (
        refuse.json()["libelle"] == "Vous n'êtes pas habilité à passer cette facture au statut « Mise en paiement »."
    )
    assert Facture.objects.get(pk=sous_traitance.pk).statut == "A_VALIDER_1"


def test_traiter_la_facture_d_un_autre_valideur_est_introuvable(client, circuit):
    autre = circuit.facture(valideur=circuit.autre_titulaire, numero="ST-AUTRE")
    appeler = appels(circuit.titulaire, client)
    for action in ("VALIDATION", "REFUS"):
        invisible = appeler(TRAITER, {"idFacture": autre.pk, "action": action, "motifRefus": "Non"})
        absente = appeler(TRAITER, {"idFacture": 987654, "action": action, "motifRefus": "Non"})
        assert invisible.status_code == absente.status_code == 404 and invisible.json() == absente.json()
    assert Facture.objects.get(pk=autre.pk).statut == "A_VALIDER_1"


# --- works pieces --------------------------------------------------------------------------------------------------

_graine = iter(range(800000, 900000))


def structure(nom, *, est_publique=False):
    return Structure.objects.create(
        type_identifiant=TypeIdentifiant.SIRET,
        identifiant=siret_fictif(next(_graine)),
        raison_sociale=nom,
        est_publique=est_publique,
        statut=StatutStructure.ACTIVE,
    )


@pytest.fixture
def chantier(db):
    class Chantier:
        moe = Integrateur(structure("Cabinet d'architectes Lenoir"))
        autre_moe = Integrateur(structure("Autre cabinet"))
        fournisseur = structure("Bâtiments Durand")
        moa = structure("Commune de Villeneuve", est_publique=True)
        service_moa = Service.objects.create(structure=moa, code="TRAVAUX", libelle="Services techniques")
        dossier = DossierFacturation.objects.create(
            numero="DF-000042",
            numero_marche="M-2026-7",
            fournisseur=fournisseur,
            moe=moe.structure,
            moa=moa,
            service_moa=service_moa,
        )
        dossier_autre = DossierFacturation.objects.create(
            numero="DF-000043", fournisseur=fournisseur, moe=autre_moe.structure, moa=moa
        )

        @classmethod
        def piece(cls, cadre="A4", statut="MISE_A_DISPOSITION_MOE", numero="PDM-1", dossier=None, **champs):
            # as piece_deposer writes it: the dossier's supplier, the MOA as recipient
            dossier = dossier or cls.dossier
            facture = facture_deposee(
                dossier.fournisseur,
                dossier.moa,
                numero=numero,
                cadre=cadre,
                statut=statut,
                service=dossier.service_moa,
                deposee_le=timezone.now() - timedelta(days=2),
                **champs,
            )
            return PieceTravaux.objects.create(facture=facture, dossier=dossier, role_deposant=RoleTravaux.FOURNISSEUR)

    return Chantier


def test_rechercher_factures_travaux_comme_pastell(client, chantier):
    piece = chantier.piece(numero="PDM-1")
    chantier.piece(numero="PDM-AUTRE", dossier=chantier.dossier_autre)
    appeler = appels(chantier.moe, client)

    reponse = appeler(
        RECHERCHER_TRAVAUX,
        {
            "roleUtilisateur": "MOE",
            "rechercheFactureTravaux": {"nbResultatsParPage": 100, "pageResultatDemandee": 1},
            "idDestinataire": chantier.moa.pk,
            "idServiceExecutant": chantier.service_moa.pk,
            "periodeDateHeureEtatCourantDu": "2020-01-01",
            "periodeDateHeureEtatCourantAu": f"{timezone.localdate():%Y-%m-%d}T23:59:59",
            "flagTelecharge": False,
        },
    )

    corps = reponse.json()
    assert reponse.status_code == 200 and corps["codeRetour"] == 0
    assert corps["parametresRetour"] == {"nbResultatsParPage": 100, "pageCourante": 1, "pages": 1, "total": 1}
    [ligne] = corps["listeFacturesTravaux"]
    # the fields Pastell's connector reads
    assert {
        k: ligne[k]
        for k in (
            "idFactureTravaux",
            "numeroFactureTravaux",
            "identifiantFournisseur",
            "typeIdentifiantFournisseur",
            "designationFournisseur",
            "idDestinataire",
            "identifiantDestinataire",
            "idServiceExecutant",
            "identifiantServiceExecutant",
            "montantTTC",
            "statutFactureTravaux",
        )
    } == {
        "idFactureTravaux": piece.facture_id,
        "numeroFactureTravaux": "PDM-1",
        "identifiantFournisseur": chantier.fournisseur.identifiant,
        "typeIdentifiantFournisseur": "SIRET",
        "designationFournisseur": "Bâtiments Durand",
        "idDestinataire": chantier.moa.pk,
        "identifiantDestinataire": chantier.moa.identifiant,
        "idServiceExecutant": chantier.service_moa.pk,
        "identifiantServiceExecutant": "TRAVAUX",
        "montantTTC": 1200.0,
        "statutFactureTravaux": "MISE_A_DISPOSITION_MOE",
    }
    assert (ligne["numeroDossierFacturation"], ligne["cadreFacturation"], ligne["roleUtilisateur"]) == (
        "DF-000042",
        "A4_PROJET_DECOMPTE_MENSUEL_FOURNISSEUR",
        "MOE",
    )
    assert ligne["dateDepot"] and ligne["dateHeureEtatCourant"] and ligne["dateFactureTravaux"]


def test_rechercher_factures_travaux_sans_resultat_code_20007(client, chantier):
    chantier.piece()
    appeler = appels(chantier.moe, client)
    for corps in (
        {"roleUtilisateur": "MOA"},
        {"flagTelecharge": True},
        {"periodeDateHeureEtatCourantDu": "2999-01-01"},
    ):
        reponse = appeler(RECHERCHER_TRAVAUX, corps)
        assert reponse.status_code == 200
        assert reponse.json() == {
            "codeRetour": 20007,
            "libelle": "La recherche n'a retourné aucun résultat",
            "listeFacturesTravaux": [],
            "parametresRetour": {"nbResultatsParPage": 10, "pageCourante": 1, "pages": 1, "total": 0},
        }
    mauvais_role = appeler(RECHERCHER_TRAVAUX, {"roleUtilisateur": "VALIDATEUR"})
    assert mauvais_role.status_code == 400 and mauvais_role.json() == {
        "codeRetour": 20002,
        "libelle": "roleUtilisateur : « VALIDATEUR » inconnu (FOURNISSEUR, MOE, MOA).",
        "champ": "roleUtilisateur",
    }
    mauvais_drapeau = appeler(RECHERCHER_TRAVAUX, {"flagTelecharge": "oui"})
    assert mauvais_drapeau.status_code == 400 and mauvais_drapeau.json()["champ"] == "flagTelecharge"


def test_rechercher_factures_travaux_toutes_les_pages_et_requetes_constantes(client, chantier):
    chantier.piece(numero="PDM-00")
    appeler = appels(chantier.moe, client)
    une = nb_requetes(lambda: appeler(RECHERCHER_TRAVAUX))
    for n in range(1, 7):
        chantier.piece(numero=f"PDM-{n:02d}")
    assert nb_requetes(lambda: appeler(RECHERCHER_TRAVAUX)) == une
    numeros, page = [], 1
    while True:
        corps = appeler(
            RECHERCHER_TRAVAUX,
            {
                "rechercheFactureTravaux": {
                    "nbResultatsParPage": 3,
                    "pageResultatDemandee": page,
                    "triColonne": "NumeroFactureTravaux",
                }
            },
        ).json()
        numeros += [p["numeroFactureTravaux"] for p in corps["listeFacturesTravaux"]]
        if corps["parametresRetour"]["pageCourante"] >= corps["parametresRetour"]["pages"]:
            break
        page += 1
    assert numeros == [f"PDM-{n:02d}" for n in range(7)]


def test_consulter_facture_travaux(client, chantier):
    piece = chantier.piece(numero="PDM-7")
    autre = chantier.piece(numero="PDM-AUTRE", dossier=chantier.dossier_autre)
    appeler = appels(chantier.moe, client)

    corps = appeler(CONSULTER_TRAVAUX, {"idFactureTravaux": piece.facture_id}).json()

    assert {
        k: corps[k]
        for k in (
            "codeRetour",
            "idFactureTravaux",
            "numeroFactureTravaux",
            "numeroDossierFacturation",
            "numeroMarche",
            "cadreFacturation",
            "statutFactureTravaux",
            "libelleStatutFactureTravaux",
            "roleDeposant",
            "piecePrecedente",
            "pieceSuivante",
        )
    } == {
        "codeRetour": 0,
        "idFactureTravaux": piece.facture_id,
        "numeroFactureTravaux": "PDM-7",
        "numeroDossierFacturation": "DF-000042",
        "numeroMarche": "M-2026-7",
        "cadreFacturation": "A4_PROJET_DECOMPTE_MENSUEL_FOURNISSEUR",
        "statutFactureTravaux": "MISE_A_DISPOSITION_MOE",
        "libelleStatutFactureTravaux": "Mise à disposition de la MOE",
        "roleDeposant": "fournisseur",
        "piecePrecedente": None,
        "pieceSuivante": None,
    }
    assert corps["moe"]["identifiant"] == chantier.moe.structure.identifiant
    assert (corps["moa"]["identifiant"], corps["moa"]["codeService"]) == (chantier.moa.identifiant, "TRAVAUX")
    assert [h["histoStatutCode"] for h in corps["historiquesDesStatuts"]["histoStatut"]] == ["MISE_A_DISPOSITION_MOE"]
    assert corps["montantTotal"]["montantTtcTotal"] == 1200.0
    invisible = appeler(CONSULTER_TRAVAUX, {"idFactureTravaux": autre.facture_id})
    absente = appeler(CONSULTER_TRAVAUX, {"idFactureTravaux": 987654})
    assert invisible.status_code == absente.status_code == 404 and invisible.json() == absente.json() == INTROUVABLE
    # an invoice that is not a works piece is not found here either
    facture = facture_deposee(chantier.moe.structure, chantier.moa, numero="F-1")
    assert appeler(CONSULTER_TRAVAUX, {"idFactureTravaux": facture.pk}).json() == INTROUVABLE


def test_refuser_sur_a4_seulement_mauvaise_moe_ou_mauvaise_moa(client, chantier):
    piece = chantier.piece(numero="PDM-8")
    appeler = appels(chantier.moe, client)

    for motif in ("Erreur de montant", "Autre motif sans erreur du montant", "Autre motif"):
        reponse = appeler(REFUSER_TRAVAUX, {"idFactureTravaux": piece.facture_id, "motifRefus": motif})
        assert reponse.status_code == 400, motif
        assert reponse.json() == {"codeRetour": 20002, "libelle": MOTIF_NON_CONFORME, "champ": "motifRefus"}
    assert Facture.objects.get(pk=piece.facture_id).statut == "MISE_A_DISPOSITION_MOE"

    sans_motif = appeler(REFUSER_TRAVAUX, {"idFactureTravaux": piece.facture_id})
    assert sans_motif.json() == {
        "codeRetour": 20002,
        "libelle": "motifRefus : ce champ est obligatoire.",
        "champ": "motifRefus",
    }

    ok = appeler(
        REFUSER_TRAVAUX,
        {"idFactureTravaux": piece.facture_id, "motifRefus": "Mauvaise MOE", "commentaire": "Pas notre chantier"},
    )
    corps = ok.json()
    assert ok.status_code == 200
    assert {
        k: corps[k] for k in ("codeRetour", "idFactureTravaux", "numeroFactureTravaux", "statutFactureTravaux")
    } == {
        "codeRetour": 0,
        "idFactureTravaux": piece.facture_id,
        "numeroFactureTravaux": "PDM-8",
        "statutFactureTravaux": "ERREUR_FOURNISSEUR_SUR_MOE",
    }
    historique = FactureHistorique.objects.filter(facture_id=piece.facture_id).latest("pk")
    assert (historique.action, historique.motif, historique.commentaire) == (
        "refuserFactureTravaux",
        "Mauvaise MOE",
        "Pas notre chantier",
    )

    encore = appeler(REFUSER_TRAVAUX, {"idFactureTravaux": piece.facture_id, "motifRefus": "Mauvaise MOA"})
    assert encore.status_code == 422
    assert encore.json() == {
        "codeRetour": 20005,
        "libelle": "Action « Refuser » impossible au statut « Refusée par la MOE pour erreur dans les données "
        "d'acheminement ».",
    }


def test_refuser_un_a13_autre_motif_mais_pas_erreur_de_montant(client, chantier):
    piece = chantier.piece(cadre="A13", numero="PDM-CT-1")
    appeler = appels(chantier.moe, client)
    montant = appeler(REFUSER_TRAVAUX, {"idFactureTravaux": piece.facture_id, "motifRefus": "Erreur de montant"})
    assert montant.status_code == 400 and montant.json()["libelle"] == MOTIF_NON_CONFORME
    autre = appeler(
        REFUSER_TRAVAUX, {"idFactureTravaux": piece.facture_id, "motifRefus": "Autre motif", "roleUtilisateur": "MOE"}
    )
    assert autre.status_code == 200 and autre.json()["statutFactureTravaux"] == "REFUSEE_MOE"


def test_refuser_la_piece_d_un_autre_est_introuvable(client, chantier):
    autre = chantier.piece(numero="PDM-AUTRE", dossier=chantier.dossier_autre)
    appeler = appels(chantier.moe, client)
    invisible = appeler(REFUSER_TRAVAUX, {"idFactureTravaux": autre.facture_id, "motifRefus": "Mauvaise MOE"})
    absente = appeler(REFUSER_TRAVAUX, {"idFactureTravaux": 987654, "motifRefus": "Mauvaise MOE"})
    assert invisible.status_code == absente.status_code == 404 and invisible.json() == absente.json() == INTROUVABLE
    assert Facture.objects.get(pk=autre.facture_id).statut == "MISE_A_DISPOSITION_MOE"


def test_le_fournisseur_ne_refuse_pas_la_piece_que_detient_la_moe(client, chantier):
    piece = chantier.piece(numero="PDM-9")
    fournisseur = Integrateur(chantier.fournisseur)
    reponse = fournisseur.appeler(
        client, REFUSER_TRAVAUX, {"idFactureTravaux": piece.facture_id, "motifRefus": "Autre motif"}
    )
    assert reponse.status_code == 422
    assert reponse.json()["libelle"] == "Action « Refuser » impossible au statut « Mise à disposition de la MOE »."


# --- the public-recipient directory --------------------------------------------------------------------------------


@pytest.fixture
def annuaire(db):
    class Annuaire:
        valbourg = publique(raison_sociale="Commune de Valbourg")
        departement = publique(raison_sociale="Département du Nord")
        privee = StructureFactory(raison_sociale="Entreprise privée de Valbourg")
        integrateur = Integrateur()

    Structure.objects.filter(pk=Annuaire.valbourg.pk).update(code_postal="59000", ville="Valbourg")
    Service.objects.create(structure=Annuaire.valbourg, code="FINANCES", libelle="Direction des finances")
    return Annuaire


def test_rechercher_destinataire(client, annuaire):
    appeler = appels(annuaire.integrateur, client)

    par_siren = appeler(RECHERCHER_DESTINATAIRE, {"identifiant": annuaire.valbourg.identifiant[:9]}).json()
    assert par_siren["listeDestinataires"] == [
        {
            "idStructureCPP": annuaire.valbourg.pk,
            "siret": annuaire.valbourg.identifiant,
            "typeIdentifiantStructure": "SIRET",
            "nomDestinataire": "Commune de Valbourg",
            "adresseCodePostal": "59000",
            "adresseVille": "Valbourg",
            "nombreServicesActifs": 1,
        }
    ]
    assert par_siren["codeRetour"] == 0 and par_siren["parametresRetour"]["total"] == 1
    # a private structure is never in the directory, even when its name matches
    par_nom = appeler(RECHERCHER_DESTINATAIRE, {"nomVilleCodePostal": "valbourg"}).json()
    assert [d["nomDestinataire"] for d in par_nom["listeDestinataires"]] == ["Commune de Valbourg"]
    par_ville = appeler(RECHERCHER_DESTINATAIRE, {"nomVilleCodePostal": "590"}).json()
    assert [d["idStructureCPP"] for d in par_ville["listeDestinataires"]] == [annuaire.valbourg.pk]
    tous = appeler(
        RECHERCHER_DESTINATAIRE,
        {"parametresRecherche": {"nbResultatsParPage": 1, "pageResultatDemandee": 2, "triColonne": "RaisonSociale"}},
    ).json()
    assert tous["parametresRetour"]["pageCourante"] == 2 and len(tous["listeDestinataires"]) == 1
    assert appeler(RECHERCHER_DESTINATAIRE, {"identifiant": "00000000000000"}).json()["codeRetour"] == 20000
    privees = appeler(RECHERCHER_DESTINATAIRE, {"typeStructure": "PRIVEE"}).json()
    assert (privees["codeRetour"], privees["listeDestinataires"]) == (20000, [])


def test_telecharger_annuaire_destinataire(client, annuaire):
    reponse = annuaire.integrateur.appeler(client, ANNUAIRE, {})

    corps = reponse.json()
    assert reponse.status_code == 200 and corps["codeRetour"] == 0
    assert corps["nomFichier"] == f"annuaire-destinataires-{timezone.localdate():%Y%m%d}.zip"
    with zipfile.ZipFile(io.BytesIO(base64.b64decode(corps["fichierResultat"]))) as archive:
        [nom] = archive.namelist()
        xml = archive.read(nom).decode()
    assert nom.endswith(".xml") and xml.startswith("<?xml")
    assert f"<identifiantStructure>{annuaire.valbourg.identifiant}</identifiantStructure>" in xml
    assert "<raisonSociale>Département du Nord</raisonSociale>" in xml
    assert "<codeService>FINANCES</codeService>" in xml
    assert annuaire.privee.identifiant not in xml and annuaire.integrateur.structure.identifiant not in xml
