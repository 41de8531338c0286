"""The edit forms of the structure page: delayed changes (pending, then applied once due) and attachments."""

import os
from datetime import date, timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from chorus.models import ModificationDifferee
from chorus.tasks import appliquer_modifications_en_retard
from organisation.enums import Application
from organisation.models import CoordonneeBancaire, MandatFacturation, PieceJointeStructure, Service
from tests.organisation.structures.outils import BIC, IBAN, client_de, texte


def appliquer_les_modifications_dues():
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        appliquer_modifications_en_retard()


def url(nom, structure, *args):
    return reverse(f"organisation:{nom}", args=[structure.pk, *args])


def erreurs(reponse, champ):
    return reponse.context["form"].errors.get(champ, [])


def rien_en_attente():
    return not ModificationDifferee.objects.exists()


# --- fiche -----------------------------------------------------------------------------------------------------------


def fiche(structure, **champs):
    return {
        "raison_sociale": structure.raison_sociale, "numero_tva": structure.numero_tva,
        "numero_rcs": structure.numero_rcs, "email": structure.email, "adresse": structure.adresse,
        "complement_1": "", "complement_2": "", "code_postal": structure.code_postal, "ville": structure.ville,
        "pays": structure.pays, "telephone": structure.telephone, **champs,
    }  # fmt: skip


def test_fiche_modifiee_apres_le_delai(gp, structure):
    c = client_de(gp)
    assert "Boulangerie Martin" in texte(c.get(url("structure_fiche_modifier", structure)))
    reponse = c.post(
        url("structure_fiche_modifier", structure),
        fiche(structure, raison_sociale="Boulangerie Martin et fils", ville="Lyon"),
        follow=True,
    )
    contenu = texte(reponse)
    assert "La modification de la fiche de la structure est enregistrée. Date d'effet :" in contenu
    assert "Modification en attente : Modification de la fiche de la structure (raison_sociale, ville)" in contenu
    structure.refresh_from_db()
    assert structure.raison_sociale == "Boulangerie Martin"  # not yet

    appliquer_les_modifications_dues()
    structure.refresh_from_db()
    assert (structure.raison_sociale, structure.ville) == ("Boulangerie Martin et fils", "Lyon")
    contenu = texte(c.get(url("structure", structure)))
    assert "Modification en attente" not in contenu and "Boulangerie Martin et fils" in contenu


def test_fiche_sans_changement(gp, structure):
    reponse = client_de(gp).post(url("structure_fiche_modifier", structure), fiche(structure))
    assert reponse.context["form"].non_field_errors() == ["Aucune modification n'a été saisie."]
    assert rien_en_attente()


@pytest.mark.parametrize(
    ("champs", "champ", "message"),
    [
        ({"raison_sociale": ""}, "raison_sociale", "Saisissez la raison sociale de la structure."),
        ({"numero_tva": "DE136695976"}, "numero_tva", "Le numéro de TVA d'une structure française commence par FR."),
        (
            {"numero_tva": "FR123"},
            "numero_tva",
            "Le numéro de TVA intracommunautaire FR123 est invalide (format attendu : code pays puis numéro, par "
            "exemple FR40303265045).",
        ),
        ({"pays": "ZZ"}, "pays", "Choisissez un pays de la liste."),
    ],
)
def test_fiche_invalide(gp, structure, champs, champ, message):
    reponse = client_de(gp).post(url("structure_fiche_modifier", structure), fiche(structure, **champs))
    assert erreurs(reponse, champ) == [message]
    assert rien_en_attente()


# --- paramètres ------------------------------------------------------------------------------------------------------


def test_parametres_et_espaces(gp, structure):
    c = client_de(gp)
    contenu = texte(c.get(url("structure_parametres_modifier", structure)))
    assert "Code service doit être renseigné" in contenu and "Factures reçues" in contenu
    reponse = c.post(
        url("structure_parametres_modifier", structure),
        {"code_service_obligatoire": "on", "moa_uniquement": "on", "espaces": ["FACTURES_RECUES"]},
        follow=True,
    )
    assert "Modification en attente : Modification des paramètres de la structure" in texte(reponse)
    appliquer_les_modifications_dues()
    structure.refresh_from_db()
    assert structure.code_service_obligatoire and structure.moa_uniquement and not structure.engagement_obligatoire
    assert structure.espaces == [Application.FACTURES_RECUES, Application.ORGANISATION]


def test_parametres_incompatibles(gp, structure):
    reponse = client_de(gp).post(
        url("structure_parametres_modifier", structure),
        {"engagement_obligatoire": "on", "engagement_ou_service": "on", "espaces": ["FACTURES_RECUES"]},
    )
    assert erreurs(reponse, "engagement_ou_service") == [
        "« Gestion numéro d'engagement ou code service » ne se combine pas avec l'obligation du numéro "
        "d'engagement ou du code service : choisissez l'une ou l'autre règle."
    ]
    assert rien_en_attente()


def test_parametres_sans_espace(gp, structure):
    reponse = client_de(gp).post(url("structure_parametres_modifier", structure), {"moa_uniquement": "on"})
    assert erreurs(reponse, "espaces") == ["Choisissez au moins un espace utilisé par la structure."]
    assert rien_en_attente()


def test_parametres_inchanges_tous_les_espaces(gp, structure):
    tous = [valeur for valeur in Application.values if valeur != Application.ORGANISATION]
    reponse = client_de(gp).post(url("structure_parametres_modifier", structure), {"espaces": tous})
    assert reponse.context["form"].non_field_errors() == ["Aucune modification n'a été saisie."]
    assert rien_en_attente()


# --- services --------------------------------------------------------------------------------------------------------


def service(**champs):
    return {
        "code": "achats", "libelle": "Service des achats", "description": "", "date_debut_validite": "",
        "date_fin_validite": "", "actif": "on", "mise_en_paiement": "on", "adresse": "", "complement_1": "",
        "complement_2": "", "code_postal": "", "ville": "", "pays": "FR", "telephone": "", **champs,
    }  # fmt: skip


def test_service_cree_apres_le_delai(gp, structure):
    c = client_de(gp)
    reponse = c.post(
        url("structure_service_ajouter", structure),
        service(engagement_obligatoire="on", date_debut_validite="2026-01-01"),
        follow=True,
    )
    contenu = texte(reponse)
    assert "La création du service est enregistrée. Date d'effet :" in contenu
    assert "Modification en attente : Création du service ACHATS" in contenu
    assert not Service.objects.exists()

    appliquer_les_modifications_dues()
    cree = Service.objects.get(structure=structure)
    assert (cree.code, cree.libelle, cree.engagement_obligatoire, cree.actif) == (
        "ACHATS", "Service des achats", True, True
    )  # fmt: skip
    assert cree.date_debut_validite == date(2026, 1, 1)


@pytest.mark.parametrize(
    ("champs", "champ", "message"),
    [
        ({"code": ""}, "code", "Saisissez le code du service."),
        ({"libelle": ""}, "libelle", "Saisissez le libellé du service."),
        (
            {"code": "factures_publiques"},
            "code",
            "Le code FACTURES_PUBLIQUES est réservé aux factures entre structures publiques.",
        ),
        ({"code": "compta"}, "code", "Le service COMPTA existe déjà dans cette structure."),
        (
            {"date_debut_validite": "2026-06-01", "date_fin_validite": "2026-01-01"},
            "date_fin_validite",
            "La fin de validité précède le début de validité.",
        ),
        (
            {"date_debut_validite": "32/13/2026"},
            "date_debut_validite",
            "La date « début de validité » n'est pas valide (format attendu : jj/mm/aaaa).",
        ),
    ],
)
def test_service_invalide(gp, structure, service_existant, champs, champ, message):
    reponse = client_de(gp).post(url("structure_service_ajouter", structure), service(**champs))
    assert erreurs(reponse, champ) == [message]
    assert rien_en_attente()
    assert Service.objects.count() == 1


@pytest.fixture
def service_existant(service):
    return service


def test_service_deja_en_attente(gp, structure):
    c = client_de(gp)
    c.post(url("structure_service_ajouter", structure), service())
    reponse = c.post(url("structure_service_ajouter", structure), service())
    assert erreurs(reponse, "code") == ["La création du service ACHATS est déjà en attente."]
    assert ModificationDifferee.objects.count() == 1


def test_service_rendu_inactif(gp, structure, service):
    c = client_de(gp)
    formulaire = c.get(url("structure_service_modifier", structure, service.pk))
    assert "Service comptable" in texte(formulaire)
    reponse = c.post(
        url("structure_service_modifier", structure, service.pk),
        {**{k: v for k, v in globals()["service"](libelle="Service comptable").items() if k != "code"},
         "actif": ""},
        follow=True,
    )  # fmt: skip
    assert "Modification en attente : Modification du service COMPTA" in texte(reponse)
    appliquer_les_modifications_dues()
    service.refresh_from_db()
    assert not service.actif


def test_service_d_une_autre_structure_introuvable(gp, structure, etranger):
    autre = etranger.rattachements.get().structure
    service_autre = Service.objects.create(structure=autre, code="X", libelle="X")
    reponse = client_de(gp).get(url("structure_service_modifier", structure, service_autre.pk))
    assert reponse.status_code == 404


# --- coordonnées bancaires -------------------------------------------------------------------------------------------


def test_coordonnees_ajoutees_apres_le_delai(gp, structure):
    c = client_de(gp)
    reponse = c.post(
        url("structure_coordonnee_ajouter", structure),
        {"titulaire": "Boulangerie Martin", "iban": "fr76 3000 6000 0112 3456 7890 189", "bic": "bnpafrpp",
         "affactureur": "on"},
        follow=True,
    )  # fmt: skip
    assert "Modification en attente : Ajout des coordonnées bancaires FR76 •••• 0189" in texte(reponse)
    assert not CoordonneeBancaire.objects.exists()
    appliquer_les_modifications_dues()
    coordonnee = CoordonneeBancaire.objects.get()
    assert (coordonnee.iban, coordonnee.bic, coordonnee.affactureur) == (IBAN, "BNPAFRPP", True)


def test_coordonnees_modifiees_apres_le_delai(gp, structure, coordonnee):
    c = client_de(gp)
    assert "FR76 3000 6000 0112 3456 7890 189" in texte(c.get(url("structure_coordonnee_modifier", structure,
                                                                     coordonnee.pk)))  # fmt: skip
    reponse = c.post(
        url("structure_coordonnee_modifier", structure, coordonnee.pk),
        {"titulaire": "Martin SARL", "iban": IBAN, "bic": BIC},
        follow=True,
    )
    assert "Modification en attente : Modification des coordonnées bancaires FR76 •••• 0189" in texte(reponse)
    coordonnee.refresh_from_db()
    assert coordonnee.titulaire == "Boulangerie Martin"
    appliquer_les_modifications_dues()
    coordonnee.refresh_from_db()
    assert (coordonnee.titulaire, coordonnee.affactureur) == ("Martin SARL", False)


def test_coordonnees_desactivees_apres_le_delai(gp, structure, coordonnee):
    c = client_de(gp)
    reponse = c.post(url("structure_coordonnee_desactiver", structure, coordonnee.pk), follow=True)
    assert "Modification en attente : Désactivation des coordonnées bancaires FR76 •••• 0189" in texte(reponse)
    assert c.get(url("structure_coordonnee_desactiver", structure, coordonnee.pk)).status_code == 405
    appliquer_les_modifications_dues()
    coordonnee.refresh_from_db()
    assert not coordonnee.actif


@pytest.mark.parametrize(
    ("champs", "champ", "message"),
    [
        (
            {"iban": "FR7630006000011234567890188"},
            "iban",
            "L'IBAN FR7630006000011234567890188 est invalide : sa clé de contrôle ne correspond pas. Vérifiez la "
            "saisie.",
        ),
        (
            {"iban": "FR76300060000112345678901"},
            "iban",
            "L'IBAN FR76300060000112345678901 n'a pas la longueur attendue pour un compte du pays FR.",
        ),
        ({"iban": ""}, "iban", "Saisissez l'IBAN du compte."),
        (
            {"bic": "BNP"},
            "bic",
            "Le BIC BNP est invalide : il comporte 8 ou 11 lettres et chiffres (par exemple BNPAFRPPXXX).",
        ),
        ({"titulaire": ""}, "titulaire", "Saisissez le titulaire du compte."),
    ],
)
def test_coordonnees_invalides(gp, structure, champs, champ, message):
    reponse = client_de(gp).post(
        url("structure_coordonnee_ajouter", structure), {"titulaire": "Martin", "iban": IBAN, "bic": BIC, **champs}
    )
    assert erreurs(reponse, champ) == [message]
    assert rien_en_attente() and not CoordonneeBancaire.objects.exists()


def test_coordonnees_deja_enregistrees(gp, structure, coordonnee):
    reponse = client_de(gp).post(url("structure_coordonnee_ajouter", structure), {"titulaire": "X", "iban": IBAN})
    assert erreurs(reponse, "iban") == ["Ce compte (IBAN) est déjà enregistré pour la structure."]
    assert rien_en_attente()


# --- mandat de facturation -------------------------------------------------------------------------------------------

MANDATAIRE = {"mandataire_identifiant": "990 000 051 00013", "mandataire_raison_sociale": "Cabinet Conseil",
              "date_debut": "2026-01-01", "date_fin": ""}  # fmt: skip


def test_mandat_ajoute_puis_modifie(gp, structure):
    c = client_de(gp)
    reponse = c.post(url("structure_mandat_ajouter", structure), MANDATAIRE, follow=True)
    assert "Modification en attente : Mandat de facturation à Cabinet Conseil" in texte(reponse)
    appliquer_les_modifications_dues()
    mandat = MandatFacturation.objects.get()
    assert (mandat.mandataire_identifiant, mandat.date_debut) == ("99000005100013", date(2026, 1, 1))

    c.post(url("structure_mandat_modifier", structure, mandat.pk), {**MANDATAIRE, "date_fin": "2026-12-31"})
    appliquer_les_modifications_dues()
    mandat.refresh_from_db()
    assert mandat.date_fin == date(2026, 12, 31)


@pytest.mark.parametrize(
    ("champs", "champ", "message"),
    [
        ({"mandataire_identifiant": "123"}, "mandataire_identifiant",
         "Le SIRET doit comporter 14 chiffres (3 caractères saisis)."),
        ({"date_fin": "2025-01-01"}, "date_fin", "La fin du mandat précède son début."),
        ({"date_debut": ""}, "date_debut", "Saisissez la date de début du mandat."),
        ({"mandataire_raison_sociale": ""}, "mandataire_raison_sociale",
         "Saisissez la raison sociale du mandataire."),
    ],
)  # fmt: skip
def test_mandat_invalide(gp, structure, champs, champ, message):
    reponse = client_de(gp).post(url("structure_mandat_ajouter", structure), {**MANDATAIRE, **champs})
    assert erreurs(reponse, champ) == [message]
    assert rien_en_attente()


# --- pièces jointes --------------------------------------------------------------------------------------------------


def televerser(c, structure, nom, contenu=b"%PDF-1.4 test", type_piece="KBIS"):
    return c.post(
        url("structure_piece_ajouter", structure),
        {"type_piece": type_piece, "fichier": SimpleUploadedFile(nom, contenu)},
    )


def test_piece_jointe_ajoutee_telechargee_supprimee(gp, structure, lecteur, django_capture_on_commit_callbacks):
    c = client_de(gp)
    formulaire = texte(c.get(url("structure_piece_ajouter", structure)))
    assert "50 caractères au plus, extension comprise" in formulaire and "pdf" in formulaire
    assert "Type de document" in formulaire and "Attestation de vigilance URSSAF" in formulaire
    reponse = televerser(c, structure, "kbis.pdf")
    assert reponse.status_code == 302
    piece = PieceJointeStructure.objects.get()
    assert (piece.nom, piece.taille, piece.ajoutee_par, piece.type_piece) == ("kbis.pdf", 13, gp, "KBIS")

    page = texte(c.get(url("structure", structure)))
    assert "kbis.pdf" in page and "13" in page and "Extrait Kbis" in page
    assert "/media/" not in page  # never a public media address

    # a reader may download; the file comes through the view
    telechargement = client_de(lecteur).get(url("structure_piece_telecharger", structure, piece.pk))
    assert telechargement.status_code == 200
    assert b"".join(telechargement.streaming_content) == b"%PDF-1.4 test"
    assert telechargement["Content-Disposition"] == 'attachment; filename="kbis.pdf"'

    chemin = piece.fichier.path
    with django_capture_on_commit_callbacks(execute=True):
        reponse = c.post(url("structure_piece_supprimer", structure, piece.pk), follow=True)
    assert "La pièce jointe « kbis.pdf » est supprimée." in texte(reponse)
    assert not PieceJointeStructure.objects.exists()
    assert not os.path.exists(chemin)


@pytest.mark.parametrize(
    ("nom", "contenu", "message"),
    [
        (
            "a" * 47 + ".pdf",
            b"x",
            f"Le nom du fichier « {'a' * 47}.pdf » fait 51 caractères : 50 au plus, extension comprise. Renommez "
            "le fichier.",
        ),
        ("programme.exe", b"MZ", "Le format « .exe » n'est pas accepté. Formats acceptés : "),
        ("vide.pdf", b"", "Le fichier « vide.pdf » est vide."),
        (
            "gros.pdf",
            b"x" * (10 * 1024 * 1024),
            "Le fichier « gros.pdf » pèse 10,0 Mo : il doit peser moins de 10 Mo.",
        ),
    ],
)
def test_piece_jointe_refusee(gp, structure, nom, contenu, message):
    reponse = televerser(client_de(gp), structure, nom, contenu)
    [erreur] = erreurs(reponse, "fichier")
    assert erreur.startswith(message)
    assert not PieceJointeStructure.objects.exists()


def test_piece_jointe_au_nom_deja_pris(gp, structure):
    c = client_de(gp)
    televerser(c, structure, "rib.pdf")
    reponse = televerser(c, structure, "rib.pdf", b"autre contenu")
    assert erreurs(reponse, "fichier") == ["Une pièce jointe s'appelle déjà « rib.pdf » : renommez le fichier."]
    assert PieceJointeStructure.objects.count() == 1


def test_piece_jointe_d_un_type_inconnu(gp, structure):
    reponse = televerser(client_de(gp), structure, "rib.pdf", type_piece="PASSEPORT")
    assert erreurs(reponse, "type_piece") == ["Choisissez un type de document de la liste."]
    assert not PieceJointeStructure.objects.exists()


def test_piece_jointe_sans_fichier(gp, structure):
    reponse = client_de(gp).post(url("structure_piece_ajouter", structure), {})
    assert erreurs(reponse, "fichier") == ["Choisissez un fichier."]
