"""Who may do what on every structure page and action: the gestionnaire principal, an attached user with
"Organisation – consultation" only, the user of another structure (404: learns nothing), an anonymous visitor."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from chorus.exceptions import ApplicationError
from chorus.models import ModificationDifferee
from organisation.models import MandatFacturation, PieceJointeStructure
from organisation.services.coordonnees import piece_jointe_ajouter, piece_jointe_supprimer
from organisation.services.structures import service_creer
from tests.organisation.structures.outils import client_de, texte

REFUS = "Vous n'êtes pas habilité à modifier cette structure : il faut le profil « Organisation – modification »."

LECTURE = ["structure", "structure_piece_telecharger"]
FORMULAIRES = [
    "structure_fiche_modifier", "structure_parametres_modifier", "structure_service_ajouter",
    "structure_service_modifier", "structure_coordonnee_ajouter", "structure_coordonnee_modifier",
    "structure_mandat_ajouter", "structure_mandat_modifier", "structure_piece_ajouter",
]  # fmt: skip
ACTIONS = ["structure_coordonnee_desactiver", "structure_piece_supprimer"]


@pytest.fixture
def monde(gp, structure, service, coordonnee):
    mandat = MandatFacturation.objects.create(
        structure=structure, mandataire_identifiant="99000005100013", mandataire_raison_sociale="Cabinet",
        date_debut=date(2026, 1, 1),
    )  # fmt: skip
    piece = piece_jointe_ajouter(structure=structure, par=gp, fichier=SimpleUploadedFile("rib.pdf", b"%PDF"))
    objets = {
        "structure_service_modifier": service.pk,
        "structure_coordonnee_modifier": coordonnee.pk,
        "structure_coordonnee_desactiver": coordonnee.pk,
        "structure_mandat_modifier": mandat.pk,
        "structure_piece_telecharger": piece.pk,
        "structure_piece_supprimer": piece.pk,
    }
    return {"structure": structure, "objets": objets, "piece": piece}


def url(monde, nom):
    args = [monde["structure"].pk]
    if nom in monde["objets"]:
        args.append(monde["objets"][nom])
    return reverse(f"organisation:{nom}", args=args)


@pytest.mark.parametrize("nom", LECTURE + FORMULAIRES)
def test_gestionnaire_principal_ouvre_tout(gp, monde, nom):
    assert client_de(gp).get(url(monde, nom)).status_code == 200


@pytest.mark.parametrize("nom", FORMULAIRES)
def test_gestionnaire_principal_formulaire_vide_redemande(gp, monde, nom):
    reponse = client_de(gp).post(url(monde, nom), {})
    assert reponse.status_code == 200
    assert reponse.context["form"].errors


@pytest.mark.parametrize("nom", LECTURE)
def test_consultation_lit(lecteur, monde, nom):
    assert client_de(lecteur).get(url(monde, nom)).status_code == 200


@pytest.mark.parametrize("nom", FORMULAIRES)
def test_consultation_ne_peut_pas_ouvrir_les_formulaires(lecteur, monde, nom):
    reponse = client_de(lecteur).get(url(monde, nom), follow=True)
    assert reponse.redirect_chain[-1][0] == reverse("organisation:structure", args=[monde["structure"].pk])
    assert REFUS in texte(reponse)


@pytest.mark.parametrize("nom", FORMULAIRES + ACTIONS)
def test_consultation_ne_peut_rien_modifier(lecteur, monde, nom):
    donnees = {"code": "X", "libelle": "X", "titulaire": "X", "iban": "FR7630006000011234567890189",
               "raison_sociale": "Piratée", "espaces": ["FACTURES_RECUES"], "pays": "FR",
               "fichier": SimpleUploadedFile("autre.pdf", b"%PDF")}  # fmt: skip
    reponse = client_de(lecteur).post(url(monde, nom), donnees, follow=True)
    assert REFUS in texte(reponse)
    assert not ModificationDifferee.objects.exists()
    assert list(PieceJointeStructure.objects.all()) == [monde["piece"]]


@pytest.mark.parametrize("nom", LECTURE + FORMULAIRES + ACTIONS)
def test_utilisateur_d_une_autre_structure_recoit_404(etranger, monde, nom):
    c = client_de(etranger)
    assert c.get(url(monde, nom)).status_code in (404, 405)
    reponse = c.post(url(monde, nom), {"raison_sociale": "Piratée"})
    assert reponse.status_code in (404, 405)
    assert "Boulangerie" not in texte(reponse)
    assert not ModificationDifferee.objects.exists()
    assert PieceJointeStructure.objects.count() == 1


@pytest.mark.parametrize("nom", LECTURE + FORMULAIRES + ACTIONS)
def test_anonyme_renvoye_a_la_connexion(monde, nom):
    for methode in (Client().get, Client().post):
        reponse = methode(url(monde, nom))
        assert reponse.status_code == 302 and reponse.url.startswith("/connexion/")


@pytest.mark.parametrize("nom", ["structures", "creer_structure"])
def test_listes_anonymes_renvoyees_a_la_connexion(db, nom):
    reponse = Client().get(reverse(f"organisation:{nom}"))
    assert reponse.status_code == 302 and reponse.url.startswith("/connexion/")


def test_structure_inexistante(gp):
    assert client_de(gp).get(reverse("organisation:structure", args=[999999])).status_code == 404


def test_les_services_refusent_aussi_la_consultation(lecteur, monde):
    with pytest.raises(ApplicationError, match="pas habilité"):
        service_creer(structure=monde["structure"], par=lecteur, code="X", libelle="X")
    with pytest.raises(ApplicationError, match="pas habilité"):
        piece_jointe_supprimer(piece=monde["piece"], par=lecteur)
