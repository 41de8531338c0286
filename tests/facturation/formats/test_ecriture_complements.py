"""What the web entry adds to the CII: VAT exemption (BR-E-10), global discount as allowances (BG-20), amount already
paid (BT-113), payment terms (BT-20), payment means and bank account (BG-16, BG-17), the line's seller reference
(BT-155). Each written file passes the XSD and the EN 16931 rules and reads back with the same values (CII and, for the
syntax-neutral fields, the Factur-X PDF)."""

import datetime
from dataclasses import replace
from decimal import Decimal as D

import pytest

from facturation.formats.ecriture_cii import ecrire_cii
from facturation.formats.facturx import generer_facturx, html_facture
from facturation.formats.lecture import lire
from facturation.formats.modele import (
    FactureNeutre,
    LigneNeutre,
    Paiement,
    Partie,
    RemiseDocument,
    Totaux,
    VentilationTva,
)
from facturation.validation import valider


def _ligne(numero, montant, taux, categorie="S", reference=None):
    return LigneNeutre(
        id=str(numero),
        designation=f"Prestation {numero}",
        quantite=D("1"),
        unite="C62",
        prix_unitaire_ht=montant,
        montant_ht=montant,
        taux_tva=taux,
        categorie_tva=categorie,
        reference_vendeur=reference,
    )


BASE = FactureNeutre(
    numero="FA-2026-100",
    date=datetime.date(2026, 3, 15),
    type_code="380",
    devise="EUR",
    reference_acheteur="ACHATS",
    vendeur=Partie(nom="Menuiserie Dubois", siret="12345678900011", tva="FR32123456789", pays="FR"),
    acheteur=Partie(nom="Mairie de Lyon", siret="21690123100011", pays="FR"),
)

EXONEREE = replace(
    BASE,
    lignes=(_ligne(1, D("1000.00"), D("0"), "E"), _ligne(2, D("100.00"), D("20"))),
    ventilation_tva=(
        VentilationTva(categorie="S", taux=D("20"), base=D("100.00"), montant=D("20.00")),
        VentilationTva(
            categorie="E",
            taux=D("0"),
            base=D("1000.00"),
            montant=D("0.00"),
            motif_exoneration="Exonération de TVA, article 261 du CGI",
            code_exoneration="VATEX-FR-FRANCHISE",
        ),
    ),
    totaux=Totaux(total_lignes_ht=D("1100.00"), total_ht=D("1100.00"), total_tva=D("20.00"), total_ttc=D("1120.00")),
)

# 11 € TTC off 1000 € at 20 % + 200 € at 5.5 %, as facturation.calcul spreads it
REMISE = replace(
    BASE,
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
        net_a_payer=D("1400.00"),
    ),
)

PAYEE_EN_PARTIE = replace(
    BASE,
    lignes=(_ligne(1, D("1000.00"), D("20")),),
    totaux=Totaux(
        total_lignes_ht=D("1000.00"),
        total_ht=D("1000.00"),
        total_tva=D("200.00"),
        total_ttc=D("1200.00"),
        paye_avance=D("300.00"),
        net_a_payer=D("900.00"),
    ),
)

VIREMENT = replace(
    BASE,
    lignes=(_ligne(1, D("1000.00"), D("20"), reference="REF-FEN-01"),),
    totaux=Totaux(total_lignes_ht=D("1000.00"), total_ht=D("1000.00"), total_tva=D("200.00"), total_ttc=D("1200.00")),
    conditions_paiement="Paiement à 30 jours à compter de la réception de la facture. Mode de paiement : virement.",
    paiement=Paiement(code="58", iban="FR7630006000011234567890189", titulaire="Menuiserie Dubois", bic="AGRIFRPP"),
)

CAS = {"exoneree": EXONEREE, "remise": REMISE, "payee_en_partie": PAYEE_EN_PARTIE, "virement": VIREMENT}


@pytest.mark.parametrize("cas", CAS)
def test_cii_valide_et_relu_a_l_identique(cas):
    facture = CAS[cas]
    xml = ecrire_cii(facture)

    rapport = valider(xml, "cii")

    assert [str(e) for e in rapport.erreurs] == []
    _syntaxe, relue, _ = lire(xml)
    assert relue.lignes == facture.lignes
    assert relue.ventilation_tva == (facture.ventilation_tva or relue.ventilation_tva)
    assert relue.remises == facture.remises
    assert relue.paiement == facture.paiement
    assert relue.totaux.total_ht == facture.totaux.total_ht
    assert relue.totaux.total_ttc == facture.totaux.total_ttc
    assert relue.totaux.total_lignes_ht == facture.totaux.total_lignes_ht
    assert relue.totaux.total_remises == facture.totaux.total_remises
    assert relue.totaux.paye_avance == facture.totaux.paye_avance
    assert relue.totaux.net_a_payer == facture.totaux.total_ttc - (facture.totaux.paye_avance or 0)
    assert relue.anomalies == ()


def test_sans_motif_l_exoneration_est_refusee_br_e_10():
    sans_motif = replace(
        EXONEREE,
        ventilation_tva=tuple(
            replace(v, motif_exoneration=None, code_exoneration=None) for v in EXONEREE.ventilation_tva
        ),
    )
    assert "BR-E-10" in {a.code for a in valider(ecrire_cii(sans_motif), "cii").erreurs}


def test_motif_d_exoneration_relu():
    _syntaxe, relue, _ = lire(ecrire_cii(EXONEREE))
    exoneree = next(v for v in relue.ventilation_tva if v.categorie == "E")
    assert (exoneree.motif_exoneration, exoneree.code_exoneration) == (
        "Exonération de TVA, article 261 du CGI",
        "VATEX-FR-FRANCHISE",
    )


def test_remises_calculees_en_ventilation_quand_absente():
    # the breakdown derived by the writer deducts the allowances of each rate (BR-S-08)
    xml = ecrire_cii(replace(REMISE, ventilation_tva=()))
    assert valider(xml, "cii").erreurs == []
    _syntaxe, relue, _ = lire(xml)
    assert {(v.taux, v.base) for v in relue.ventilation_tva} == {(D("20"), D("992.21")), (D("5.5"), D("198.44"))}


def test_conditions_de_paiement_de_l_appel_ou_du_modele():
    _s, relue, _ = lire(ecrire_cii(VIREMENT))
    assert relue.conditions_paiement == VIREMENT.conditions_paiement
    _s, relue, _ = lire(ecrire_cii(VIREMENT, conditions_paiement="Paiement à 45 jours."))
    assert relue.conditions_paiement == "Paiement à 45 jours."
    _s, relue, _ = lire(ecrire_cii(replace(VIREMENT, conditions_paiement=None)))
    assert relue.conditions_paiement == "Paiement à 30 jours à compter de la réception de la facture."


def test_reference_de_ligne_en_bt_155_sans_toucher_a_la_designation():
    _s, relue, _ = lire(ecrire_cii(VIREMENT))
    assert (relue.lignes[0].reference_vendeur, relue.lignes[0].designation) == ("REF-FEN-01", "Prestation 1")


def test_facturx_remise_et_virement_relus_du_pdf():
    facture = replace(REMISE, paiement=VIREMENT.paiement, conditions_paiement=VIREMENT.conditions_paiement)
    pdf = generer_facturx(facture)
    syntaxe, relue, _ = lire(pdf)
    assert syntaxe == "factur-x-pdf"
    assert relue.remises == facture.remises
    assert relue.paiement == facture.paiement
    assert relue.conditions_paiement == facture.conditions_paiement
    page = html_facture(facture)
    assert "Remise globale (Fidélité), TVA 20 %" in page
    assert "FR7630006000011234567890189" in page
