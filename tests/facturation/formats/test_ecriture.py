"""Écriture CII EN 16931 et Factur-X : validation XSD + règles EN 16931, relecture par lire()."""

import datetime
from dataclasses import replace
from decimal import Decimal

import facturx
import pytest
from lxml import etree

from facturation.formats.ecriture_cii import ecrire_cii
from facturation.formats.facturx import generer_facturx, html_facture
from facturation.formats.lecture import lire
from facturation.formats.modele import FactureNeutre, LigneNeutre, Partie, Totaux, VentilationTva
from facturation.formats.pdf_texte import extraire_texte
from facturation.validation import valider
from facturation.validation.couches import COUCHE_EN16931, COUCHE_XSD

DESIGNATION_PIEGE = 'Câble <RJ45> & prise "cat. 6"'


@pytest.fixture(scope="module")
def facture() -> FactureNeutre:
    return FactureNeutre(
        numero="FA-2026-042",
        date=datetime.date(2026, 3, 15),
        type_code="380",
        devise="EUR",
        reference_acheteur="SERVICE-COMPTA",
        engagement="EJ-1000234",
        marche="MARCHE-2026-07",
        vendeur=Partie(
            nom="Fournisseur & Fils SA",
            siret="12345678900011",
            tva="FR32123456789",
            pays="FR",
            adresse="12 rue des <Artisans> & Co",
            complement_1="Zone du Moulin",
            code_postal="69003",
            ville="Lyon",
        ),
        acheteur=Partie(
            nom="Mairie de Lyon",
            siret="21690123100011",
            pays="FR",
            adresse="1 place de la Comédie",
            complement_1="Hôtel de ville",
            complement_2="Direction des finances",
            code_postal="69001",
            ville="Lyon",
        ),
        conditions_paiement="Paiement à 30 jours.\nIndemnité forfaitaire pour frais de recouvrement : 40 €.",
        echeance=datetime.date(2026, 4, 14),
        lignes=(
            LigneNeutre(
                id="1",
                designation=DESIGNATION_PIEGE,
                quantite=Decimal("2"),
                unite="C62",
                prix_unitaire_ht=Decimal("500.00"),
                montant_ht=Decimal("1000.00"),
                taux_tva=Decimal("20"),
                categorie_tva="S",
            ),
            LigneNeutre(
                id="2",
                designation="Ouvrages de bibliothèque",
                quantite=Decimal("10"),
                unite="C62",
                prix_unitaire_ht=Decimal("20.00"),
                montant_ht=Decimal("200.00"),
                taux_tva=Decimal("5.5"),
                categorie_tva="S",
            ),
        ),
        ventilation_tva=(
            VentilationTva(categorie="S", taux=Decimal("20"), base=Decimal("1000.00"), montant=Decimal("200.00")),
            VentilationTva(categorie="S", taux=Decimal("5.5"), base=Decimal("200.00"), montant=Decimal("11.00")),
        ),
        totaux=Totaux(
            total_lignes_ht=Decimal("1200.00"),
            total_ht=Decimal("1200.00"),
            total_tva=Decimal("211.00"),
            total_ttc=Decimal("1411.00"),
            net_a_payer=Decimal("1411.00"),
        ),
    )


def test_cii_ecrit_passe_xsd_et_regles_en16931(facture):
    rapport = valider(ecrire_cii(facture), "cii")

    assert rapport.profil == "en16931"
    assert COUCHE_XSD in rapport.couches_executees
    assert COUCHE_EN16931 in rapport.couches_executees
    assert rapport.erreurs == []


def test_ventilation_calculee_quand_absente_du_modele(facture):
    sans_ventilation = replace(facture, ventilation_tva=())

    xml = ecrire_cii(sans_ventilation)

    assert valider(xml, "cii").erreurs == []
    _, relue, _ = lire(xml)
    assert relue.ventilation_tva == facture.ventilation_tva


def test_facturx_relu_a_l_identique(facture):
    pdf = generer_facturx(facture)

    syntaxe, relue, xml = lire(pdf)

    assert syntaxe == "factur-x-pdf"
    assert xml == ecrire_cii(facture)
    assert relue.numero == facture.numero
    assert relue.date == facture.date
    assert relue.totaux == facture.totaux
    assert isinstance(relue.totaux.total_ttc, Decimal)
    assert relue.vendeur.siret == "12345678900011"
    assert relue.acheteur.siret == "21690123100011"
    assert relue.vendeur.tva == "FR32123456789"
    assert (relue.reference_acheteur, relue.engagement, relue.marche) == (
        "SERVICE-COMPTA",
        "EJ-1000234",
        "MARCHE-2026-07",
    )
    assert relue.lignes == facture.lignes
    assert relue.ventilation_tva == facture.ventilation_tva
    assert relue.anomalies == ()
    # BG-5, BG-8, BT-9, BT-20
    champs = ("adresse", "complement_1", "complement_2", "code_postal", "ville", "pays")
    for partie, ecrite in ((relue.vendeur, facture.vendeur), (relue.acheteur, facture.acheteur)):
        assert [getattr(partie, c) for c in champs] == [getattr(ecrite, c) for c in champs]
    assert (relue.echeance, relue.conditions_paiement) == (facture.echeance, facture.conditions_paiement)
    texte = " ".join(extraire_texte(pdf).split())
    assert "12 rue des <Artisans> & Co" in texte and "69001 Lyon" in texte and "Date d'échéance : 14/04/2026" in texte
    # factur-x reconnaît lui-même le profil déclaré dans le PDF (XMP) et le XML joint.
    nom, xml_joint = facturx.get_xml_from_pdf(pdf, check_xsd=True)
    assert nom == "factur-x.xml"
    assert facturx.get_level(etree.fromstring(xml_joint)) == "en16931"


def test_valeurs_piegees_echappees(facture):
    xml = ecrire_cii(facture)

    assert b'C\xc3\xa2ble &lt;RJ45&gt; &amp; prise "cat. 6"' in xml
    assert b"<RJ45>" not in xml
    _, relue, _ = lire(xml)
    assert relue.lignes[0].designation == DESIGNATION_PIEGE
    assert relue.vendeur.nom == "Fournisseur & Fils SA"
    page = html_facture(facture)
    assert "C\u00e2ble &lt;RJ45&gt; &amp; prise &quot;cat. 6&quot;" in page
    assert "<RJ45>" not in page


def test_total_incoherent_signale(facture):
    # Une ligne change de montant sans que les totaux suivent : la somme des lignes ne tombe plus juste.
    ligne_fausse = replace(facture.lignes[0], montant_ht=Decimal("999.00"))
    fausse = replace(facture, lignes=(ligne_fausse, facture.lignes[1]))

    rapport = valider(ecrire_cii(fausse), "cii")

    codes = {a.code for a in rapport.erreurs}
    assert "BR-CO-10" in codes, codes


def test_ttc_incoherent_signale(facture):
    fausse = replace(facture, totaux=replace(facture.totaux, total_ttc=Decimal("1500.00")))

    codes = {a.code for a in valider(ecrire_cii(fausse), "cii").erreurs}

    assert "BR-CO-15" in codes, codes
