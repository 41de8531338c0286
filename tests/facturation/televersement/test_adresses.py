"""An uploaded invoice keeps the postal addresses its file gives (BG-5, BG-8), not its structures' ones; a file
without them takes the structures' addresses at the deposit."""

import datetime
from decimal import Decimal

import pytest

from facturation.formats.ecriture_cii import ecrire_cii
from facturation.formats.modele import FactureNeutre, LigneNeutre, Partie
from facturation.services.televersement import facture_televerser
from tests.facturation.televersement.conftest import UBL, fichier

pytestmark = pytest.mark.django_db

CHAMPS = ("adresse", "complement_1", "complement_2", "code_postal", "ville", "pays")


def _adresse(facture, role):
    return tuple(getattr(facture, f"{role}_{champ}") for champ in CHAMPS)


def test_ubl_depose_avec_les_adresses_du_fichier(ubl_parties, media):
    vendeur, acheteur, utilisateur = ubl_parties
    acheteur.adresse, acheteur.code_postal, acheteur.ville = "Ailleurs", "75001", "Paris"
    acheteur.save()

    facture = facture_televerser(par=utilisateur, fournisseur=vendeur, fichier=fichier(UBL))

    facture.refresh_from_db()
    assert _adresse(facture, "fournisseur") == (
        "1242 chemin de l'olive",
        "Lieu dit des senteurs",
        "ZAC du Mont Ventoux",
        "84340",
        "Malaucène",
        "FR",
    )
    assert _adresse(facture, "destinataire") == (
        "35 rue de la République",
        "La presqu'île",
        "",
        "69001",
        "Lyon",
        "FR",
    )


def test_fichier_sans_adresse_prend_celle_des_structures(deposant, vendeur, acheteur, media):
    acheteur.adresse, acheteur.code_postal, acheteur.ville = "2 rue de la Mairie", "13001", "Marseille"
    acheteur.save()
    sans_adresse = FactureNeutre(
        numero="FA-SANS-ADRESSE",
        date=datetime.date(2026, 3, 15),
        vendeur=Partie(nom=vendeur.raison_sociale, siret=vendeur.identifiant, tva="FR32123456789", pays="FR"),
        acheteur=Partie(nom=acheteur.raison_sociale, siret=acheteur.identifiant, pays="FR"),
        lignes=(
            LigneNeutre(
                id="1",
                designation="Prestation",
                quantite=Decimal(1),
                unite="C62",
                prix_unitaire_ht=Decimal(100),
                montant_ht=Decimal(100),
                taux_tva=Decimal(20),
            ),
        ),
    )
    contenu = ecrire_cii(sans_adresse)
    assert b"LineOne" not in contenu

    facture = facture_televerser(par=deposant, fournisseur=vendeur, fichier=fichier(contenu, "sans-adresse.xml"))

    facture.refresh_from_db()
    assert _adresse(facture, "destinataire") == ("2 rue de la Mairie", "", "", "13001", "Marseille", "FR")
