"""Issue #13, EXTENDED and EXTENDED-CTC-FR: the per-category rules of these artefacts (BR-FXEXT-S08b, BR-FXEXT-S-08,
BR-FREXT-S-08… with their « ini » and « rev » warnings, BR-FXEXT-S-09b, BR-FREXT-CO-10…) refuse with the rule, the
business term, the value found, the value expected and how it was computed, like the EN 16931 ones.

Akretion's EXTENDED CII and UBL EXTENDED-CTC-FR samples from the corpus, one amount shifted; the CII EXTENDED-CTC-FR
case is the EXTENDED sample declared EXTENDED-CTC-FR (BT-24), which its artefact passes as it is."""

import pytest

from facturation.models import Facture
from facturation.services.televersement import COUCHE_EN16931
from tests.facturation.televersement.conftest import corpus_octets, fichier
from tests.facturation.televersement.test_montants_du_fichier import avec_parties
from tests.facturation.televersement.test_service import refus

pytestmark = pytest.mark.django_db

EXTENDED = "files/akretion-factur-x/xml/factur-x-extended.xml"
EXTENDED_SOUS_LIGNES = "files/phive-rules/2.5.2/extended/factur-x-22.xml"
# the last line of that file, « 02 », is a GROUP of 360,00 + 90,00
GROUPE_02 = (
    b"<ram:LineTotalAmount>450.00</ram:LineTotalAmount>\n        </ram:SpecifiedTradeSettlementLineMonetarySummation>"
    b"\n      </ram:SpecifiedLineTradeSettlement>\n    </ram:IncludedSupplyChainTradeLineItem>\n"
    b"    <ram:ApplicableHeaderTradeAgreement>"
)
UBL_CTC_FR = "files/akretion-factur-x/xml/ubl-21-extended-ctc-fr.xml"
BT24_EXTENDED = b"urn:cen.eu:en16931:2017#conformant#urn:factur-x.eu:1p0:extended</ram:ID>"
BT24_CTC_FR = b"urn:cen.eu:en16931:2017#conformant#urn.cpro.gouv.fr:1p0:extended-ctc-fr</ram:ID>"
# the S breakdown at 20 %: lines 7,00, charges 11,00, allowances 7,00 (the sample's BT-116 is 11,00)
BASE_S_20 = "BT-116 = Σ BT-131 + Σ BT-99 − Σ BT-92 (catégorie S au même taux) = 7,00 + 11,00 − 7,00 = 11,00 EUR"


def _regles(erreur):
    return {e.code: e for e in erreur.erreurs if e.couche == COUCHE_EN16931}


def test_base_de_tva_decalee_extended_refusee_avec_son_calcul(deposant, vendeur, acheteur):
    contenu = avec_parties(EXTENDED, (b">11.00</ram:BasisAmount>", b">12.00</ram:BasisAmount>"))

    erreur = refus(par=deposant, fournisseur=vendeur, fichier=contenu)

    regles = _regles(erreur)
    s08 = regles["BR-FXEXT-S08b"]
    assert s08.bloquante
    assert s08.valeur_trouvee == "12,00 EUR"
    assert s08.valeur_attendue == f"{BASE_S_20} (à 0,06 près)"
    assert s08.message == (
        "Règle Factur-X EXTENDED BR-FXEXT-S08b : la base HT (BT-116 (S, 20 %)) du fichier vaut 12,00 EUR ; la règle "
        f"attend {BASE_S_20} (à 0,06 près)."
    )
    assert "BT-116" in s08.champ
    # the VAT of that breakdown no longer matches its base: BR-FXEXT-S-09b, within 0,01 per amount of the base
    assert regles["BR-FXEXT-S-09b"].valeur_attendue == (
        "BT-117 = BT-116 × BT-119 / 100 = 12,00 × 20,00 / 100 = 2,40 EUR (à 0,06 près, 0,01 par montant de la base)"
    )
    # the artefact's warnings, explained the same way, refuse nothing by themselves
    for code in ("BR-FXEXT-S-08ini", "BR-FXEXT-S-08rev"):
        assert not regles[code].bloquante
        assert regles[code].message.startswith(f"Avertissement (non bloquant) — Règle Factur-X EXTENDED {code} : ")
        assert regles[code].valeur_trouvee == "12,00 EUR"
    assert regles["BR-FXEXT-S-08rev"].valeur_attendue == (
        "BT-116 = Σ BT-131 + Σ BT-99 − Σ BT-92 (catégorie S au même taux et au même motif d'exonération (BT-120, "
        "BT-121)) = 7,00 + 11,00 − 7,00 = 11,00 EUR (à 0,06 près)"
    )
    assert [e.code for e in erreur.erreurs].count("BR-FXEXT-S08b") == 1
    assert not Facture.objects.exists()


def test_base_exoneree_decalee_extended_refusee_avec_son_calcul(deposant, vendeur, acheteur):
    contenu = avec_parties(EXTENDED, (b">60.00</ram:BasisAmount>", b">60.05</ram:BasisAmount>"))

    erreur = refus(par=deposant, fournisseur=vendeur, fichier=contenu)

    e08 = _regles(erreur)["BR-FXEXT-E-08b"]
    assert (e08.valeur_trouvee, e08.bloquante) == ("60,05 EUR", True)
    # E has one line and no allowance or charge: 0,01 of tolerance; the breakdown states an exemption reason, so the
    # explanation is the choice by reason
    assert e08.valeur_attendue == (
        "BT-116 = Σ BT-131 + Σ BT-99 − Σ BT-92 (catégorie E au même taux et au même motif d'exonération (BT-120, "
        "BT-121)) = 60,00 + 0,00 − 0,00 = 60,00 EUR (à 0,01 près)"
    )


def test_base_de_tva_decalee_cii_extended_ctc_fr_refusee_avec_son_calcul(deposant, vendeur, acheteur):
    contenu = avec_parties(EXTENDED, (b">11.00</ram:BasisAmount>", b">12.00</ram:BasisAmount>"))
    octets = contenu.read().replace(BT24_EXTENDED, BT24_CTC_FR)

    erreur = refus(par=deposant, fournisseur=vendeur, fichier=fichier(octets, "ctc-fr.xml"))

    regles = _regles(erreur)
    s08 = regles["BR-FXEXT-S-08"]
    assert s08.bloquante
    assert (s08.valeur_trouvee, s08.valeur_attendue) == ("12,00 EUR", f"{BASE_S_20} (à 0,06 près)")
    assert regles["BR-FXEXT-S-09"].valeur_attendue.startswith("BT-117 = BT-116 × BT-119 / 100 = 12,00 × 20,00 / 100")


def test_remises_decalees_cii_extended_ctc_fr_refusees_avec_leur_calcul(deposant, vendeur, acheteur):
    contenu = avec_parties(EXTENDED, (b">9.00</ram:AllowanceTotalAmount>", b">9.10</ram:AllowanceTotalAmount>"))
    octets = contenu.read().replace(BT24_EXTENDED, BT24_CTC_FR)

    erreur = refus(par=deposant, fournisseur=vendeur, fichier=fichier(octets, "ctc-fr.xml"))

    co11 = _regles(erreur)["BR-FREXT-CO-11"]
    assert co11.message == (
        "Règle EXTENDED-CTC-FR BR-FREXT-CO-11 : la somme des remises au niveau du document (BT-107) du fichier vaut "
        "9,10 EUR ; la règle attend BT-107 = Σ BT-92 = 5,00 + 1,00 + 1,00 + 2,00 = 9,00 EUR (à 0,04 près)."
    )


@pytest.mark.parametrize(
    ("bt24", "regle", "intitule"),
    [(None, "BR-FXEXT-08", "Règle Factur-X EXTENDED"), (BT24_CTC_FR, "BR-FREXT-08", "Règle EXTENDED-CTC-FR")],
)
def test_ligne_de_regroupement_decalee_refusee_avec_son_calcul(deposant, vendeur, acheteur, bt24, regle, intitule):
    contenu = avec_parties(EXTENDED_SOUS_LIGNES, (GROUPE_02, GROUPE_02.replace(b"450.00", b"451.00")))
    octets = contenu.read()
    if bt24:
        octets = octets.replace(BT24_EXTENDED, bt24)

    erreur = refus(par=deposant, fournisseur=vendeur, fichier=fichier(octets, "groupes.xml"))

    groupes = [e for e in erreur.erreurs if e.code == regle]
    # EXTENDED asserts « every GROUP line … » on each of the 6 lines: 6 reports; EXTENDED-CTC-FR on the GROUP line
    assert len(groupes) == (6 if bt24 is None else 1)
    for groupe in groupes:
        assert groupe.bloquante
        assert groupe.message == (
            f"{intitule} {regle} : le montant net (BT-131 (ligne 02)) du fichier vaut 451,00 EUR ; la règle attend "
            "BT-131 = Σ BT-131 des sous-lignes = 360,00 + 90,00 = 450,00 EUR."
        )


def _ubl_ctc_fr(ancien, nouveau):
    octets = corpus_octets(UBL_CTC_FR)
    assert octets.count(ancien) == 1
    return fichier(octets.replace(ancien, nouveau), "ubl-ctc-fr.xml")


def test_base_de_tva_decalee_ubl_extended_ctc_fr_refusee_avec_son_calcul(ubl_parties):
    vendeur, _acheteur, deposant = ubl_parties
    contenu = _ubl_ctc_fr(b">138.00</cbc:TaxableAmount>", b">139.00</cbc:TaxableAmount>")

    erreur = refus(par=deposant, fournisseur=vendeur, fichier=contenu)

    regles = _regles(erreur)
    s08 = regles["BR-FREXT-S-08"]
    assert s08.bloquante
    assert s08.valeur_trouvee == "139,00 EUR"
    assert s08.valeur_attendue == (
        "BT-116 = Σ BT-131 + Σ BT-99 − Σ BT-92 (catégorie S au même taux) = 138,00 + 5,50 − 5,50 = 138,00 EUR "
        "(à 0,04 près)"
    )
    assert regles["BR-FREXT-S-09"].valeur_attendue == (
        "BT-117 = BT-116 × BT-119 / 100 = 139,00 × 20,00 / 100 = 27,80 EUR (à 0,04 près, 0,01 par montant de la base)"
    )


def test_total_des_lignes_decale_ubl_extended_ctc_fr_refuse_avec_son_calcul(ubl_parties):
    vendeur, _acheteur, deposant = ubl_parties
    contenu = _ubl_ctc_fr(
        b'<cbc:LineExtensionAmount currencyID="EUR">273.00', b'<cbc:LineExtensionAmount currencyID="EUR">273.05'
    )

    erreur = refus(par=deposant, fournisseur=vendeur, fichier=contenu)

    co10 = _regles(erreur)["BR-FREXT-CO-10"]
    assert (co10.valeur_trouvee, co10.valeur_attendue) == (
        "273,05 EUR",
        "BT-106 = Σ BT-131 = 135,00 + 138,00 = 273,00 EUR (à 0,02 près)",
    )
