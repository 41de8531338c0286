"""« Créer une nouvelle structure »: every identifier type, its errors, and what is created."""

import pytest
from django.core import mail
from django.urls import reverse

from organisation.enums import StatutStructure, TypeIdentifiant
from organisation.habilitations import peut, toutes_les_habilitations
from organisation.matelas import siret_fictif
from organisation.models import Rattachement, Structure
from tests.factories import StructureFactory, UtilisateurFactory
from tests.organisation.structures.outils import client_de, texte

URL = reverse("organisation:creer_structure")
SIRET = siret_fictif(5)  # 99000005100013


def donnees(**champs):
    return {
        "type_identifiant": TypeIdentifiant.SIRET,
        "identifiant": SIRET,
        "raison_sociale": "Menuiserie Dubois",
        "nom": "",
        "prenom": "",
        "numero_tva": "",
        "numero_rcs": "",
        "adresse": "12 rue des Lilas",
        "complement_1": "",
        "complement_2": "",
        "code_postal": "75011",
        "ville": "Paris",
        "pays": "FR",
        "telephone": "01 23 45 67 89",
        "email": "contact@menuiserie.example",
        "type_structure": "PRIVEE",
        **champs,
    }


@pytest.fixture
def createur(db):
    return UtilisateurFactory()


def erreurs(reponse, champ):
    return reponse.context["form"].errors.get(champ, [])


def test_la_page_presente_le_formulaire(createur):
    reponse = client_de(createur).get(URL)
    assert reponse.status_code == 200
    contenu = texte(reponse)
    assert "Créer une nouvelle structure" in contenu
    assert "sélectionner dans la liste déroulante ci-dessous le type d'identifiant" in contenu
    for _valeur, libelle in TypeIdentifiant.choices:
        assert libelle in contenu
    assert "Structure publique" in contenu and "Structure privée" in contenu
    assert "js/structures.js" in contenu  # the optional script comes from a file, never inline
    assert "<script>" not in contenu


def test_anonyme_renvoye_a_la_connexion(client):
    reponse = client.get(URL)
    assert reponse.status_code == 302
    assert reponse.url.startswith("/connexion/")


def test_structure_privee_creee_et_gestionnaire_principal(createur):
    c = client_de(createur)
    reponse = c.post(URL, donnees(numero_tva="FR 40 303 265 045"), follow=True)
    structure = Structure.objects.get(identifiant=SIRET)
    assert reponse.redirect_chain[-1][0] == reverse("organisation:structure", args=[structure.pk])
    assert structure.statut == StatutStructure.ACTIVE
    assert structure.raison_sociale == "Menuiserie Dubois"
    assert structure.numero_tva == "FR40303265045"
    assert (structure.adresse, structure.code_postal, structure.ville) == ("12 rue des Lilas", "75011", "Paris")
    assert not structure.est_publique
    rattachement = Rattachement.objects.get(structure=structure)
    assert rattachement.utilisateur == createur and rattachement.est_gestionnaire_principal
    assert all(peut(createur, a, n, structure) for a, n in toutes_les_habilitations())
    contenu = texte(reponse)
    assert "La structure Menuiserie Dubois est créée. Vous en êtes le gestionnaire principal" in contenu
    assert "Gestionnaire principal" in contenu


def test_structure_publique_attend_le_support_qui_est_prevenu(createur, django_capture_on_commit_callbacks):
    agent = UtilisateurFactory(est_agent_support=True)
    c = client_de(createur)
    with django_capture_on_commit_callbacks(execute=True):
        reponse = c.post(URL, donnees(type_structure="PUBLIQUE", raison_sociale="Mairie de Bourg"), follow=True)
    structure = Structure.objects.get(identifiant=SIRET)
    assert structure.est_publique and structure.statut == StatutStructure.EN_ATTENTE_VALIDATION
    # the creator lands on the page of the structure, read-only until the support validates it
    assert reponse.status_code == 200
    contenu = texte(reponse)
    assert "attend la validation du support, qui en a été informé" in contenu
    assert "Structure publique en attente de validation par le support" in contenu
    assert "Modifier la fiche" not in contenu
    assert [m.to for m in mail.outbox] == [[agent.email]]


@pytest.mark.parametrize(
    ("type_identifiant", "identifiant", "message"),
    [
        (TypeIdentifiant.SIRET, "", "Saisissez le SIRET de la structure (14 chiffres)."),
        (TypeIdentifiant.SIRET, "1234", "Le SIRET doit comporter 14 chiffres (4 caractères saisis)."),
        (
            TypeIdentifiant.SIRET,
            "29000005100013",
            "Le SIREN 290000051 (les 9 premiers chiffres du SIRET) est invalide : sa clé de contrôle ne correspond "
            "pas. Vérifiez la saisie.",
        ),
        (
            TypeIdentifiant.SIRET,
            "99000005100014",
            "Le SIRET 99000005100014 est invalide : la clé de contrôle du numéro d'établissement ne correspond pas. "
            "Vérifiez la saisie.",
        ),
        (
            TypeIdentifiant.UE_HORS_FRANCE,
            "FR40303265045",
            "Une structure française s'identifie par son SIRET : choisissez le type « SIRET ».",
        ),
        (
            TypeIdentifiant.UE_HORS_FRANCE,
            "US123456789",
            "Le code pays « US » n'est pas celui d'un État membre de l'Union européenne.",
        ),
        (
            TypeIdentifiant.UE_HORS_FRANCE,
            "DE123456789",
            "Le numéro de TVA intracommunautaire DE123456789 est invalide (format attendu : code pays puis numéro, "
            "par exemple FR40303265045).",
        ),
        (
            TypeIdentifiant.HORS_UE,
            "!",
            "Saisissez l'identifiant de la structure dans son pays (lettres, chiffres, espaces, points, tirets ; "
            "2 à 80 caractères).",
        ),
        (
            TypeIdentifiant.RIDET,
            "12345",
            "Le RIDET comporte le numéro d'entreprise (6 ou 7 chiffres) suivi du rang de l'établissement "
            "(3 chiffres), par exemple 1234567.001.",
        ),
        (
            TypeIdentifiant.TAHITI,
            "A1234",
            "Le numéro TAHITI comporte 6 caractères (lettres ou chiffres) suivis du rang de l'établissement "
            "(3 chiffres), par exemple A12345001.",
        ),
    ],
)
def test_identifiant_invalide(createur, type_identifiant, identifiant, message):
    reponse = client_de(createur).post(URL, donnees(type_identifiant=type_identifiant, identifiant=identifiant))
    assert reponse.status_code == 200
    assert erreurs(reponse, "identifiant") == [message]
    assert "Le formulaire contient 1 erreur" in texte(reponse)
    assert not Structure.objects.exists()


def test_particulier_sans_nom_ni_prenom(createur):
    reponse = client_de(createur).post(URL, donnees(type_identifiant=TypeIdentifiant.PARTICULIER, raison_sociale=""))
    assert erreurs(reponse, "nom") == ["Saisissez le nom du particulier."]
    assert erreurs(reponse, "prenom") == ["Saisissez le prénom du particulier."]
    assert not Structure.objects.exists()


def test_particulier_ne_peut_pas_etre_public(createur):
    reponse = client_de(createur).post(
        URL,
        donnees(type_identifiant=TypeIdentifiant.PARTICULIER, nom="Durand", prenom="Léa", type_structure="PUBLIQUE"),
    )
    assert erreurs(reponse, "type_structure") == ["Un particulier ne peut pas être une structure publique."]
    assert not Structure.objects.exists()


def test_particulier_recoit_un_identifiant_du_portail(createur):
    c = client_de(createur)
    reponse = c.post(
        URL,
        donnees(type_identifiant=TypeIdentifiant.PARTICULIER, identifiant="", raison_sociale="", nom="Durand",
                prenom="Léa"),
    )  # fmt: skip
    structure = Structure.objects.get()
    assert reponse.status_code == 302
    assert structure.identifiant.startswith("PART")
    assert (structure.nom, structure.prenom, structure.raison_sociale) == ("Durand", "Léa", "Léa Durand")


def test_en_cours_d_immatriculation(createur):
    reponse = client_de(createur).post(
        URL, donnees(type_identifiant=TypeIdentifiant.EN_COURS_IMMATRICULATION, identifiant="ignoré")
    )
    assert reponse.status_code == 302
    assert Structure.objects.get().identifiant.startswith("IMMAT")


@pytest.mark.parametrize(
    ("type_identifiant", "identifiant", "attendu"),
    [
        (TypeIdentifiant.UE_HORS_FRANCE, "DE 136 695 976", "DE136695976"),
        (TypeIdentifiant.HORS_UE, "ch-123.456.789", "CH-123.456.789"),
        (TypeIdentifiant.RIDET, "1234567.001", "1234567001"),
        (TypeIdentifiant.TAHITI, "a12345001", "A12345001"),
    ],
)
def test_autres_types_valides(createur, type_identifiant, identifiant, attendu):
    reponse = client_de(createur).post(
        URL, donnees(type_identifiant=type_identifiant, identifiant=identifiant, pays="DE")
    )
    assert reponse.status_code == 302
    assert Structure.objects.get().identifiant == attendu


def test_identifiant_deja_enregistre(createur):
    StructureFactory(identifiant=SIRET)
    reponse = client_de(createur).post(URL, donnees(identifiant="990 000 051 00013"))
    assert erreurs(reponse, "identifiant") == [
        f"Une structure est déjà enregistrée avec l'identifiant {SIRET}. Pour y accéder, demandez un rattachement "
        "à cette structure."
    ]
    assert Structure.objects.count() == 1
    assert not Rattachement.objects.filter(utilisateur=createur).exists()


@pytest.mark.parametrize(
    ("numero_tva", "message"),
    [
        (
            "FR00123",
            "Le numéro de TVA intracommunautaire FR00123 est invalide (format attendu : code pays puis numéro, par "
            "exemple FR40303265045).",
        ),
        ("DE136695976", "Le numéro de TVA d'une structure française commence par FR."),
    ],
)
def test_tva_invalide(createur, numero_tva, message):
    reponse = client_de(createur).post(URL, donnees(numero_tva=numero_tva))
    assert erreurs(reponse, "numero_tva") == [message]
    assert not Structure.objects.exists()


def test_champs_obligatoires_et_resume_des_erreurs(createur):
    reponse = client_de(createur).post(
        URL, donnees(identifiant="", raison_sociale="", adresse="", code_postal="", ville="", type_structure="")
    )
    form = reponse.context["form"]
    assert form.errors == {
        "identifiant": ["Saisissez le SIRET de la structure (14 chiffres)."],
        "raison_sociale": ["Saisissez la raison sociale de la structure."],
        "adresse": ["Saisissez l'adresse (numéro et voie)."],
        "code_postal": ["Saisissez le code postal."],
        "ville": ["Saisissez la ville."],
        "type_structure": ["Indiquez si la structure est privée ou publique."],
    }
    contenu = texte(reponse)
    assert 'id="resume-erreurs"' in contenu and "Le formulaire contient 6 erreurs" in contenu
    assert not Structure.objects.exists()


def test_adresse_electronique_et_telephone_invalides(createur):
    reponse = client_de(createur).post(URL, donnees(email="pas-une-adresse", telephone="abc"))
    assert erreurs(reponse, "email") == ["L'adresse électronique n'est pas valide (format attendu : nom@domaine.fr)."]
    assert erreurs(reponse, "telephone") == [
        "Le numéro de téléphone n'est pas valide : chiffres, espaces, points, tirets et + seulement."
    ]
    assert not Structure.objects.exists()
