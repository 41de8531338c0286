from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from organisation.enums import Application, Niveau, StatutStructure, TypeIdentifiant
from organisation.models import Service, Structure
from tests.conftest import CORPUS, partage_requis
from tests.factories import UtilisateurFactory, rattacher
from tests.facturation.donnees import DONNEES

# Exemples FNFE Factur-X 1.0 : vendeur SIRET 99999999800010, acheteur 78787878400035 (chiffres de contrôle faux :
# les structures sont créées directement, sans le contrôle de SIRET de la création par le portail).
# Les deux valides sont mis au profil Factur-X actuel (tests/facturation/donnees) : un chemin absolu passe CORPUS.
FNFE = DONNEES / "sample_inofficial_20190125_atgp_factur-x_v_1_0.pdf"
FNFE_INVALIDE = "files/zugferd-corpus/ZUGFeRDv2/fail/FNFE-factur-x-examples/Facture_FR_BASIC.pdf"
FNFE_BASICWL = DONNEES / "Facture_FR_BASICWL.pdf"
# UBL d'akretion : vendeur SIRET 99999999800019, acheteur 78787878400018, référence acheteur (BT-10) « 120943 ».
UBL = "files/akretion-factur-x/xml/ubl-21-en16931.xml"
SIRET_VENDEUR_FNFE = "99999999800010"
SIRET_ACHETEUR_FNFE = "78787878400035"


def corpus_octets(chemin):
    return partage_requis(CORPUS / chemin).read_bytes()


def fichier(chemin_ou_octets, nom=None, type_mime="application/octet-stream"):
    if isinstance(chemin_ou_octets, bytes):
        return SimpleUploadedFile(nom or "facture.xml", chemin_ou_octets, content_type=type_mime)
    nom = nom or Path(chemin_ou_octets).name
    return SimpleUploadedFile(nom, corpus_octets(chemin_ou_octets), content_type=type_mime)


def structure(identifiant, raison_sociale, *, est_publique=False, **champs):
    return Structure.objects.create(
        type_identifiant=TypeIdentifiant.SIRET,
        identifiant=identifiant,
        raison_sociale=raison_sociale,
        est_publique=est_publique,
        statut=champs.pop("statut", StatutStructure.ACTIVE),
        **champs,
    )


@pytest.fixture
def vendeur(db):
    return structure(SIRET_VENDEUR_FNFE, "Fournisseur FNFE")


@pytest.fixture
def acheteur(db):
    return structure(SIRET_ACHETEUR_FNFE, "Collectivité FNFE", est_publique=True)


@pytest.fixture
def deposant(vendeur):
    utilisateur = UtilisateurFactory()
    rattacher(utilisateur, vendeur, (Application.FACTURES_EMISES, Niveau.MODIFICATION))
    return utilisateur


@pytest.fixture
def ubl_parties(db):
    vendeur = structure("99999999800019", "Vendeur UBL")
    acheteur = structure("78787878400018", "Acheteur UBL", est_publique=True)
    Service.objects.create(structure=acheteur, code="120943", libelle="Service 120943")
    utilisateur = UtilisateurFactory()
    rattacher(utilisateur, vendeur, (Application.FACTURES_EMISES, Niveau.MODIFICATION))
    return vendeur, acheteur, utilisateur


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def fichiers_enregistres(racine):
    return sorted(p for p in Path(racine).rglob("*") if p.is_file()) if Path(racine).exists() else []
