"""Validation en couches : cas construits à la main (XML mal formé, XXE, total faux)."""

from pathlib import Path

import pytest
from lxml import etree

from facturation.validation import valider
from facturation.validation.couches import (
    AVERTISSEMENT,
    CODE_RAPPORT,
    CODE_RAPPORT_FACTURX,
    COUCHE_EN16931,
    COUCHE_XML,
    COUCHE_XSD,
    ERREUR,
    INFO,
    verifier_regles,
)

CII_MINIMALE = """<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
 xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
 xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
 xmlns:qdt="urn:un:unece:uncefact:data:standard:QualifiedDataType:100">
 <rsm:ExchangedDocumentContext><ram:GuidelineSpecifiedDocumentContextParameter>
  <ram:ID>urn:cen.eu:en16931:2017</ram:ID></ram:GuidelineSpecifiedDocumentContextParameter>
 </rsm:ExchangedDocumentContext>
 <rsm:ExchangedDocument><ram:ID>FA-2026-001</ram:ID><ram:TypeCode>380</ram:TypeCode>
  <ram:IssueDateTime><udt:DateTimeString format="102">20260115</udt:DateTimeString></ram:IssueDateTime>
 </rsm:ExchangedDocument>
 <rsm:SupplyChainTradeTransaction>
  <ram:IncludedSupplyChainTradeLineItem>
   <ram:AssociatedDocumentLineDocument><ram:LineID>1</ram:LineID></ram:AssociatedDocumentLineDocument>
   <ram:SpecifiedTradeProduct><ram:Name>Prestation</ram:Name></ram:SpecifiedTradeProduct>
   <ram:SpecifiedLineTradeAgreement><ram:NetPriceProductTradePrice><ram:ChargeAmount>1000.00</ram:ChargeAmount>
   </ram:NetPriceProductTradePrice></ram:SpecifiedLineTradeAgreement>
   <ram:SpecifiedLineTradeDelivery><ram:BilledQuantity unitCode="C62">1</ram:BilledQuantity>
   </ram:SpecifiedLineTradeDelivery>
   <ram:SpecifiedLineTradeSettlement>
    <ram:ApplicableTradeTax><ram:TypeCode>VAT</ram:TypeCode><ram:CategoryCode>S</ram:CategoryCode>
     <ram:RateApplicablePercent>20</ram:RateApplicablePercent></ram:ApplicableTradeTax>
    <ram:SpecifiedTradeSettlementLineMonetarySummation><ram:LineTotalAmount>1000.00</ram:LineTotalAmount>
    </ram:SpecifiedTradeSettlementLineMonetarySummation>
   </ram:SpecifiedLineTradeSettlement>
  </ram:IncludedSupplyChainTradeLineItem>
  <ram:ApplicableHeaderTradeAgreement>
   <ram:SellerTradeParty><ram:Name>Fournisseur SA</ram:Name>
    <ram:SpecifiedLegalOrganization><ram:ID schemeID="0002">123456789</ram:ID></ram:SpecifiedLegalOrganization>
    <ram:PostalTradeAddress><ram:CountryID>FR</ram:CountryID></ram:PostalTradeAddress>
    <ram:SpecifiedTaxRegistration><ram:ID schemeID="VA">FR32123456789</ram:ID></ram:SpecifiedTaxRegistration>
   </ram:SellerTradeParty>
   <ram:BuyerTradeParty><ram:Name>Commune de Test</ram:Name>
    <ram:PostalTradeAddress><ram:CountryID>FR</ram:CountryID></ram:PostalTradeAddress>
   </ram:BuyerTradeParty>
  </ram:ApplicableHeaderTradeAgreement>
  <ram:ApplicableHeaderTradeDelivery/>
  <ram:ApplicableHeaderTradeSettlement>
   <ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>
   <ram:ApplicableTradeTax><ram:CalculatedAmount>200.00</ram:CalculatedAmount><ram:TypeCode>VAT</ram:TypeCode>
    <ram:BasisAmount>1000.00</ram:BasisAmount><ram:CategoryCode>S</ram:CategoryCode>
    <ram:RateApplicablePercent>20</ram:RateApplicablePercent></ram:ApplicableTradeTax>
   <ram:SpecifiedTradePaymentTerms><ram:DueDateDateTime><udt:DateTimeString format="102">20260214</udt:DateTimeString>
   </ram:DueDateDateTime></ram:SpecifiedTradePaymentTerms>
   <ram:SpecifiedTradeSettlementHeaderMonetarySummation>
    <ram:LineTotalAmount>1000.00</ram:LineTotalAmount>
    <ram:TaxBasisTotalAmount>1000.00</ram:TaxBasisTotalAmount>
    <ram:TaxTotalAmount currencyID="EUR">200.00</ram:TaxTotalAmount>
    <ram:GrandTotalAmount>__TTC__</ram:GrandTotalAmount>
    <ram:DuePayableAmount>__TTC__</ram:DuePayableAmount>
   </ram:SpecifiedTradeSettlementHeaderMonetarySummation>
  </ram:ApplicableHeaderTradeSettlement>
 </rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>
"""


def cii(ttc="1200.00"):
    return CII_MINIMALE.replace("__TTC__", ttc).encode()


def test_cii_correcte_est_valide_et_passe_les_trois_couches():
    rapport = valider(cii(), "cii")
    assert rapport.couches_executees == [COUCHE_XML, COUCHE_XSD, COUCHE_EN16931]
    assert rapport.profil == "en16931"
    assert rapport.erreurs == []
    assert rapport.est_valide


def test_total_ttc_faux_rapporte_br_co_15_avec_son_message():
    rapport = valider(cii(ttc="1300.00"), "cii")
    assert not rapport.est_valide
    br_co_15 = [a for a in rapport.erreurs if a.code == "BR-CO-15"]
    assert len(br_co_15) == 1
    anomalie = br_co_15[0]
    assert anomalie.couche == COUCHE_EN16931
    assert anomalie.message.startswith("[BR-CO-15]")
    assert "Invoice total amount with VAT (BT-112)" in anomalie.message
    assert "SpecifiedTradeSettlementHeaderMonetarySummation" in anomalie.emplacement


def test_xml_mal_forme_donne_ligne_et_colonne():
    texte = cii().replace(b"</ram:Name></ram:SpecifiedTradeProduct>", b"</ram:Nom></ram:SpecifiedTradeProduct>")
    rapport = valider(texte, "cii")
    assert rapport.couches_executees == [COUCHE_XML]
    assert not rapport.est_valide
    premiere = rapport.erreurs[0]
    assert premiere.code == "XML_MAL_FORME"
    assert "ligne 15, colonne 61" in premiere.message
    assert premiere.emplacement == "ligne 15, colonne 61"


def test_doctype_xxe_refuse_sans_lire_l_entite(tmp_path: Path):
    secret = tmp_path / "secret.txt"
    secret.write_text("CONTENU-SECRET")
    xxe = (
        f'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY xxe SYSTEM "file://{secret}">]>\n'
        '<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100">'
        "&xxe;</rsm:CrossIndustryInvoice>"
    ).encode()
    rapport = valider(xxe, "cii")
    assert [a.code for a in rapport.anomalies] == ["XML_DOCTYPE"]
    assert "CONTENU-SECRET" not in repr(rapport)


def test_expansion_d_entites_refusee():
    bombe = (
        b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><l>&c;</l>'
    )
    rapport = valider(bombe, "cii")
    assert [a.code for a in rapport.anomalies] == ["XML_DOCTYPE"]


def test_racine_ne_correspondant_pas_a_la_syntaxe():
    rapport = valider(cii(), "ubl-invoice")
    assert [a.code for a in rapport.erreurs] == ["RACINE_INATTENDUE"]


def test_anomalie_info_n_invalide_pas():
    from facturation.validation.couches import Anomalie, Rapport

    assert Rapport([Anomalie(COUCHE_XSD, "X", "m", gravite=INFO)]).est_valide
    assert not Rapport([Anomalie(COUCHE_XSD, "X", "m", gravite=ERREUR)]).est_valide


@pytest.mark.parametrize("syntaxe", ["pdf", "other"])
def test_syntaxe_inconnue(syntaxe):
    assert [a.code for a in valider(b"<a/>", syntaxe).erreurs] == ["FORMAT_NON_PRIS_EN_CHARGE"]


def test_rapport_positif_du_schematron_factur_x_est_une_erreur():
    """Le schematron Factur-X signale par un successful-report, sans id ni drapeau, ce qu'un profil n'admet pas :
    ici @currencyID sur le total des lignes (BT-106), permis sur BT-110 seul. Lu comme facturx.xml_check_schematron."""
    total_des_lignes = b"<ram:LineTotalAmount>1000.00</ram:LineTotalAmount>\n    <ram:TaxBasisTotalAmount>"
    assert total_des_lignes in cii()
    texte = cii().replace(
        total_des_lignes, total_des_lignes.replace(b"<ram:LineTotalAmount>", b'<ram:LineTotalAmount currencyID="EUR">')
    )
    rapport = valider(texte, "cii")
    assert not rapport.est_valide
    (anomalie,) = rapport.erreurs
    assert anomalie.couche == COUCHE_EN16931
    assert anomalie.code == CODE_RAPPORT_FACTURX
    assert (
        anomalie.message == f"[{CODE_RAPPORT_FACTURX}] Attribute @currencyID' marked as not used in the given context."
    )
    assert "SpecifiedTradeSettlementHeaderMonetarySummation" in anomalie.emplacement
    assert "LineTotalAmount" in anomalie.emplacement


FEUILLE_SVRL = """<xsl:stylesheet version="2.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
 xmlns:svrl="http://purl.oclc.org/dsdl/svrl">
 <xsl:template match="/">
  <svrl:schematron-output>
   <svrl:successful-report test="a" id="R-FATAL" flag="fatal" location="/a"><svrl:text>fatal</svrl:text>
   </svrl:successful-report>
   <svrl:failed-assert test="b" id="A-WARNING" flag="warning" location="/a"><svrl:text>assert</svrl:text>
   </svrl:failed-assert>
   <svrl:successful-report test="c" id="R-WARNING" flag="warning" location="/a"><svrl:text>warning</svrl:text>
   </svrl:successful-report>
   <svrl:successful-report test="d" id="R-INFO" flag="information" location="/a"><svrl:text>info</svrl:text>
   </svrl:successful-report>
   <svrl:successful-report test="e" location="/a"><svrl:text>sans drapeau</svrl:text></svrl:successful-report>
  </svrl:schematron-output>
 </xsl:template>
</xsl:stylesheet>
"""


def test_rapports_positifs_lus_avec_leur_drapeau_dans_l_ordre_du_svrl(tmp_path: Path):
    feuille = tmp_path / "rapports.xsl"
    feuille.write_text(FEUILLE_SVRL)
    arbre = etree.ElementTree(etree.fromstring(b"<a/>"))
    anomalies = verifier_regles(arbre, str(feuille))
    assert [(a.code, a.gravite) for a in anomalies] == [
        ("R-FATAL", ERREUR),
        ("A-WARNING", AVERTISSEMENT),
        ("R-WARNING", AVERTISSEMENT),
        ("R-INFO", AVERTISSEMENT),
        (CODE_RAPPORT, ERREUR),
    ]
    assert anomalies[0].message == "[R-FATAL] fatal"
    assert anomalies[-1].emplacement == "/a"
