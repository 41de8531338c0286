"""A file with document allowances (BG-20) and an amount already paid (BT-113) is deposited with both: the invoice
keeps the file's totals and VAT breakdown, however the file spread its allowances over the rates."""

import datetime
from dataclasses import replace
from decimal import Decimal as D

import pytest

from facturation.formats.ecriture_cii import ecrire_cii
from facturation.formats.modele import FactureNeutre, LigneNeutre, Partie, RemiseDocument, Totaux, VentilationTva
from facturation.services.televersement import (
    FORMAT_AUTOMATIQUE,
    facture_televerser,
)
from tests.facturation.televersement.conftest import SIRET_ACHETEUR_FNFE, SIRET_VENDEUR_FNFE, fichier

pytestmark = pytest.mark.django_db


def _ligne(numero, montant, taux):
    return LigneNeutre(
        id=str(numero),
        designation=f"Prestation {numero}",
        quantite=D("1"),
        unite="C62",
        prix_unitaire_ht=montant,
        montant_ht=montant,
        taux_tva=taux,
        categorie_tva="S",
    )


# 11 € TTC off 1000 € HT at 20 % + 200 € HT at 5.5 %, spread as facturation.calcul does; 400 € already paid
REMISEE = FactureNeutre(
    numero="FA-REMISE-1",
    date=datetime.date(2026, 3, 15),
    type_code="380",
    devise="EUR",
    vendeur=Partie(nom="Fournisseur FNFE", siret=SIRET_VENDEUR_FNFE, tva="FR32123456789", pays="FR"),
    acheteur=Partie(nom="Collectivité FNFE", siret=SIRET_ACHETEUR_FNFE, pays="FR"),
    lignes=(_ligne(1, D("1000.00"), D("20")), _ligne(2, D("200.00"), D("5.5"))),
    ventilation_tva=(
        VentilationTva(categorie="S", taux=D("20"), base=D("992.21"), montant=D("198.44")),
        VentilationTva(categorie="S", taux=D("5.5"), base=D("198.44"), montant=D("10.91")),
    ),
    remises=(
        RemiseDocument(montant=D("7.79"), categorie_tva="S", taux_tva=D("20"), motif="Fidélité"),
        RemiseDocument(montant=D("1.56"), categorie_tva="S", taux_tva=D("5.5"), motif="Fidélité"),
    ),
    totaux=Totaux(
        total_lignes_ht=D("1200.00"),
        total_remises=D("9.35"),
        total_ht=D("1190.65"),
        total_tva=D("209.35"),
        total_ttc=D("1400.00"),
        paye_avance=D("400.00"),
        net_a_payer=D("1000.00"),
    ),
)


def test_remise_et_montant_deja_paye_du_fichier_deposes(deposant, vendeur, acheteur, media):
    facture = facture_televerser(par=deposant, fournisseur=vendeur, fichier=fichier(ecrire_cii(REMISEE), "remise.xml"))

    facture.refresh_from_db()
    # the file's allowances (BG-20, BT-107) are kept as such, not turned into the web form's TTC discount
    assert (facture.remise_globale, facture.motif_remise_globale) == (D("0"), "Fidélité")
    assert (facture.total_lignes_ht, facture.total_remises_ht, facture.total_frais_ht) == (D("1200"), D("9.35"), 0)
    assert facture.montant_paye_avance == D("400")
    assert (facture.total_ht, facture.total_tva, facture.total_ttc, facture.net_a_payer) == (
        D("1190.65"),
        D("209.35"),
        D("1400"),
        D("1000"),
    )
    assert [(v.taux, v.base_ht, v.montant_tva, v.remises_ht) for v in facture.ventilations.all()] == [
        (D("20"), D("992.21"), D("198.44"), D("7.79")),
        (D("5.5"), D("198.44"), D("10.91"), D("1.56")),
    ]


def test_remise_repartie_autrement_que_le_portail_deposee_avec_les_montants_du_fichier(
    deposant, vendeur, acheteur, media
):
    # the whole discount on the 20 % rate: valid EN 16931. The portal used to spread it pro rata itself and refuse the
    # file's VAT (MONTANT_INCOHERENT); the file's breakdown is now the invoice's.
    autrement = replace(
        REMISEE,
        ventilation_tva=(
            VentilationTva(categorie="S", taux=D("20"), base=D("990.83"), montant=D("198.17")),
            VentilationTva(categorie="S", taux=D("5.5"), base=D("200.00"), montant=D("11.00")),
        ),
        remises=(RemiseDocument(montant=D("9.17"), categorie_tva="S", taux_tva=D("20"), motif="Fidélité"),),
        totaux=replace(
            REMISEE.totaux,
            total_remises=D("9.17"),
            total_ht=D("1190.83"),
            total_tva=D("209.17"),
            total_ttc=D("1400.00"),
        ),
    )
    facture = facture_televerser(
        par=deposant,
        fournisseur=vendeur,
        fichier=fichier(ecrire_cii(autrement), "remise.xml"),
        format_choisi=FORMAT_AUTOMATIQUE,
    )

    facture.refresh_from_db()
    assert (facture.total_ht, facture.total_tva, facture.total_ttc) == (D("1190.83"), D("209.17"), D("1400"))
    assert [(v.base_ht, v.montant_tva) for v in facture.ventilations.all()] == [
        (D("990.83"), D("198.17")),
        (D("200"), D("11")),
    ]
