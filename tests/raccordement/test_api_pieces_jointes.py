"""The attachments of `transverses/v1/…` as a client calls them: a file kept by ajouter/fichier then downloaded,
searched on the account or the structure, and detached; an invoice's attachment downloaded by its id. Another
structure's file answers exactly as a missing one (404)."""

import base64

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from facturation.models import Facture
from organisation.enums import Application, Niveau, StatutStructure
from organisation.models import PieceJointeStructure, Service, Structure
from organisation.services.coordonnees import piece_jointe_ajouter
from support.enums import Destination
from support.models import PieceJointe, SousCategorie
from support.referentiel import charger_referentiel
from support.services.sollicitations import note_interne_ajouter, sollicitation_creer
from tests.factories import UtilisateurFactory, rattacher
from tests.raccordement.test_api_factures_fournisseur import _ajouter, _soumission
from tests.raccordement.test_api_socle import Integrateur, publique

pytestmark = pytest.mark.django_db


@pytest.fixture
def monde(db):
    """A supplier's integrator, the public recipient it invoices (service SERV-FIN), and another supplier's."""

    class Monde:
        fournisseur = Integrateur()
        commune = publique(raison_sociale="Commune de Valbourg")
        autre = Integrateur()

    Structure.objects.filter(pk__in=[Monde.fournisseur.structure.pk, Monde.autre.structure.pk]).update(
        statut=StatutStructure.ACTIVE, numero_tva="FR32123456789"
    )
    Monde.fournisseur.structure.refresh_from_db()
    Monde.service = Service.objects.create(structure=Monde.commune, code="SERV-FIN", libelle="Finances")
    return Monde


def _gestionnaire(structure):
    gestionnaire = UtilisateurFactory()
    rattacher(gestionnaire, structure, (Application.ORGANISATION, Niveau.MODIFICATION))
    return gestionnaire


def _document_de_la_structure(structure, nom="kbis.pdf", type_piece="KBIS"):
    """A document put on the structure page by its gestionnaire (not through the API)."""
    return piece_jointe_ajouter(
        structure=structure,
        par=_gestionnaire(structure),
        fichier=ContentFile(b"%PDF-1.4 kbis", name=nom),
        type_piece=type_piece,
    )


# --- telecharger/pieceJointe ----------------------------------------------------------------------------------------


def test_telecharger_le_fichier_garde_par_ajouter_fichier(client, monde):
    entetes = monde.fournisseur.entetes(client)
    piece = _ajouter(client, monde.fournisseur, nom="releve.csv", contenu=b"a;b\n1;2\n", **entetes).json()
    reponse = monde.fournisseur.appeler(
        client, "transverses/v1/telecharger/pieceJointe", {"pieceJointeId": piece["pieceJointeId"]}, **entetes
    )
    corps = reponse.json()
    assert reponse.status_code == 200, corps
    assert base64.b64decode(corps["pieceJointe"]) == b"a;b\n1;2\n"
    assert corps == {
        "codeRetour": 0,
        "libelle": "TRA_MSG_00.000",
        "pieceJointe": corps["pieceJointe"],
        "pieceJointeId": piece["pieceJointeId"],
        "pieceJointeNom": "releve.csv",
        "pieceJointeExtension": "CSV",
        "pieceJointeTypeMime": "text/csv",
        "pieceJointeTaille": 8,
    }
    # the same with the object named as Chorus Pro's clients send it
    structure = monde.fournisseur.appeler(
        client,
        "transverses/v1/telecharger/pieceJointe",
        {
            "objetPieceJointe": "STRUCTURE_PIECEJOINTE",
            "pieceJointeId": piece["pieceJointeId"],
            "structure": {"idStructure": monde.fournisseur.structure.pk},
        },
        **entetes,
    )
    assert structure.json()["pieceJointe"] == corps["pieceJointe"]


def test_telecharger_une_piece_jointe_de_facture(client, monde):
    entetes = monde.fournisseur.entetes(client)
    piece = _ajouter(client, monde.fournisseur, nom="bon.pdf", contenu=b"%PDF-1.4 bon", **entetes).json()
    soumise = monde.fournisseur.appeler(
        client,
        "factures/v1/soumettre",
        _soumission(monde, pieceJointeComplementaire=[{"pieceJointeComplementaireId": piece["pieceJointeId"]}]),
        **entetes,
    ).json()
    facture = Facture.objects.get(pk=soumise["identifiantFactureCPP"])
    jointe = facture.pieces_jointes.get()
    reponse = monde.fournisseur.appeler(
        client,
        "transverses/v1/telecharger/pieceJointe",
        {
            "objetPieceJointe": "DEMANDE_PAIEMENT",
            "pieceJointeId": jointe.pk,
            "demandePaiement": {"listeFacture": [{"idFacture": facture.pk}]},
        },
        **entetes,
    )
    corps = reponse.json()
    assert reponse.status_code == 200, corps
    assert base64.b64decode(corps["pieceJointe"]) == b"%PDF-1.4 bon"
    assert (corps["pieceJointeId"], corps["pieceJointeNom"], corps["pieceJointeExtension"]) == (
        jointe.pk,
        "bon.pdf",
        "PDF",
    )
    # the recipient's account reads it too, from the invoice it received
    destinataire = Integrateur(structure=monde.commune)
    recue = destinataire.appeler(
        client,
        "transverses/v1/telecharger/pieceJointe",
        {"objetPieceJointe": "DEMANDE_PAIEMENT", "pieceJointeId": jointe.pk},
    )
    assert recue.status_code == 200, recue.json()
    assert recue.json()["pieceJointe"] == corps["pieceJointe"]
    # named under another invoice, it is not that invoice's attachment
    ailleurs = monde.fournisseur.appeler(
        client,
        "transverses/v1/telecharger/pieceJointe",
        {
            "objetPieceJointe": "DEMANDE_PAIEMENT",
            "pieceJointeId": jointe.pk,
            "demandePaiement": {"listeFacture": [{"idFacture": facture.pk + 1000}]},
        },
        **entetes,
    )
    assert ailleurs.status_code == 404


@pytest.mark.parametrize(
    ("corps", "champ"),
    [
        ({}, "pieceJointeId"),
        ({"pieceJointeId": "abc"}, "pieceJointeId"),
        ({"pieceJointeId": 1, "objetPieceJointe": "MANDAT"}, "objetPieceJointe"),
        ({"pieceJointeId": 1, "objetPieceJointe": "DEMANDE_PAIEMENT", "demandePaiement": []}, "demandePaiement"),
        (
            {
                "pieceJointeId": 1,
                "objetPieceJointe": "DEMANDE_PAIEMENT",
                "demandePaiement": {"listeFacture": [{"idFacture": "x"}]},
            },
            "demandePaiement.listeFacture[0].idFacture",
        ),
        ({"pieceJointeId": 1, "structure": "S"}, "structure"),
    ],
)
def test_telecharger_refuse_une_demande_mal_formee(client, monde, corps, champ):
    reponse = monde.fournisseur.appeler(client, "transverses/v1/telecharger/pieceJointe", corps)
    erreur = reponse.json()
    assert reponse.status_code == 400
    assert erreur["champ"] == champ and erreur["libelle"].startswith(f"{champ} : ")


def test_le_fichier_d_une_autre_structure_est_introuvable(client, monde):
    piece = _ajouter(client, monde.fournisseur).json()["pieceJointeId"]
    document = _document_de_la_structure(monde.fournisseur.structure)
    entetes = monde.autre.entetes(client)
    for corps in (
        {"pieceJointeId": piece},
        {"pieceJointeId": document.pk},
        {"pieceJointeId": piece, "structure": {"idStructure": monde.fournisseur.structure.pk}},
    ):
        reponse = monde.autre.appeler(client, "transverses/v1/telecharger/pieceJointe", corps, **entetes)
        assert reponse.status_code == 404
        assert reponse.json()["codeRetour"] == 20003
        assert "pieceJointe" not in reponse.json()


def test_la_piece_jointe_de_la_facture_d_un_autre_est_introuvable(client, monde):
    entetes = monde.fournisseur.entetes(client)
    piece = _ajouter(client, monde.fournisseur, **entetes).json()["pieceJointeId"]
    soumise = monde.fournisseur.appeler(
        client,
        "factures/v1/soumettre",
        _soumission(monde, pieceJointeComplementaire=[{"pieceJointeComplementaireId": piece}]),
        **entetes,
    ).json()
    jointe = Facture.objects.get(pk=soumise["identifiantFactureCPP"]).pieces_jointes.get()
    reponse = monde.autre.appeler(
        client,
        "transverses/v1/telecharger/pieceJointe",
        {"objetPieceJointe": "DEMANDE_PAIEMENT", "pieceJointeId": jointe.pk},
    )
    assert reponse.status_code == 404


# --- rechercher/pj/moncompte, rechercher/pj/structure ---------------------------------------------------------------


def test_rechercher_les_pieces_du_compte_et_de_la_structure(client, monde):
    entetes = monde.fournisseur.entetes(client)
    bon = _ajouter(client, monde.fournisseur, nom="bon-de-livraison.pdf", **entetes).json()["pieceJointeId"]
    rib = _ajouter(client, monde.fournisseur, nom="rib.pdf", **entetes).json()["pieceJointeId"]
    kbis = _document_de_la_structure(monde.fournisseur.structure)
    compte = monde.fournisseur.compte
    compte.refresh_from_db()

    reponse = monde.fournisseur.appeler(
        client, "transverses/v1/rechercher/pj/moncompte", {"pieceJointeTypeId": 0}, **entetes
    )
    corps = reponse.json()
    assert reponse.status_code == 200, corps
    assert [p["pieceJointeId"] for p in corps["listePiecesJointes"]] == [bon, rib]  # by name; not the Kbis
    premiere = corps["listePiecesJointes"][0]
    assert premiere == {
        "pieceJointeId": bon,
        "pieceJointeDesignation": "bon-de-livraison",
        "pieceJointeExtension": "PDF",
        "pieceJointeObjetId": monde.fournisseur.structure.pk,
        # kept by ajouter/fichier, which names no type
        "pieceJointeTypeId": 8,
        "pieceJointeTypeCode": "AUTRE",
        "pieceJointeTypeLibelle": "Autre",
        "pieceJointeUtilisateurId": compte.utilisateur_id,
        "pieceJointeTaille": len(b"%PDF-1.4 bon"),
        "pieceJointeTypeMime": "application/pdf",
        "pieceJointeDateAjout": premiere["pieceJointeDateAjout"],
    }
    assert corps["parametresRetour"] == {"nbResultatsParPage": 10, "pageCourante": 1, "pages": 1, "total": 2}

    reponse = monde.fournisseur.appeler(
        client,
        "transverses/v1/rechercher/pj/structure",
        {"idStructureCPP": monde.fournisseur.structure.pk, "parametresRecherche": {"triColonne": "DateAjout"}},
        **entetes,
    )
    corps = reponse.json()
    assert reponse.status_code == 200, corps
    assert [p["pieceJointeId"] for p in corps["listePiecesJointes"]] == [bon, rib, kbis.pk]
    assert corps["listePiecesJointes"][2] | {"pieceJointeDateAjout": None} == {
        "pieceJointeId": kbis.pk,
        "pieceJointeDesignation": "kbis",
        "pieceJointeExtension": "PDF",
        "pieceJointeObjetId": monde.fournisseur.structure.pk,
        "pieceJointeTypeId": 2,
        "pieceJointeTypeCode": "KBIS",
        "pieceJointeTypeLibelle": "Extrait Kbis",
        "pieceJointeUtilisateurId": kbis.ajoutee_par_id,
        "pieceJointeTaille": kbis.taille,
        "pieceJointeTypeMime": "application/pdf",
        "pieceJointeDateAjout": None,
        "pieceJointeStructureId": monde.fournisseur.structure.pk,
        "pieceJointeStructureCode": monde.fournisseur.structure.identifiant,
        "pieceJointeStructureRaisonSociale": monde.fournisseur.structure.raison_sociale,
    }

    cherche = monde.fournisseur.appeler(
        client,
        "transverses/v1/rechercher/pj/structure",
        {"idStructureCPP": monde.fournisseur.structure.pk, "pieceJointeDesignation": "KBIS"},
        **entetes,
    ).json()
    assert [p["pieceJointeId"] for p in cherche["listePiecesJointes"]] == [kbis.pk]


def test_rechercher_sans_resultat(client, monde):
    reponse = monde.fournisseur.appeler(client, "transverses/v1/rechercher/pj/moncompte", {})
    corps = reponse.json()
    assert reponse.status_code == 200
    assert (corps["codeRetour"], corps["listePiecesJointes"], corps["parametresRetour"]["total"]) == (20000, [], 0)


@pytest.mark.parametrize(
    ("chemin", "corps", "champ"),
    [
        ("rechercher/pj/structure", {}, "idStructureCPP"),
        ("rechercher/pj/structure", {"idStructureCPP": "x"}, "idStructureCPP"),
        ("rechercher/pj/moncompte", {"pieceJointeTypeId": "type"}, "pieceJointeTypeId"),
        ("rechercher/pj/moncompte", {"pieceJointeTypeId": 999}, "pieceJointeTypeId"),
        ("rechercher/pj/structure", {"idStructureCPP": 1, "pieceJointeTypeCode": "RIBB"}, "pieceJointeTypeCode"),
        (
            "rechercher/pj/moncompte",
            {"parametresRecherche": {"triColonne": "Taille"}},
            "parametresRecherche.triColonne",
        ),
        ("rechercher/pj/moncompte", {"pieceJointeDesignation": ["a"]}, "pieceJointeDesignation"),
    ],
)
def test_rechercher_refuse_une_demande_mal_formee(client, monde, chemin, corps, champ):
    reponse = monde.fournisseur.appeler(client, f"transverses/v1/{chemin}", corps)
    erreur = reponse.json()
    assert reponse.status_code == 400
    assert erreur["champ"] == champ and erreur["libelle"].startswith(f"{champ} : ")


def test_les_pieces_d_une_autre_structure_ne_sont_pas_listees(client, monde):
    _ajouter(client, monde.fournisseur)
    _document_de_la_structure(monde.fournisseur.structure)
    entetes = monde.autre.entetes(client)
    reponse = monde.autre.appeler(
        client, "transverses/v1/rechercher/pj/structure", {"idStructureCPP": monde.fournisseur.structure.pk}, **entetes
    )
    assert reponse.status_code == 404
    assert "listePiecesJointes" not in reponse.json()
    mon_compte = monde.autre.appeler(client, "transverses/v1/rechercher/pj/moncompte", {}, **entetes).json()
    assert mon_compte["listePiecesJointes"] == []


def test_les_recherches_coutent_autant_de_requetes_quel_que_soit_le_nombre_de_pieces(
    client, monde, django_assert_max_num_queries
):
    entetes = monde.fournisseur.entetes(client)
    # the type filter included: a column of the same rows, no query more
    corps = {"idStructureCPP": monde.fournisseur.structure.pk, "pieceJointeTypeCode": "AUTRE"}

    def compter(chemin):
        with CaptureQueriesContext(connection) as requetes:
            assert monde.fournisseur.appeler(client, chemin, corps, **entetes).status_code == 200
        return len(requetes)

    _ajouter(client, monde.fournisseur, nom="a.pdf", **entetes)
    une = {c: compter(f"transverses/v1/rechercher/pj/{c}") for c in ("moncompte", "structure")}
    for rang in range(4):
        _ajouter(client, monde.fournisseur, nom=f"b{rang}.pdf", **entetes)
        _document_de_la_structure(monde.fournisseur.structure, nom=f"doc{rang}.pdf")
    for cle, combien in une.items():
        with django_assert_max_num_queries(combien):
            reponse = monde.fournisseur.appeler(client, f"transverses/v1/rechercher/pj/{cle}", corps, **entetes)
        assert len(reponse.json()["listePiecesJointes"]) > 1


def test_rechercher_par_type_de_document(client, monde):
    """The type chosen on the structure page filters both searches, by recuperer/typespj's id or code."""
    entetes = monde.fournisseur.entetes(client)
    kbis = _document_de_la_structure(monde.fournisseur.structure)
    rib = _document_de_la_structure(monde.fournisseur.structure, nom="rib.pdf", type_piece="RIB")
    _ajouter(client, monde.fournisseur, nom="divers.pdf", **entetes)
    types = monde.fournisseur.appeler(client, "transverses/v1/recuperer/typespj", {"typeObjet": "STRUCTURE"}).json()
    id_rib = next(t["idTypePieceJointe"] for t in types["listeTypePieceJointe"] if t["codeTypePieceJointe"] == "RIB")
    base = {"idStructureCPP": monde.fournisseur.structure.pk}
    for filtre, attendus in (
        ({"pieceJointeTypeId": id_rib}, [rib.pk]),
        ({"pieceJointeTypeCode": "KBIS"}, [kbis.pk]),
        ({"pieceJointeTypeCode": "ATTESTATION_URSSAF"}, []),
    ):
        corps = monde.fournisseur.appeler(
            client, "transverses/v1/rechercher/pj/structure", base | filtre, **entetes
        ).json()
        assert [p["pieceJointeId"] for p in corps["listePiecesJointes"]] == attendus, filtre
    [trouve] = monde.fournisseur.appeler(
        client, "transverses/v1/rechercher/pj/structure", base | {"pieceJointeTypeId": id_rib}, **entetes
    ).json()["listePiecesJointes"]
    assert (trouve["pieceJointeTypeCode"], trouve["pieceJointeTypeLibelle"]) == (
        "RIB",
        "Relevé d'identité bancaire (RIB)",
    )
    # the account's own files (ajouter/fichier) are « Autre »
    autres = monde.fournisseur.appeler(
        client, "transverses/v1/rechercher/pj/moncompte", {"pieceJointeTypeCode": "AUTRE"}, **entetes
    ).json()
    assert [p["pieceJointeDesignation"] for p in autres["listePiecesJointes"]] == ["divers"]


# --- telecharger/pieceJointe: a ticket's attachment -----------------------------------------------------------------


def _sollicitation_du_compte(client, monde):
    """A ticket the technical account's user files to the public recipient (through the support service, as the
    « Saisir une sollicitation » page does), a screenshot attached; the recipient's internal note carries another."""
    charger_referentiel()
    # the account's user is made at its first call
    monde.fournisseur.appeler(client, "transverses/v1/rechercher/pj/moncompte", {})
    compte = monde.fournisseur.compte
    compte.refresh_from_db()
    sollicitation = sollicitation_creer(
        par=compte.utilisateur,
        sous_categorie=SousCategorie.objects.filter(categorie__destination=Destination.STRUCTURE).first(),
        objet="Date de paiement",
        message="Quand la facture sera-t-elle payée ?",
        structure_destinataire=monde.commune,
        fichiers=[SimpleUploadedFile("capture.png", b"\x89PNG capture", content_type="image/png")],
    )
    note = note_interne_ajouter(
        sollicitation=sollicitation,
        par=monde.commune.rattachements.get(est_gestionnaire_principal=True).utilisateur,
        corps="À voir avec la comptabilité.",
        fichiers=[SimpleUploadedFile("interne.png", b"\x89PNG interne", content_type="image/png")],
    )
    return sollicitation, note


def test_telecharger_la_piece_jointe_d_une_sollicitation(client, monde):
    sollicitation, _ = _sollicitation_du_compte(client, monde)
    piece = PieceJointe.objects.get(message__sollicitation=sollicitation, message__interne=False)
    corps = {"objetPieceJointe": "SOLLICITATION", "pieceJointeId": piece.pk}
    reponse = monde.fournisseur.appeler(client, "transverses/v1/telecharger/pieceJointe", corps)
    lu = reponse.json()
    assert reponse.status_code == 200, lu
    assert lu | {"pieceJointe": None} == {
        "codeRetour": 0,
        "libelle": "TRA_MSG_00.000",
        "pieceJointe": None,
        "pieceJointeId": piece.pk,
        "pieceJointeNom": "capture.png",
        "pieceJointeExtension": "PNG",
        "pieceJointeTypeMime": "image/png",
        "pieceJointeTaille": len(b"\x89PNG capture"),
    }
    assert base64.b64decode(lu["pieceJointe"]) == b"\x89PNG capture"


def test_la_piece_jointe_d_une_sollicitation_d_un_autre_est_introuvable(client, monde):
    sollicitation, _ = _sollicitation_du_compte(client, monde)
    piece = PieceJointe.objects.get(message__sollicitation=sollicitation, message__interne=False)
    interne = PieceJointe.objects.get(message__sollicitation=sollicitation, message__interne=True)
    for integrateur, id_piece in ((monde.autre, piece.pk), (monde.fournisseur, interne.pk)):
        # another structure's account; the requester and the recipient's internal note (the pages' rule)
        reponse = integrateur.appeler(
            client,
            "transverses/v1/telecharger/pieceJointe",
            {"objetPieceJointe": "SOLLICITATION", "pieceJointeId": id_piece},
        )
        assert reponse.status_code == 404
        assert "pieceJointe" not in reponse.json()


# --- detacher/pieceJointe -------------------------------------------------------------------------------------------


def test_detacher_un_fichier_garde_par_le_compte(client, monde):
    entetes = monde.fournisseur.entetes(client)
    piece = _ajouter(client, monde.fournisseur, **entetes).json()["pieceJointeId"]
    reponse = monde.fournisseur.appeler(
        client, "transverses/v1/detacher/pieceJointe", {"pieceJointeId": piece}, **entetes
    )
    assert reponse.status_code == 200, reponse.json()
    assert reponse.json() == {"codeRetour": 0, "libelle": "TRA_MSG_00.000", "pieceJointeId": piece}
    assert not PieceJointeStructure.objects.filter(pk=piece).exists()
    encore = monde.fournisseur.appeler(
        client, "transverses/v1/telecharger/pieceJointe", {"pieceJointeId": piece}, **entetes
    )
    assert encore.status_code == 404


def test_detacher_un_document_du_gestionnaire_est_refuse(client, monde):
    document = _document_de_la_structure(monde.fournisseur.structure)
    reponse = monde.fournisseur.appeler(client, "transverses/v1/detacher/pieceJointe", {"pieceJointeId": document.pk})
    assert reponse.status_code == 422
    assert "habilité" in reponse.json()["libelle"]
    assert PieceJointeStructure.objects.filter(pk=document.pk).exists()


@pytest.mark.parametrize(("corps", "champ"), [({}, "pieceJointeId"), ({"pieceJointeId": "1,5"}, "pieceJointeId")])
def test_detacher_refuse_une_demande_mal_formee(client, monde, corps, champ):
    piece = _ajouter(client, monde.fournisseur).json()["pieceJointeId"]
    reponse = monde.fournisseur.appeler(client, "transverses/v1/detacher/pieceJointe", corps)
    assert reponse.status_code == 400
    assert reponse.json()["champ"] == champ
    assert PieceJointeStructure.objects.filter(pk=piece).exists()


def test_detacher_le_fichier_d_une_autre_structure_est_introuvable(client, monde):
    piece = _ajouter(client, monde.fournisseur).json()["pieceJointeId"]
    reponse = monde.autre.appeler(client, "transverses/v1/detacher/pieceJointe", {"pieceJointeId": piece})
    assert reponse.status_code == 404
    assert PieceJointeStructure.objects.filter(pk=piece).exists()
