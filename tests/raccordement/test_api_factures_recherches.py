"""The last factures/v1 services (chorus-pro-api.md §2.1): corriger/valideur/facture, rechercher/demandePaiement,
the three rechercher/atraiter lists and recuperer/statutsFactureVisibles/valideur, called with the Go client's and
the CPP spec's field names: exact fields out, refusals naming their field, another structure's invoice absent."""

from datetime import timedelta

import pytest
from django.utils import timezone

from facturation.models import Facture, FactureHistorique
from organisation.models import Service
from tests.factories import StructureFactory, facture_deposee
from tests.raccordement.test_api_socle import Integrateur, publique
from tests.raccordement.test_api_valideurs_travaux import INTROUVABLE, appels, nb_requetes
from travaux.enums import RoleTravaux
from travaux.models import DossierFacturation, PieceTravaux

pytestmark = pytest.mark.django_db

CORRIGER = "factures/v1/corriger/valideur/facture"
DEMANDES = "factures/v1/rechercher/demandePaiement"
A_TRAITER_FOURNISSEUR = "factures/v1/rechercher/atraiter/fournisseur"
A_TRAITER_RECIPIENDAIRE = "factures/v1/rechercher/atraiter/recipiendaire"
A_TRAITER_VALIDEUR = "factures/v1/rechercher/atraiter/valideur"
STATUTS_VALIDEUR = "factures/v1/recuperer/statutsFactureVisibles/valideur"
AUCUN = (20000, "La recherche n'a retourné aucun résultat")


@pytest.fixture
def monde(db):
    class Monde:
        fournisseur = Integrateur(StructureFactory(raison_sociale="Plâtrerie Martin"))
        autre_fournisseur = Integrateur(StructureFactory(raison_sociale="Autre fournisseur"))
        commune = Integrateur(publique(raison_sociale="Commune de Valbourg"))
        autre_commune = Integrateur(publique(raison_sociale="Commune voisine"))
        titulaire = Integrateur(StructureFactory(raison_sociale="Titulaire Bâtiment"))
        bon_titulaire = StructureFactory(raison_sociale="Bon titulaire")

        @classmethod
        def facture(cls, statut="MISE_A_DISPOSITION", fournisseur=None, destinataire=None, **champs):
            return facture_deposee(
                (fournisseur or cls.fournisseur).structure,
                (destinataire or cls.commune).structure,
                statut=statut,
                **champs,
            )

        @classmethod
        def sous_traitance(cls, statut="A_VALIDER_1", **champs):
            return cls.facture(statut, cadre="A9", valideur_1=cls.titulaire.structure, **champs)

    return Monde


# --- corrigerValideurFacture ---------------------------------------------------------------------------------------


def test_corriger_le_valideur_par_siret(client, monde):
    facture = monde.sous_traitance(numero="ST-001", deposee_le=timezone.now() - timedelta(days=5))
    appeler = appels(monde.fournisseur, client)

    reponse = appeler(
        CORRIGER,
        {
            "idFacture": facture.pk,
            "identifiantStructure": monde.bon_titulaire.identifiant,
            "typeIdentifiantStructure": "SIRET",
        },
    )

    corps = reponse.json()
    assert reponse.status_code == 200, corps
    assert (corps["codeRetour"], corps["idFacture"], corps["numeroFacture"], corps["statutFacture"]) == (
        0,
        facture.pk,
        "ST-001",
        "A_VALIDER_1",
    )
    assert (corps["idStructureValideur"], corps["identifiantStructureValideur"]) == (
        monde.bon_titulaire.pk,
        monde.bon_titulaire.identifiant,
    )
    facture.refresh_from_db()
    assert facture.valideur_1_id == monde.bon_titulaire.pk
    assert facture.statut_depuis > timezone.now() - timedelta(minutes=1)  # the 15-day clock starts over
    ligne = FactureHistorique.objects.get(facture=facture, action="corrigerValideurFacture")
    assert "Titulaire Bâtiment" in ligne.commentaire and "Bon titulaire" in ligne.commentaire

    # the new validator now finds it in its « à traiter » list; the former one no longer does
    assert appels(monde.titulaire, client)(A_TRAITER_VALIDEUR).json()["listeFactures"] == []


def test_corriger_le_valideur_par_id_de_structure(client, monde):
    facture = monde.sous_traitance()
    reponse = appels(monde.fournisseur, client)(
        CORRIGER, {"idFacture": facture.pk, "idStructure": monde.bon_titulaire.pk}
    )
    assert reponse.status_code == 200, reponse.json()
    assert Facture.objects.get(pk=facture.pk).valideur_1_id == monde.bon_titulaire.pk


@pytest.mark.parametrize(
    ("corps", "champ", "message"),
    [
        ({}, "identifiantStructure", "identifiantStructure : ce champ est obligatoire (ou idStructure)."),
        (
            {"identifiantStructure": "00000000000000"},
            "identifiantStructure",
            "Le SIRET du valideur 00000000000000 n'est celui d'aucune structure de Chorus Pro.",
        ),
        (
            {"identifiantStructure": "12345678901234", "typeIdentifiantStructure": "RIDET"},
            "typeIdentifiantStructure",
            "typeIdentifiantStructure : le valideur se désigne par son SIRET, pas par « RIDET ».",
        ),
        ({"idStructure": 999999999}, "idStructure", "idStructure : aucune structure identifiée par SIRET n'a l'id"),
    ],
)
def test_corriger_le_valideur_donnees_invalides(client, monde, corps, champ, message):
    facture = monde.sous_traitance()
    reponse = appels(monde.fournisseur, client)(CORRIGER, {"idFacture": facture.pk, **corps})
    assert reponse.status_code == 400
    assert reponse.json()["champ"] == champ and reponse.json()["libelle"].startswith(message)
    facture.refresh_from_db()
    assert facture.valideur_1_id == monde.titulaire.structure.pk
    assert not FactureHistorique.objects.filter(facture=facture, action="corrigerValideurFacture").exists()


def test_corriger_le_valideur_une_fois_valide_est_refuse(client, monde):
    facture = monde.sous_traitance("MISE_A_DISPOSITION")
    reponse = appels(monde.fournisseur, client)(
        CORRIGER, {"idFacture": facture.pk, "identifiantStructure": monde.bon_titulaire.identifiant}
    )
    assert reponse.status_code == 409
    assert reponse.json()["libelle"] == (
        "Action « Corriger le valideur » impossible au statut « Mise à disposition du destinataire »."
    )


def test_corriger_le_valideur_de_la_facture_d_un_autre_est_introuvable(client, monde):
    facture = monde.sous_traitance(fournisseur=monde.autre_fournisseur)
    for integrateur in (monde.fournisseur, monde.titulaire, monde.commune):
        reponse = appels(integrateur, client)(
            CORRIGER, {"idFacture": facture.pk, "identifiantStructure": monde.bon_titulaire.identifiant}
        )
        assert reponse.status_code == 404 and reponse.json() == INTROUVABLE
    assert Facture.objects.get(pk=facture.pk).valideur_1_id == monde.titulaire.structure.pk


# --- the « à traiter » lists ---------------------------------------------------------------------------------------


def test_a_traiter_fournisseur(client, monde):
    recycler = monde.facture("A_RECYCLER", numero="F-REC", numero_marche="M-1", numero_engagement="EJ-1")
    FactureHistorique.objects.filter(facture=recycler).update(motif="Mauvais destinataire")
    # the invoice row carries its current status's motif (FactureHistorique.save copies it; update() bypasses save)
    Facture.objects.filter(pk=recycler.pk).update(motif_statut="Mauvais destinataire")
    suspendue = monde.facture("SUSPENDUE", numero="F-SUS")
    rejetee = monde.facture("REJETEE", numero="F-REJ")
    monde.facture("REJETEE", numero="F-REJ-TRAITE", rejet_traite_le=timezone.now())
    monde.facture("MISE_A_DISPOSITION", numero="F-MAD")
    monde.facture("A_RECYCLER", fournisseur=monde.autre_fournisseur, numero="F-AUTRE")
    appeler = appels(monde.fournisseur, client)

    corps = appeler(
        A_TRAITER_FOURNISSEUR, {"rechercheFactureATraiterParFournisseur": {"triColonne": "numeroFacture"}}
    ).json()

    assert corps["codeRetour"] == 0
    assert [f["identifiantFactureCPP"] for f in corps["listeFactures"]] == [recycler.pk, rejetee.pk, suspendue.pk]
    ligne = corps["listeFactures"][0]
    assert {cle: ligne[cle] for cle in ("numeroFacture", "statut", "typeDemandePaiement", "codeFournisseur")} == {
        "numeroFacture": "F-REC",
        "statut": "A_RECYCLER",
        "typeDemandePaiement": "FACTURE",
        "codeFournisseur": monde.fournisseur.structure.identifiant,
    }
    assert (ligne["idDestinataire"], ligne["codeDestinataire"], ligne["designationDestinataire"]) == (
        monde.commune.structure.pk,
        monde.commune.structure.identifiant,
        "Commune de Valbourg",
    )
    assert (ligne["montantHT"], ligne["montantTTC"], ligne["montantAPayer"], ligne["devise"]) == (
        1000.0,
        1200.0,
        1200.0,
        "EUR",
    )
    assert (ligne["numeroMarche"], ligne["numeroBonCommande"]) == ("M-1", "EJ-1")
    assert ligne["commentaireEtatCourant"] == "Mauvais destinataire"
    assert corps["parametresRetour"]["total"] == 3

    autre = appeler(A_TRAITER_FOURNISSEUR, {"idStructure": monde.autre_fournisseur.structure.pk})
    assert (autre.json()["codeRetour"], autre.json()["libelle"]) == AUCUN and autre.json()["listeFactures"] == []


def test_a_traiter_recipiendaire(client, monde):
    service = Service.objects.create(structure=monde.commune.structure, code="TECH", libelle="Services techniques")
    mad = monde.facture("MISE_A_DISPOSITION", numero="F-MAD", service=service)
    completee = monde.facture("COMPLETEE", numero="F-COMP")
    monde.facture("SUSPENDUE", numero="F-SUS")  # waits for the supplier
    monde.facture("MISE_EN_PAIEMENT", numero="F-PAYEE")
    monde.facture("MISE_A_DISPOSITION", destinataire=monde.autre_commune, numero="F-AUTRE")
    appeler = appels(monde.commune, client)

    corps = appeler(A_TRAITER_RECIPIENDAIRE).json()

    assert sorted(f["idFacture"] for f in corps["listeFactures"]) == sorted([mad.pk, completee.pk])
    [ligne] = [f for f in corps["listeFactures"] if f["idFacture"] == mad.pk]
    assert (ligne["idServiceExecutant"], ligne["codeServiceExecutant"], ligne["nomServiceExecutant"]) == (
        service.pk,
        "TECH",
        "Services techniques",
    )
    assert ligne["factureTelechargeeParDestinataire"] is False
    assert ligne["designationFournisseur"] == "Plâtrerie Martin"
    par_service = appeler(A_TRAITER_RECIPIENDAIRE, {"idServiceExecutant": service.pk}).json()["listeFactures"]
    assert [f["idFacture"] for f in par_service] == [mad.pk]
    mauvais = appeler(A_TRAITER_RECIPIENDAIRE, {"idStructure": "abc"})
    assert mauvais.status_code == 400 and mauvais.json()["champ"] == "idStructure"


def test_a_traiter_valideur(client, monde):
    a_valider = monde.sous_traitance(numero="ST-1")
    monde.sous_traitance("REFUSEE_1", numero="ST-REFUSEE")
    monde.facture("A_VALIDER_1", cadre="A9", valideur_1=monde.bon_titulaire, numero="ST-AUTRE")
    appeler = appels(monde.titulaire, client)

    corps = appeler(A_TRAITER_VALIDEUR).json()

    [ligne] = corps["listeFactures"]
    assert (ligne["idFacture"], ligne["statut"], ligne["idValideur"], ligne["cadreFacturation"]) == (
        a_valider.pk,
        "A_VALIDER_1",
        monde.titulaire.structure.pk,
        "A9_FACTURE_SOUSTRAITANT",
    )
    assert (ligne["idFournisseur"], ligne["idDestinataire"]) == (
        monde.fournisseur.structure.pk,
        monde.commune.structure.pk,
    )
    # the supplier and the recipient are not its validators
    assert appels(monde.fournisseur, client)(A_TRAITER_VALIDEUR).json()["listeFactures"] == []


@pytest.mark.parametrize(
    ("chemin", "integrateur", "statut", "champs"),
    [
        (A_TRAITER_FOURNISSEUR, "fournisseur", "A_RECYCLER", {}),
        (A_TRAITER_RECIPIENDAIRE, "commune", "MISE_A_DISPOSITION", {}),
        (A_TRAITER_VALIDEUR, "titulaire", "A_VALIDER_1", {"cadre": "A9"}),
    ],
)
def test_a_traiter_nombre_de_requetes_constant(client, monde, chemin, integrateur, statut, champs):
    if champs:
        champs["valideur_1"] = monde.titulaire.structure
    monde.facture(statut, **champs)
    appeler = appels(getattr(monde, integrateur), client)
    une = nb_requetes(lambda: appeler(chemin))
    for _ in range(5):
        monde.facture(statut, **champs)
    assert nb_requetes(lambda: appeler(chemin)) == une


# --- recupererStatutsFactureVisiblesParValideur --------------------------------------------------------------------


def test_statuts_visibles_par_valideur(client, monde):
    corps = appels(monde.titulaire, client)(STATUTS_VALIDEUR, {"idUtilisateurCourant": 0}).json()
    codes = [s["codeStatutFacture"] for s in corps["listeStatutFacture"]]
    assert codes == [
        "A_VALIDER_1",
        "ERREUR_FOURNISSEUR_SUR_VALIDEUR",
        "REFUSEE_1",
        "VALIDEE_1",
        "ABSENCE_VALIDATION_1_HORS_DELAI",
        "A_VALIDER_2",
        "ERREUR_COTRAITANT_SUR_VALIDEUR",
        "REFUSEE_2",
        "VALIDEE_2",
        "ABSENCE_VALIDATION_2_HORS_DELAI",
    ]


# --- rechercherDemandePaiement -------------------------------------------------------------------------------------


@pytest.fixture
def chantier(monde):
    moe = Integrateur(StructureFactory(raison_sociale="Cabinet Lenoir"))
    service_moa = Service.objects.create(structure=monde.commune.structure, code="TRAVAUX", libelle="Travaux")
    dossier = DossierFacturation.objects.create(
        numero="DF-000042",
        fournisseur=monde.fournisseur.structure,
        moe=moe.structure,
        moa=monde.commune.structure,
        service_moa=service_moa,
    )
    facture = facture_deposee(
        dossier.fournisseur,
        dossier.moa,
        numero="PDM-1",
        cadre="A4",
        statut="MISE_A_DISPOSITION_MOE",
        service=service_moa,
        deposee_le=timezone.now() - timedelta(days=2),
    )
    PieceTravaux.objects.create(facture=facture, dossier=dossier, role_deposant=RoleTravaux.FOURNISSEUR)
    return moe, dossier, facture


def _ids(reponse):
    assert reponse.status_code == 200, reponse.json()
    return sorted(d["idDemandePaiement"] for d in reponse.json()["listeDemandePaiement"])


def test_rechercher_demandes_de_paiement_tous_roles(client, monde, chantier):
    moe, dossier, piece = chantier
    emise = monde.facture(numero="F-EMISE")
    recue = monde.facture(fournisseur=monde.autre_fournisseur, destinataire=monde.fournisseur, numero="F-RECUE")
    monde.facture(fournisseur=monde.autre_fournisseur, numero="F-AUTRE")  # between two other structures
    appeler = appels(monde.fournisseur, client)

    assert _ids(appeler(DEMANDES)) == sorted([emise.pk, recue.pk, piece.pk])
    assert _ids(appeler(DEMANDES, {"roleUtilisateur": "FOURNISSEUR"})) == sorted([emise.pk, piece.pk])
    assert _ids(appeler(DEMANDES, {"roleUtilisateur": "DESTINATAIRE"})) == [recue.pk]
    assert _ids(appeler(DEMANDES, {"typeDemandePaiement": "FACTURE_TRAVAUX"})) == [piece.pk]
    assert _ids(appeler(DEMANDES, {"numeroDossierFacturation": "DF-000042"})) == [piece.pk]
    assert _ids(appeler(DEMANDES, {"typeFactureTravaux": "Projet de décompte mensuel"})) == [piece.pk]
    filtre = {"structureDestinataire": {"identifiantStructureDestinataire": monde.commune.structure.identifiant}}
    assert _ids(appeler(DEMANDES, filtre)) == sorted([emise.pk, piece.pk])
    # rechercheSirenDestinataire: the company's other establishments too (the SIRET's first nine digits)
    etablissement = monde.commune.structure.identifiant[:9] + "99999"
    assert (
        _ids(appeler(DEMANDES, {"structureDestinataire": {"identifiantStructureDestinataire": etablissement}})) == []
    )
    assert _ids(
        appeler(
            DEMANDES,
            {
                "rechercheSirenDestinataire": True,
                "structureDestinataire": {"identifiantStructureDestinataire": etablissement},
            },
        )
    ) == sorted([emise.pk, piece.pk])

    # the MOE sees the piece of its dossier, never the supplier's other invoices
    corps = appels(moe, client)(DEMANDES, {"roleUtilisateur": "MOE"}).json()
    [ligne] = corps["listeDemandePaiement"]
    assert (ligne["idDemandePaiement"], ligne["numeroDemandePaiement"], ligne["typeDemandePaiement"]) == (
        piece.pk,
        "PDM-1",
        "FACTURE_TRAVAUX",
    )
    assert (ligne["etatCourant"], ligne["dpOuDpArchive"], ligne["cadreFacturation"]) == (
        "MISE_A_DISPOSITION_MOE",
        "DEMANDE_PAIEMENT",
        "A4_PROJET_DECOMPTE_MENSUEL_FOURNISSEUR",
    )
    assert (ligne["idDossierFacturation"], ligne["numeroDossierFacturation"]) == (dossier.pk, "DF-000042")
    assert (ligne["idStructureMoe"], ligne["idStructureMoa"], ligne["idServiceMoa"]) == (
        moe.structure.pk,
        monde.commune.structure.pk,
        dossier.service_moa_id,
    )
    assert (ligne["idStructureFournisseur"], ligne["identifiantStructureFournisseur"]) == (
        monde.fournisseur.structure.pk,
        monde.fournisseur.structure.identifiant,
    )
    assert _ids(appels(moe, client)(DEMANDES, {"roleUtilisateur": "MOA"})) == []
    # another structure sees none of them
    assert _ids(appels(monde.autre_commune, client)(DEMANDES)) == []


def test_rechercher_demandes_de_paiement_archive_et_valideur(client, monde):
    facture = monde.sous_traitance(numero="ST-1")
    appeler = appels(monde.titulaire, client)
    assert _ids(appeler(DEMANDES, {"roleUtilisateur": "VALIDATEUR"})) == [facture.pk]
    filtre = {"structureValideur": {"idStructureValideur": monde.titulaire.structure.pk}}
    assert _ids(appeler(DEMANDES, filtre)) == [facture.pk]
    archive = appeler(DEMANDES, {"dpOuDpArchive": "DP_ARCHIVE"}).json()
    assert (archive["codeRetour"], archive["libelle"]) == AUCUN and archive["listeDemandePaiement"] == []


@pytest.mark.parametrize(
    ("corps", "champ"),
    [
        ({"roleUtilisateur": "PAYEUR"}, "roleUtilisateur"),
        ({"dpOuDpArchive": "ARCHIVE"}, "dpOuDpArchive"),
        ({"typeDemandePaiement": "MEMOIRE"}, "typeDemandePaiement"),
        ({"montantTTCMin": "beaucoup"}, "montantTTCMin"),
        ({"periodeDateDepotDu": "07/12/2026"}, "periodeDateDepotDu"),
        ({"structureFournisseur": "x"}, "structureFournisseur"),
        ({"paramRecherche": {"triColonne": "Couleur"}}, "paramRecherche.triColonne"),
    ],
)
def test_rechercher_demandes_de_paiement_donnees_invalides(client, monde, corps, champ):
    reponse = appels(monde.fournisseur, client)(DEMANDES, corps)
    assert reponse.status_code == 400 and reponse.json()["champ"] == champ


def test_rechercher_demandes_de_paiement_pages_et_requetes_constantes(client, monde, chantier):
    monde.facture(numero="F-000")
    appeler = appels(monde.fournisseur, client)
    une = nb_requetes(lambda: appeler(DEMANDES))
    for n in range(1, 7):
        monde.facture(numero=f"F-{n:03d}")
    assert nb_requetes(lambda: appeler(DEMANDES)) == une
    page = {"paramRecherche": {"nbResultatsParPage": 3, "pageResultatDemandee": 3, "triColonne": "NumeroFacture"}}
    corps = appeler(DEMANDES, page).json()
    assert corps["parametresRetour"] == {"nbResultatsParPage": 3, "pageCourante": 3, "pages": 3, "total": 8}
    assert [d["numeroDemandePaiement"] for d in corps["listeDemandePaiement"]] == ["F-006", "PDM-1"]


def test_rechercher_demandes_de_paiement_roles_entrelaces_pages_et_total(client, monde):
    # the page is merged from each role's first rows: sent and received invoices alternate in the order, and an
    # invoice the structure sends to itself (supplier and recipient) is one row, counted once
    numeros = {}
    for n, (fournisseur, destinataire) in enumerate(
        [
            (monde.fournisseur, monde.commune),
            (monde.autre_fournisseur, monde.fournisseur),
            (monde.fournisseur, monde.commune),
            (monde.fournisseur, monde.fournisseur),
            (monde.autre_fournisseur, monde.fournisseur),
            (monde.fournisseur, monde.commune),
        ],
        start=1,
    ):
        numeros[f"N-{n:02d}"] = monde.facture(fournisseur=fournisseur, destinataire=destinataire, numero=f"N-{n:02d}")
    monde.facture(fournisseur=monde.autre_fournisseur, numero="N-00")  # between two other structures
    appeler = appels(monde.fournisseur, client)
    assert _ids(appeler(DEMANDES, {"roleUtilisateur": "DESTINATAIRE"})) == sorted(
        numeros[n].pk for n in ("N-02", "N-04", "N-05")
    )

    def page(numero, sens="Ascendant", par_page=2):
        parametres = {"nbResultatsParPage": par_page, "pageResultatDemandee": numero, "triColonne": "NumeroFacture"}
        corps = appeler(DEMANDES, {"paramRecherche": {**parametres, "triSens": sens}}).json()
        return [d["numeroDemandePaiement"] for d in corps["listeDemandePaiement"]], corps["parametresRetour"]

    retour = {"nbResultatsParPage": 2, "pages": 3, "total": 6}
    assert page(1) == (["N-01", "N-02"], {**retour, "pageCourante": 1})
    assert page(2) == (["N-03", "N-04"], {**retour, "pageCourante": 2})
    assert page(3) == (["N-05", "N-06"], {**retour, "pageCourante": 3})
    assert page(1, "Descendant") == (["N-06", "N-05"], {**retour, "pageCourante": 1})
    assert page(2, "Descendant") == (["N-04", "N-03"], {**retour, "pageCourante": 2})
    assert page(1, par_page=4) == (
        ["N-01", "N-02", "N-03", "N-04"],
        {"nbResultatsParPage": 4, "pages": 2, "total": 6, "pageCourante": 1},
    )
    assert page(2, par_page=4) == (
        ["N-05", "N-06"],
        {"nbResultatsParPage": 4, "pages": 2, "total": 6, "pageCourante": 2},
    )
    assert page(1, par_page=10) == (
        ["N-01", "N-02", "N-03", "N-04", "N-05", "N-06"],
        {"nbResultatsParPage": 10, "pages": 1, "total": 6, "pageCourante": 1},
    )
    # as recipient only, a full page: the total of « Factures reçues » (its counters), the same 3 rows
    corps = appeler(DEMANDES, {"roleUtilisateur": "DESTINATAIRE", "paramRecherche": {"nbResultatsParPage": 1}}).json()
    assert [d["numeroDemandePaiement"] for d in corps["listeDemandePaiement"]] == ["N-02"]
    assert (corps["parametresRetour"]["total"], corps["parametresRetour"]["pages"]) == (3, 3)


def test_rechercher_demandes_de_paiement_total_des_roles_qui_se_recouvrent(client, monde, chantier):
    # every role at once, overlapping: the supplier sends, receives, sends to itself, validates an invoice it also
    # receives, and deposits a works piece whose MOA is the commune. The `total` of a full first page (counted, from
    # the counters or branch by branch) is the number of rows every page shows together.
    moe, _dossier, _piece = chantier
    monde.facture(numero="E-1")
    monde.facture(numero="E-2", type_facture="AVOIR")
    monde.facture(numero="R-1", fournisseur=monde.autre_fournisseur, destinataire=monde.fournisseur)
    monde.facture(numero="S-1", destinataire=monde.fournisseur)
    monde.facture(
        numero="V-1", fournisseur=monde.autre_fournisseur, cadre="A9", valideur_1=monde.fournisseur.structure
    )
    monde.facture(
        "A_VALIDER_1",
        numero="V-2",
        fournisseur=monde.autre_fournisseur,
        cadre="A9",
        valideur_1=monde.fournisseur.structure,
        destinataire=monde.fournisseur,
    )
    monde.sous_traitance(numero="V-3", valideur_2=monde.fournisseur.structure)
    monde.facture(numero="X-1", fournisseur=monde.autre_fournisseur, destinataire=monde.autre_commune)
    criteres = [{}, {"typeFacture": "FACTURE"}, {"typeDemandePaiement": "FACTURE"}, {"numeroFacture": "V-2"}]
    criteres += [{"roleUtilisateur": role} for role in ("FOURNISSEUR", "DESTINATAIRE", "VALIDATEUR", "MOE", "MOA")]
    vus = 0
    for compte in (monde.fournisseur, monde.commune, monde.titulaire, moe, monde.autre_commune):
        appeler = appels(compte, client)
        for critere in criteres:
            tous = appeler(DEMANDES, {**critere, "paramRecherche": {"nbResultatsParPage": 100}}).json()
            lignes = {d["idDemandePaiement"] for d in tous.get("listeDemandePaiement", [])}
            premiere = appeler(DEMANDES, {**critere, "paramRecherche": {"nbResultatsParPage": 1}}).json()
            total = premiere["parametresRetour"]["total"] if lignes else 0
            assert total == len(lignes), (compte.structure.raison_sociale, critere)
            vus += len(lignes)
    assert vus > 20  # the accounts did see rows: the comparison is not between empty lists
