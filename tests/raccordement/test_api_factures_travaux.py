"""The works services of facturesTravaux/v1 beyond rechercher, consulter and refuser: rechercher/atraiter,
consulter/dossierfacturation, completer and recycler, on pieces deposited through the works deposit service
(A4 → A15 → A19) and processed by the payer through the invoice processing service, as the portal does. What the
client sees, the status the piece page shows afterwards, refusals naming their field with nothing saved, a status
that forbids the action, and another structure's piece or dossier answering exactly like a missing one."""

import base64

import pytest
from django.test import Client
from django.urls import reverse

from facturation.enums import StatutFacture
from facturation.models import Facture, FactureHistorique, PieceJointeFacture
from facturation.services.traitement import facture_traiter
from organisation.enums import Application, Niveau
from organisation.models import Service
from raccordement.api.valeurs import date_api
from tests.conftest import connecter
from tests.factories import UtilisateurFactory, rattacher
from tests.raccordement.test_api_socle import Integrateur
from tests.raccordement.test_api_valideurs_travaux import INTROUVABLE, appels, nb_requetes
from tests.travaux.conftest import Chantier
from tests.travaux.test_depot import associer, initial

pytestmark = pytest.mark.django_db

A_TRAITER = "facturesTravaux/v1/rechercher/atraiter"
DOSSIER = "facturesTravaux/v1/consulter/dossierfacturation"
COMPLETER = "facturesTravaux/v1/completer"
RECYCLER = "facturesTravaux/v1/recycler"
AJOUTER_FICHIER = "transverses/v1/ajouter/fichier"
AUCUN_RESULTAT = {
    "codeRetour": 20007,
    "libelle": "La recherche n'a retourné aucun résultat",
    "listeFacturesTravaux": [],
    "parametresRetour": {"nbResultatsParPage": 10, "pageCourante": 1, "pages": 1, "total": 0},
}


@pytest.fixture
def chantier(db):
    chantier = Chantier()
    chantier.api_fournisseur = Integrateur(chantier.fournisseur)
    chantier.api_moe = Integrateur(chantier.moe)
    chantier.api_etranger = Integrateur(chantier.etrangere)
    chantier.payeur = UtilisateurFactory()
    rattacher(chantier.payeur, chantier.moa, (Application.FACTURES_RECUES, Niveau.MODIFICATION))
    return chantier


def chaine(chantier, numero="1"):
    """A4 by the supplier, A15 by the MOE, A19 by the MOA: the A19 reaches the payer."""
    a4 = initial(chantier, numero=f"PDM-{numero}")
    a15 = associer(chantier.u_moe, "moe", "A15", a4, f"EA-{numero}")
    a19 = associer(chantier.u_moa, "moa", "A19", a15, f"EAV-{numero}")
    return a4, a15, a19


def au_payeur(chantier, piece, statut, motif=""):
    facture = Facture.objects.get(pk=piece.facture_id)
    facture_traiter(facture=facture, par=chantier.payeur, statut_cible=statut, motif=motif)
    return facture


def statut(piece):
    return Facture.objects.get(pk=piece.facture_id).statut


def statut_de_la_page(user, piece):
    """The status badge of the piece page, as the user sees it on the portal."""
    navigateur = connecter(Client(), user)
    page = navigateur.get(reverse("travaux:dossier_piece", args=[piece.pk]))
    assert page.status_code == 200
    contenu = page.content.decode()
    debut = contenu.index('id="statut-piece">') + len('id="statut-piece">')
    return contenu[debut : contenu.index("<", debut)].strip()


# --- rechercher/atraiter -------------------------------------------------------------------------------------------


def test_a_traiter_la_synthese_de_chaque_acteur(client, chantier):
    a4 = initial(chantier, numero="PDM-1")
    moe = appels(chantier.api_moe, client)

    corps = moe(A_TRAITER, {"rechercheFactureTravaux": {"triSens": "Descendant"}}).json()

    assert corps["codeRetour"] == 0
    assert corps["parametresRetour"] == {"nbResultatsParPage": 10, "pageCourante": 1, "pages": 1, "total": 1}
    [ligne] = corps["listeFacturesTravaux"]
    assert (ligne["idFactureTravaux"], ligne["numeroFactureTravaux"], ligne["statutFactureTravaux"]) == (
        a4.facture_id,
        "PDM-1",
        "MISE_A_DISPOSITION_MOE",
    )
    assert (ligne["roleUtilisateur"], ligne["numeroDossierFacturation"]) == ("MOE", a4.dossier.numero)
    assert (ligne["idDestinataire"], ligne["identifiantServiceExecutant"]) == (chantier.moa.pk, "TRAVAUX")
    assert moe(A_TRAITER, {"idStructure": chantier.moe.pk, "roleUtilisateur": "MOE"}).json()["listeFacturesTravaux"]
    assert moe(A_TRAITER, {"roleUtilisateur": "MOA"}).json() == AUCUN_RESULTAT

    # the supplier has nothing to do on a piece the MOE holds; after the MOE's refusal, it has its rejection
    fournisseur = appels(chantier.api_fournisseur, client)
    assert fournisseur(A_TRAITER).json() == AUCUN_RESULTAT
    refus = moe("facturesTravaux/v1/refuser", {"idFactureTravaux": a4.facture_id, "motifRefus": "Mauvaise MOE"})
    assert refus.status_code == 200
    [rejet] = fournisseur(A_TRAITER).json()["listeFacturesTravaux"]
    assert (rejet["idFactureTravaux"], rejet["statutFactureTravaux"], rejet["roleUtilisateur"]) == (
        a4.facture_id,
        "ERREUR_FOURNISSEUR_SUR_MOE",
        "FOURNISSEUR",
    )


def test_a_traiter_d_une_autre_structure_et_mauvaises_donnees(client, chantier):
    initial(chantier, numero="PDM-1")
    etranger = appels(chantier.api_etranger, client)
    assert etranger(A_TRAITER).json() == AUCUN_RESULTAT
    # another structure's filter is not found, like a missing one
    autre = etranger(A_TRAITER, {"idStructure": chantier.moe.pk})
    absente = etranger(A_TRAITER, {"idStructure": 987654})
    assert autre.status_code == absente.status_code == 404 and autre.json() == absente.json() == INTROUVABLE

    moe = appels(chantier.api_moe, client)
    for corps, champ in (
        ({"roleUtilisateur": "PAYEUR"}, "roleUtilisateur"),
        ({"idStructure": "moe"}, "idStructure"),
        ({"flagTelecharge": "non"}, "flagTelecharge"),
        ({"rechercheFactureTravaux": {"triColonne": "Montant"}}, "rechercheFactureTravaux.triColonne"),
    ):
        reponse = moe(A_TRAITER, corps)
        assert reponse.status_code == 400 and reponse.json()["champ"] == champ, corps


def test_a_traiter_nombre_de_requetes_constant(client, chantier):
    initial(chantier, numero="PDM-0")
    moe = appels(chantier.api_moe, client)
    une = nb_requetes(lambda: moe(A_TRAITER))
    for n in range(1, 6):
        initial(chantier, numero=f"PDM-{n}")
    assert nb_requetes(lambda: moe(A_TRAITER)) == une
    assert moe(A_TRAITER).json()["parametresRetour"]["total"] == 6


# --- consulter/dossierfacturation ----------------------------------------------------------------------------------


def test_consulter_le_dossier_de_facturation(client, chantier):
    a4, a15, a19 = chaine(chantier)
    moe = appels(chantier.api_moe, client)

    corps = moe(DOSSIER, {"idDossierFacturation": a4.dossier_id}).json()

    assert corps["codeRetour"] == 0
    assert (corps["idDossierFacturation"], corps["numeroDossierFacturation"]) == (a4.dossier_id, a4.dossier.numero)
    assert (corps["fournisseur"]["identifiant"], corps["moe"]["identifiant"]) == (
        chantier.fournisseur.identifiant,
        chantier.moe.identifiant,
    )
    assert (corps["moa"]["identifiant"], corps["moa"]["codeService"]) == (chantier.moa.identifiant, "TRAVAUX")
    pieces = corps["listeFactureTravaux"]
    assert [(p["numeroFactureTravaux"], p["statutFactureTravaux"], p["roleDeposant"]) for p in pieces] == [
        ("PDM-1", "ASSOCIEE", "fournisseur"),
        ("EA-1", "ASSOCIEE", "moe"),
        ("EAV-1", "MISE_A_DISPOSITION", "moa"),
    ]
    assert [p["idFactureTravauxPrecedente"] for p in pieces] == [None, a4.facture_id, a15.facture_id]
    assert pieces[2]["cadreFacturation"] == "A19_ETAT_ACOMPTE_VALIDE_MOA"
    assert [h["histoStatutCode"] for h in pieces[0]["historiqueDemandePaiement"]["histoStatut"]] == [
        "DEPOSEE",
        "MISE_A_DISPOSITION_MOE",
        "ASSOCIEE",
    ]
    assert pieces[0]["montantTTC"] == 12000.0 and pieces[0]["listePiecesJointes"] == []
    # the dossier's number finds it too
    par_numero = moe(DOSSIER, {"numeroDossierFacturation": a4.dossier.numero}).json()
    assert par_numero["idDossierFacturation"] == a4.dossier_id


def test_consulter_le_dossier_d_une_autre_structure_et_mauvaises_donnees(client, chantier):
    a4 = initial(chantier, numero="PDM-1")
    etranger = appels(chantier.api_etranger, client)
    for corps in ({"idDossierFacturation": a4.dossier_id}, {"numeroDossierFacturation": a4.dossier.numero}):
        invisible = etranger(DOSSIER, corps)
        assert invisible.status_code == 404 and invisible.json() == INTROUVABLE
    absent = etranger(DOSSIER, {"idDossierFacturation": 987654})
    assert absent.status_code == 404 and absent.json() == INTROUVABLE

    moe = appels(chantier.api_moe, client)
    sans = moe(DOSSIER, {})
    assert sans.status_code == 400 and sans.json() == {
        "codeRetour": 20002,
        "libelle": "idDossierFacturation : ce champ est obligatoire.",
        "champ": "idDossierFacturation",
    }
    mauvais = moe(DOSSIER, {"idDossierFacturation": "DF-1"})
    assert mauvais.status_code == 400 and mauvais.json()["champ"] == "idDossierFacturation"


def test_consulter_le_dossier_nombre_de_requetes_constant(client, chantier):
    a4, _a15, _a19 = chaine(chantier)
    moe = appels(chantier.api_moe, client)
    une = nb_requetes(lambda: moe(DOSSIER, {"idDossierFacturation": a4.dossier_id}))
    associer(chantier.u_moe, "moe", "A15", initial(chantier, numero="PDM-X"), "EA-X")
    assert nb_requetes(lambda: moe(DOSSIER, {"idDossierFacturation": a4.dossier_id})) == une


# --- completer ------------------------------------------------------------------------------------------------------


def _fichier(appeler, nom="attestation.pdf"):
    reponse = appeler(
        AJOUTER_FICHIER,
        {"pieceJointeFichier": base64.b64encode(b"%PDF-1.4 attestation").decode(), "pieceJointeNom": nom},
    )
    assert reponse.status_code == 200, reponse.content
    return reponse.json()["pieceJointeId"]


def test_completer_une_piece_suspendue_par_le_payeur(client, chantier):
    a4, _a15, a19 = chaine(chantier)
    au_payeur(chantier, a19, StatutFacture.SUSPENDUE, motif="Pièce justificative manquante")
    assert statut_de_la_page(chantier.u_fournisseur, a19) == "Suspendue"
    fournisseur = appels(chantier.api_fournisseur, client)
    jointe = _fichier(fournisseur)

    reponse = fournisseur(
        COMPLETER,
        {
            "idFactureTravaux": a19.facture_id,
            "commentaire": "Attestation jointe",
            "pieceJointeComplementaire": [
                {"pieceJointeComplementaireDesignation": "Attestation", "pieceJointeComplementaireId": jointe}
            ],
        },
    )

    corps = reponse.json()
    assert reponse.status_code == 200, corps
    champs = ("codeRetour", "idFactureTravaux", "numeroFactureTravaux", "statutFactureTravaux")
    assert {k: corps[k] for k in champs} == {
        "codeRetour": 0,
        "idFactureTravaux": a19.facture_id,
        "numeroFactureTravaux": "EAV-1",
        "statutFactureTravaux": "COMPLETEE",
    }
    assert corps["dateTraitement"]
    assert statut_de_la_page(chantier.u_fournisseur, a19) == "Complétée"
    historique = FactureHistorique.objects.filter(facture_id=a19.facture_id).latest("pk")
    assert (historique.de_statut, historique.vers_statut) == ("SUSPENDUE", "COMPLETEE")
    assert historique.commentaire.startswith("Attestation jointe")
    # the dossier shows the new attachment and the history
    dossier = appels(chantier.api_moe, client)(DOSSIER, {"idDossierFacturation": a4.dossier_id}).json()
    derniere = dossier["listeFactureTravaux"][-1]
    assert [pj["pieceJointeNom"] for pj in derniere["listePiecesJointes"]] == ["attestation.pdf"]
    assert [h["histoStatutCode"] for h in derniere["historiqueDemandePaiement"]["histoStatut"]][-2:] == [
        "SUSPENDUE",
        "COMPLETEE",
    ]


def test_completer_mauvaises_donnees_rien_n_est_enregistre(client, chantier):
    _a4, _a15, a19 = chaine(chantier)
    au_payeur(chantier, a19, StatutFacture.SUSPENDUE, motif="Pièce justificative manquante")
    fournisseur = appels(chantier.api_fournisseur, client)

    vide = fournisseur(COMPLETER, {"idFactureTravaux": a19.facture_id})
    assert vide.status_code == 400 and vide.json() == {
        "codeRetour": 20002,
        "libelle": "Ajoutez un commentaire ou au moins une pièce jointe pour compléter la facture.",
        "champ": "commentaire",
    }
    mauvaise_pj = fournisseur(
        COMPLETER,
        {
            "idFactureTravaux": a19.facture_id,
            "commentaire": "Voir pièce",
            "pieceJointeComplementaire": [{"pieceJointeComplementaireId": "pj"}],
        },
    )
    assert mauvaise_pj.status_code == 400
    assert mauvaise_pj.json()["champ"] == "pieceJointeComplementaire[0].pieceJointeComplementaireId"
    sans_id = fournisseur(COMPLETER, {"commentaire": "Voir pièce"})
    assert sans_id.status_code == 400 and sans_id.json()["champ"] == "idFactureTravaux"
    # a document of another structure is not found, and nothing is joined
    autre_pj = _fichier(appels(chantier.api_etranger, client))
    etrangere = fournisseur(
        COMPLETER,
        {
            "idFactureTravaux": a19.facture_id,
            "commentaire": "Voir pièce",
            "pieceJointeComplementaire": [{"pieceJointeComplementaireId": autre_pj}],
        },
    )
    assert etrangere.status_code == 404 and etrangere.json() == INTROUVABLE
    assert statut(a19) == "SUSPENDUE"
    assert not PieceJointeFacture.objects.filter(facture_id=a19.facture_id).exists()


def test_completer_un_statut_qui_ne_le_permet_pas(client, chantier):
    a4, _a15, a19 = chaine(chantier)
    fournisseur = appels(chantier.api_fournisseur, client)
    for piece, libelle in ((a19, "Mise à disposition du destinataire"), (a4, "Associée")):
        reponse = fournisseur(COMPLETER, {"idFactureTravaux": piece.facture_id, "commentaire": "Complément"})
        assert reponse.status_code == 409
        assert reponse.json() == {
            "codeRetour": 20005,
            "libelle": f"Action « Compléter » impossible au statut « {libelle} ».",
        }
    assert statut(a19) == "MISE_A_DISPOSITION"
    # the MOE sees the suspended piece but does not act for its supplier
    au_payeur(chantier, a19, StatutFacture.SUSPENDUE, motif="Pièce justificative manquante")
    moe = appels(chantier.api_moe, client)(COMPLETER, {"idFactureTravaux": a19.facture_id, "commentaire": "Vu"})
    assert moe.status_code == 409 and moe.json()["libelle"] == (
        "Vous n'êtes pas habilité à effectuer l'action « Compléter »."
    )
    assert statut(a19) == "SUSPENDUE"


def test_completer_la_piece_d_une_autre_structure_est_introuvable(client, chantier):
    _a4, _a15, a19 = chaine(chantier)
    au_payeur(chantier, a19, StatutFacture.SUSPENDUE, motif="Pièce justificative manquante")
    etranger = appels(chantier.api_etranger, client)
    invisible = etranger(COMPLETER, {"idFactureTravaux": a19.facture_id, "commentaire": "Complément"})
    absente = etranger(COMPLETER, {"idFactureTravaux": 987654, "commentaire": "Complément"})
    assert invisible.status_code == absente.status_code == 404 and invisible.json() == absente.json() == INTROUVABLE
    assert statut(a19) == "SUSPENDUE"


# --- recycler -------------------------------------------------------------------------------------------------------


@pytest.fixture
def a_recycler(chantier):
    _a4, _a15, a19 = chaine(chantier)
    chantier.service_finances = Service.objects.create(structure=chantier.moa, code="FINANCES", libelle="Finances")
    au_payeur(chantier, a19, StatutFacture.A_RECYCLER)
    return a19


def test_recycler_une_piece_a_recycler(client, chantier, a_recycler):
    assert statut_de_la_page(chantier.u_fournisseur, a_recycler) == "À recycler"
    fournisseur = appels(chantier.api_fournisseur, client)

    reponse = fournisseur(
        RECYCLER,
        {
            "idFactureTravaux": a_recycler.facture_id,
            "destinataire": {"codeDestinataire": chantier.moa.identifiant, "codeServiceExecutant": "FINANCES"},
        },
    )

    corps = reponse.json()
    assert reponse.status_code == 200, corps
    assert (corps["codeRetour"], corps["idFactureTravaux"], corps["statutFactureTravaux"]) == (
        0,
        a_recycler.facture_id,
        "MISE_A_DISPOSITION",
    )
    facture = Facture.objects.get(pk=a_recycler.facture_id)
    assert (facture.destinataire, facture.service_destinataire) == (chantier.moa, chantier.service_finances)
    assert statut_de_la_page(chantier.u_fournisseur, a_recycler) == "Mise à disposition du destinataire"
    historique = facture.historique.latest("pk")
    assert (historique.de_statut, historique.vers_statut, historique.commentaire) == (
        "A_RECYCLER",
        "MISE_A_DISPOSITION",
        "Code service : TRAVAUX → FINANCES",
    )


def test_recycler_mauvaises_donnees_rien_n_est_enregistre(client, chantier, a_recycler):
    fournisseur = appels(chantier.api_fournisseur, client)
    inconnu = fournisseur(
        RECYCLER, {"idFactureTravaux": a_recycler.facture_id, "destinataire": {"codeServiceExecutant": "INCONNU"}}
    )
    assert inconnu.status_code == 400
    corps = inconnu.json()
    assert corps["champ"] == "destinataire.codeServiceExecutant" and "INCONNU" in corps["libelle"]
    assert [e["champ"] for e in corps["listeErreurs"]] == ["destinataire.codeServiceExecutant"]
    for mauvais, champ in (
        ({"destinataire": "FINANCES"}, "destinataire"),
        ({"destinataire": {"codeServiceExecutant": ["FINANCES"]}}, "destinataire.codeServiceExecutant"),
        ({"reference": {"numeroBonCommande": {"n": 1}}}, "reference.numeroBonCommande"),
    ):
        reponse = fournisseur(RECYCLER, {"idFactureTravaux": a_recycler.facture_id, **mauvais})
        assert reponse.status_code == 400 and reponse.json()["champ"] == champ, mauvais
    # nothing changed: the same data is no recycling (a rule of the process, 422)
    rien = fournisseur(RECYCLER, {"idFactureTravaux": a_recycler.facture_id})
    assert rien.status_code == 422 and rien.json()["codeRetour"] == 20005
    facture = Facture.objects.get(pk=a_recycler.facture_id)
    assert (facture.statut, facture.service_destinataire) == ("A_RECYCLER", chantier.service_moa)


def test_recycler_un_statut_qui_ne_le_permet_pas(client, chantier):
    _a4, _a15, a19 = chaine(chantier)
    Service.objects.create(structure=chantier.moa, code="FINANCES", libelle="Finances")
    au_payeur(chantier, a19, StatutFacture.SUSPENDUE, motif="Pièce justificative manquante")
    reponse = appels(chantier.api_fournisseur, client)(
        RECYCLER, {"idFactureTravaux": a19.facture_id, "destinataire": {"codeServiceExecutant": "FINANCES"}}
    )
    assert reponse.status_code == 409
    assert reponse.json() == {
        "codeRetour": 20005,
        "libelle": "Action « Recycler » impossible au statut « Suspendue ».",
    }
    assert Facture.objects.get(pk=a19.facture_id).service_destinataire == chantier.service_moa


def test_recycler_la_piece_d_une_autre_structure_est_introuvable(client, chantier, a_recycler):
    etranger = appels(chantier.api_etranger, client)
    corps = {"destinataire": {"codeServiceExecutant": "FINANCES"}}
    invisible = etranger(RECYCLER, {"idFactureTravaux": a_recycler.facture_id, **corps})
    absente = etranger(RECYCLER, {"idFactureTravaux": 987654, **corps})
    assert invisible.status_code == absente.status_code == 404 and invisible.json() == absente.json() == INTROUVABLE
    assert statut(a_recycler) == "A_RECYCLER"


# --- demander/recyclage ---------------------------------------------------------------------------------------------

DEMANDER_RECYCLAGE = "facturesTravaux/v1/demander/recyclage"
MOTIF_RECYCLAGE = "Service exécutant erroné : la pièce relève du service FINANCES."


@pytest.fixture
def a15_chez_la_moa(chantier):
    """A4 by the supplier to the MOA's service TRAVAUX, A15 by the MOE: the MOA holds the A15."""
    chantier.api_moa = Integrateur(chantier.moa)
    a4 = initial(chantier, numero="PDM-R")
    a15 = associer(chantier.u_moe, "moe", "A15", a4, "EA-R")
    chantier.service_finances = Service.objects.create(structure=chantier.moa, code="FINANCES", libelle="Finances")
    return a4, a15


def test_demander_le_recyclage_puis_le_fournisseur_recycle(client, chantier, a15_chez_la_moa):
    a4, a15 = a15_chez_la_moa
    moa = appels(chantier.api_moa, client)

    reponse = moa(DEMANDER_RECYCLAGE, {"idFactureTravaux": a15.facture_id, "commentaire": MOTIF_RECYCLAGE})

    corps = reponse.json()
    assert reponse.status_code == 200, corps
    historique = FactureHistorique.objects.get(facture_id=a4.facture_id, action="demanderRecyclagePiecePrecedente")
    assert corps == {
        "codeRetour": 0,
        "libelle": corps["libelle"],
        "idFactureTravaux": a4.facture_id,
        "numeroFactureTravaux": "PDM-R",
        "statut": "EN_ATTENTE_RECYCLAGE_FOURNISSEUR",
        "dateTraitement": date_api(historique.le),
    }
    assert (historique.de_statut, historique.commentaire) == ("ASSOCIEE", MOTIF_RECYCLAGE)
    assert statut(a15) == "MISE_A_DISPOSITION_MOA"
    assert statut_de_la_page(chantier.u_fournisseur, a4) == "En attente de recyclage par le fournisseur"
    # the dossier read by the supplier shows it too
    dossier = appels(chantier.api_fournisseur, client)(DOSSIER, {"idDossierFacturation": a4.dossier_id}).json()
    assert {p["idFactureTravaux"]: p["statutFactureTravaux"] for p in dossier["listeFactureTravaux"]}[
        a4.facture_id
    ] == "EN_ATTENTE_RECYCLAGE_FOURNISSEUR"

    # the supplier recycles it with facturesTravaux/v1/recycler: it reaches the payer
    recyclee = appels(chantier.api_fournisseur, client)(
        RECYCLER, {"idFactureTravaux": a4.facture_id, "destinataire": {"codeServiceExecutant": "FINANCES"}}
    )
    assert recyclee.status_code == 200, recyclee.json()
    assert recyclee.json()["statutFactureTravaux"] == "MISE_A_DISPOSITION"
    facture = Facture.objects.get(pk=a4.facture_id)
    assert facture.service_destinataire == chantier.service_finances
    assert facture.historique.latest("pk").de_statut == "EN_ATTENTE_RECYCLAGE_FOURNISSEUR"
    au_payeur(chantier, a4, StatutFacture.SERVICE_FAIT)
    assert statut(a4) == "SERVICE_FAIT"


def test_demander_le_recyclage_mauvaises_donnees_rien_n_est_enregistre(client, chantier, a15_chez_la_moa):
    a4, a15 = a15_chez_la_moa
    moa = appels(chantier.api_moa, client)
    for mauvais, champ_attendu in (
        ({"idFactureTravaux": a15.facture_id}, "commentaire"),
        ({"idFactureTravaux": a15.facture_id, "commentaire": "   "}, "commentaire"),
        ({"idFactureTravaux": a15.facture_id, "commentaire": ["motif"]}, "commentaire"),
        ({"idFactureTravaux": a15.facture_id, "commentaire": "x" * 2001}, "commentaire"),
        ({"idFactureTravaux": "quinze", "commentaire": MOTIF_RECYCLAGE}, "idFactureTravaux"),
    ):
        reponse = moa(DEMANDER_RECYCLAGE, mauvais)
        corps = reponse.json()
        assert reponse.status_code == 400 and corps["champ"] == champ_attendu, (mauvais, corps)
        assert champ_attendu in corps["libelle"] or "motif" in corps["libelle"].lower()
    assert statut(a4) == "ASSOCIEE"
    assert not FactureHistorique.objects.filter(action="demanderRecyclagePiecePrecedente").exists()


def test_demander_le_recyclage_un_statut_qui_ne_le_permet_pas(client, chantier, a15_chez_la_moa):
    a4, a15 = a15_chez_la_moa
    # the A4 follows no piece; the MOE no longer holds the A15; twice is once too many
    seule = initial(chantier, numero="PDM-S")
    reponse = appels(chantier.api_moe, client)(
        DEMANDER_RECYCLAGE, {"idFactureTravaux": seule.facture_id, "commentaire": MOTIF_RECYCLAGE}
    )
    assert reponse.status_code == 409 and reponse.json()["codeRetour"] == 20005
    assert "ne fait suite à aucune pièce" in reponse.json()["libelle"]
    corps = {"idFactureTravaux": a15.facture_id, "commentaire": MOTIF_RECYCLAGE}
    assert appels(chantier.api_moe, client)(DEMANDER_RECYCLAGE, corps).status_code == 409
    assert appels(chantier.api_moa, client)(DEMANDER_RECYCLAGE, corps).status_code == 200
    deuxieme = appels(chantier.api_moa, client)(DEMANDER_RECYCLAGE, corps)
    assert deuxieme.status_code == 409
    assert deuxieme.json()["libelle"] == (
        "Action « Demander le recyclage de la pièce précédente » impossible : la pièce précédente n° PDM-R a le "
        "statut « En attente de recyclage par le fournisseur »."
    )
    assert FactureHistorique.objects.filter(action="demanderRecyclagePiecePrecedente").count() == 1


def test_demander_le_recyclage_d_une_autre_structure_est_introuvable(client, chantier, a15_chez_la_moa):
    a4, a15 = a15_chez_la_moa
    etranger = appels(chantier.api_etranger, client)
    invisible = etranger(DEMANDER_RECYCLAGE, {"idFactureTravaux": a15.facture_id, "commentaire": MOTIF_RECYCLAGE})
    absente = etranger(DEMANDER_RECYCLAGE, {"idFactureTravaux": 987654, "commentaire": MOTIF_RECYCLAGE})
    assert invisible.status_code == absente.status_code == 404 and invisible.json() == absente.json() == INTROUVABLE
    assert statut(a4) == "ASSOCIEE"
