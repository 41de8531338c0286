"""facture_soumettre: an invoice from typed data (the API's soumettreFacture) is checked by the entry's rules and
deposited as « Valider et envoyer » deposits it; refused, it leaves nothing behind."""

import datetime
from decimal import Decimal

import pytest

from facturation.enums import ModeDepot, StatutFacture
from facturation.models import Facture
from facturation.services.depot import DepotRefuse
from facturation.services.soumission import FactureSoumise, LigneSoumise, facture_soumettre


def soumise(monde, **champs):
    return FactureSoumise(
        **{
            "fournisseur": monde.fournisseur.pk,
            "numero": "SOUM-1",
            "destinataire": monde.destinataire.identifiant,
            "code_service": "ACHATS",
            "date_facture": datetime.date(2026, 3, 15),
            "mode_paiement": "VIREMENT",
            "lignes": (
                LigneSoumise(designation="Pose", quantite=Decimal(2), prix_unitaire_ht=Decimal(500), taux_tva="20"),
            ),
            **champs,
        }
    )


def test_deposee_comme_la_saisie(monde, media):
    facture = facture_soumettre(par=monde.utilisateur, donnees=soumise(monde))
    facture.refresh_from_db()
    assert (facture.statut, facture.mode_depot, facture.format_depot) == (
        StatutFacture.MISE_A_DISPOSITION,
        ModeDepot.SAISIE_API,
        "FACTURX",
    )
    assert (facture.service_destinataire, facture.total_ttc) == (monde.service, Decimal("1200.000000"))
    assert facture.fichier_pdf and facture.fichier_xml


def test_refusee_avec_chaque_erreur_sur_son_champ_et_rien_d_enregistre(monde, media):
    donnees = soumise(
        monde,
        type_facture="AVOIR",
        devise="XXX",
        lignes=(LigneSoumise(designation="", quantite=Decimal(0), prix_unitaire_ht=Decimal(5), taux_tva="7"),),
    )
    with pytest.raises(DepotRefuse) as refus:
        facture_soumettre(par=monde.utilisateur, donnees=donnees)
    assert [(e.champ, e.message) for e in refus.value.erreurs] == [
        ("devise", "Devise : choisissez une devise de la liste."),
        (
            "numero_facture_origine",
            "Numéro de la facture d'origine : obligatoire pour un avoir, indiquez la facture qu'il corrige.",
        ),
        ("mode_paiement", "Mode de paiement : un avoir ne comporte pas de mode de paiement."),
        ("lignes[0].designation", "Désignation de la ligne 1 : décrivez le bien ou la prestation."),
        ("lignes[0].taux_tva", "Taux de TVA de la ligne 1 : choisissez un taux de la liste."),
        ("lignes[0].quantite", "Quantité de la ligne 1 : la quantité ne peut pas être nulle."),
    ]
    assert not Facture.objects.exists()


def test_un_fournisseur_pour_lequel_on_n_emet_pas(monde, media):
    with pytest.raises(DepotRefuse) as refus:
        facture_soumettre(par=monde.etranger, donnees=soumise(monde))
    assert [(e.champ, e.message) for e in refus.value.erreurs] == [
        ("fournisseur", "Structure du fournisseur : vous n'émettez pas de factures pour cette structure.")
    ]
    assert not Facture.objects.exists()
