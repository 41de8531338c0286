"""Une Facture (en16931.py) en CII D16B, profil Factur-X EN 16931 (BT-24 urn:cen.eu:en16931:2017)."""

from lxml import etree

from tests.facturation.proprietes.en16931 import Facture, RemiseOuFrais
from tests.facturation.proprietes.parties import (
    ACHETEUR,
    BIC,
    CADRE_EN16931,
    IBAN,
    SCHEMA_SIRENE,
    SCHEMA_SIRET,
    VENDEUR,
    echeance,
    numero_tva,
    texte_montant,
    texte_taux,
)

RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
QDT = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
NSMAP = {"rsm": RSM, "ram": RAM, "udt": UDT, "qdt": QDT}


def _el(parent, nom, texte=None, **attributs):
    prefixe, local = nom.split(":")
    element = etree.SubElement(parent, f"{{{NSMAP[prefixe]}}}{local}", attributs)
    if texte is not None:
        element.text = texte
    return element


def _date(parent, nom, jour):
    _el(_el(parent, nom), "udt:DateTimeString", jour.strftime("%Y%m%d"), format="102")


def _partie(parent, nom, siret, coordonnees, tva):
    partie = _el(parent, nom)
    _el(partie, "ram:GlobalID", siret, schemeID=SCHEMA_SIRET)  # BT-29 / BT-46
    _el(partie, "ram:Name", coordonnees["nom"])
    _el(_el(partie, "ram:SpecifiedLegalOrganization"), "ram:ID", siret, schemeID=SCHEMA_SIRENE)  # BT-30 / BT-47
    adresse = _el(partie, "ram:PostalTradeAddress")
    _el(adresse, "ram:PostcodeCode", coordonnees["code_postal"])
    _el(adresse, "ram:LineOne", coordonnees["adresse"])
    _el(adresse, "ram:CityName", coordonnees["ville"])
    _el(adresse, "ram:CountryID", "FR")
    _el(_el(partie, "ram:URIUniversalCommunication"), "ram:URIID", siret, schemeID=SCHEMA_SIRET)  # BT-34 / BT-49
    _el(_el(partie, "ram:SpecifiedTaxRegistration"), "ram:ID", tva, schemeID="VA")  # BT-31 / BT-48


def _taxe(parent, nom, categorie):
    taxe = _el(parent, nom)
    _el(taxe, "ram:TypeCode", "VAT")
    _el(taxe, "ram:CategoryCode", categorie.code)
    _el(taxe, "ram:RateApplicablePercent", texte_taux(categorie.taux))


def _remise_ou_frais(parent, element: RemiseOuFrais):
    noeud = _el(parent, "ram:SpecifiedTradeAllowanceCharge")
    _el(_el(noeud, "ram:ChargeIndicator"), "udt:Indicator", "true" if element.est_frais else "false")
    _el(noeud, "ram:ActualAmount", texte_montant(element.montant))
    _el(noeud, "ram:ReasonCode", element.code_motif)
    _el(noeud, "ram:Reason", element.motif)
    if element.categorie is not None:
        _taxe(noeud, "ram:CategoryTradeTax", element.categorie)


def ecrire_cii(facture: Facture) -> bytes:
    racine = etree.Element(f"{{{RSM}}}CrossIndustryInvoice", nsmap=NSMAP)
    contexte = _el(racine, "rsm:ExchangedDocumentContext")
    _el(_el(contexte, "ram:GuidelineSpecifiedDocumentContextParameter"), "ram:ID", CADRE_EN16931)
    document = _el(racine, "rsm:ExchangedDocument")
    _el(document, "ram:ID", facture.numero)
    _el(document, "ram:TypeCode", "380")
    _date(document, "ram:IssueDateTime", facture.date)

    transaction = _el(racine, "rsm:SupplyChainTradeTransaction")
    for ligne in facture.lignes:
        article = _el(transaction, "ram:IncludedSupplyChainTradeLineItem")
        _el(_el(article, "ram:AssociatedDocumentLineDocument"), "ram:LineID", ligne.numero)
        _el(_el(article, "ram:SpecifiedTradeProduct"), "ram:Name", ligne.designation)
        accord = _el(article, "ram:SpecifiedLineTradeAgreement")
        _el(_el(accord, "ram:NetPriceProductTradePrice"), "ram:ChargeAmount", texte_montant(ligne.prix_net))
        _el(
            _el(article, "ram:SpecifiedLineTradeDelivery"),
            "ram:BilledQuantity",
            texte_montant(ligne.quantite),
            unitCode="C62",
        )
        reglement = _el(article, "ram:SpecifiedLineTradeSettlement")
        _taxe(reglement, "ram:ApplicableTradeTax", ligne.categorie)
        for element in (ligne.remise, ligne.frais):
            if element is not None:
                _remise_ou_frais(reglement, element)
        _el(
            _el(reglement, "ram:SpecifiedTradeSettlementLineMonetarySummation"),
            "ram:LineTotalAmount",
            texte_montant(facture.montant_ligne(ligne)),
        )

    accord = _el(transaction, "ram:ApplicableHeaderTradeAgreement")
    _partie(accord, "ram:SellerTradeParty", facture.siret_vendeur, VENDEUR, numero_tva(facture.siret_vendeur))
    _partie(accord, "ram:BuyerTradeParty", facture.siret_acheteur, ACHETEUR, numero_tva(facture.siret_acheteur))
    livraison = _el(transaction, "ram:ApplicableHeaderTradeDelivery")
    _date(_el(livraison, "ram:ActualDeliverySupplyChainEvent"), "ram:OccurrenceDateTime", facture.date)

    reglement = _el(transaction, "ram:ApplicableHeaderTradeSettlement")
    _el(reglement, "ram:InvoiceCurrencyCode", facture.devise)
    paiement = _el(reglement, "ram:SpecifiedTradeSettlementPaymentMeans")
    _el(paiement, "ram:TypeCode", "30")  # BT-81 : virement, BT-84 obligatoire (BR-61)
    _el(_el(paiement, "ram:PayeePartyCreditorFinancialAccount"), "ram:IBANID", IBAN)
    _el(_el(paiement, "ram:PayeeSpecifiedCreditorFinancialInstitution"), "ram:BICID", BIC)
    for ventilation in facture.ventilations():
        taxe = _el(reglement, "ram:ApplicableTradeTax")
        _el(taxe, "ram:CalculatedAmount", texte_montant(ventilation.montant))
        _el(taxe, "ram:TypeCode", "VAT")
        if ventilation.categorie.motif_exoneration:
            _el(taxe, "ram:ExemptionReason", ventilation.categorie.motif_exoneration)
        _el(taxe, "ram:BasisAmount", texte_montant(ventilation.base))
        _el(taxe, "ram:CategoryCode", ventilation.categorie.code)
        if ventilation.categorie.code_exoneration:
            _el(taxe, "ram:ExemptionReasonCode", ventilation.categorie.code_exoneration)
        _el(taxe, "ram:RateApplicablePercent", texte_taux(ventilation.categorie.taux))
    for element in facture.remises_et_frais:
        _remise_ou_frais(reglement, element)
    conditions = _el(reglement, "ram:SpecifiedTradePaymentTerms")
    _date(conditions, "ram:DueDateDateTime", echeance(facture))

    totaux = facture.totaux()
    sommes = _el(reglement, "ram:SpecifiedTradeSettlementHeaderMonetarySummation")
    _el(sommes, "ram:LineTotalAmount", texte_montant(totaux.lignes))
    if facture.frais:
        _el(sommes, "ram:ChargeTotalAmount", texte_montant(totaux.frais))
    if facture.remises:
        _el(sommes, "ram:AllowanceTotalAmount", texte_montant(totaux.remises))
    _el(sommes, "ram:TaxBasisTotalAmount", texte_montant(totaux.ht))
    _el(sommes, "ram:TaxTotalAmount", texte_montant(totaux.tva), currencyID=facture.devise)
    if totaux.arrondi is not None:
        _el(sommes, "ram:RoundingAmount", texte_montant(totaux.arrondi))
    _el(sommes, "ram:GrandTotalAmount", texte_montant(totaux.ttc))
    if totaux.paye is not None:
        _el(sommes, "ram:TotalPrepaidAmount", texte_montant(totaux.paye))
    _el(sommes, "ram:DuePayableAmount", texte_montant(totaux.net_a_payer))
    return etree.tostring(racine, xml_declaration=True, encoding="UTF-8", pretty_print=True)
