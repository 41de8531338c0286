"""Une Facture (en16931.py) en UBL 2.1 Invoice (BT-24 urn:cen.eu:en16931:2017)."""

from lxml import etree

from tests.facturation.proprietes.en16931 import CategorieTva, Facture, RemiseOuFrais
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

INVOICE = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
NSMAP = {None: INVOICE, "cac": CAC, "cbc": CBC}


def _el(parent, nom, texte=None, **attributs):
    prefixe, local = nom.split(":")
    element = etree.SubElement(parent, f"{{{NSMAP[prefixe]}}}{local}", attributs)
    if texte is not None:
        element.text = texte
    return element


def _partie(parent, nom, siret, coordonnees, tva):
    partie = _el(_el(parent, nom), "cac:Party")
    _el(partie, "cbc:EndpointID", siret, schemeID=SCHEMA_SIRET)  # BT-34 / BT-49
    _el(_el(partie, "cac:PartyIdentification"), "cbc:ID", siret, schemeID=SCHEMA_SIRET)  # BT-29 / BT-46
    adresse = _el(partie, "cac:PostalAddress")
    _el(adresse, "cbc:StreetName", coordonnees["adresse"])
    _el(adresse, "cbc:CityName", coordonnees["ville"])
    _el(adresse, "cbc:PostalZone", coordonnees["code_postal"])
    _el(_el(adresse, "cac:Country"), "cbc:IdentificationCode", "FR")
    schema_fiscal = _el(partie, "cac:PartyTaxScheme")
    _el(schema_fiscal, "cbc:CompanyID", tva)  # BT-31 / BT-48
    _el(_el(schema_fiscal, "cac:TaxScheme"), "cbc:ID", "VAT")
    entite = _el(partie, "cac:PartyLegalEntity")
    _el(entite, "cbc:RegistrationName", coordonnees["nom"])
    _el(entite, "cbc:CompanyID", siret, schemeID=SCHEMA_SIRENE)  # BT-30 / BT-47


def _categorie(parent, nom, categorie: CategorieTva, exoneration=False):
    noeud = _el(parent, nom)
    _el(noeud, "cbc:ID", categorie.code)
    _el(noeud, "cbc:Percent", texte_taux(categorie.taux))
    if exoneration and categorie.code_exoneration:
        _el(noeud, "cbc:TaxExemptionReasonCode", categorie.code_exoneration)
    if exoneration and categorie.motif_exoneration:
        _el(noeud, "cbc:TaxExemptionReason", categorie.motif_exoneration)
    _el(_el(noeud, "cac:TaxScheme"), "cbc:ID", "VAT")


def _remise_ou_frais(parent, element: RemiseOuFrais, devise):
    noeud = _el(parent, "cac:AllowanceCharge")
    _el(noeud, "cbc:ChargeIndicator", "true" if element.est_frais else "false")
    _el(noeud, "cbc:AllowanceChargeReasonCode", element.code_motif)
    _el(noeud, "cbc:AllowanceChargeReason", element.motif)
    _el(noeud, "cbc:Amount", texte_montant(element.montant), currencyID=devise)
    if element.categorie is not None:
        _categorie(noeud, "cac:TaxCategory", element.categorie)


def ecrire_ubl(facture: Facture) -> bytes:
    devise = facture.devise
    racine = etree.Element(f"{{{INVOICE}}}Invoice", nsmap=NSMAP)
    _el(racine, "cbc:CustomizationID", CADRE_EN16931)
    _el(racine, "cbc:ID", facture.numero)
    _el(racine, "cbc:IssueDate", facture.date.isoformat())
    _el(racine, "cbc:DueDate", echeance(facture).isoformat())
    _el(racine, "cbc:InvoiceTypeCode", "380")
    _el(racine, "cbc:DocumentCurrencyCode", devise)
    vendeur, acheteur = facture.siret_vendeur, facture.siret_acheteur
    _partie(racine, "cac:AccountingSupplierParty", vendeur, VENDEUR, numero_tva(vendeur))
    _partie(racine, "cac:AccountingCustomerParty", acheteur, ACHETEUR, numero_tva(acheteur))
    _el(_el(racine, "cac:Delivery"), "cbc:ActualDeliveryDate", facture.date.isoformat())
    paiement = _el(racine, "cac:PaymentMeans")
    _el(paiement, "cbc:PaymentMeansCode", "30")  # BT-81 : virement, BT-84 obligatoire (BR-61)
    compte = _el(paiement, "cac:PayeeFinancialAccount")
    _el(compte, "cbc:ID", IBAN)
    _el(_el(compte, "cac:FinancialInstitutionBranch"), "cbc:ID", BIC)
    for element in facture.remises_et_frais:
        _remise_ou_frais(racine, element, devise)

    totaux = facture.totaux()
    tva = _el(racine, "cac:TaxTotal")
    _el(tva, "cbc:TaxAmount", texte_montant(totaux.tva), currencyID=devise)
    for ventilation in facture.ventilations():
        sous_total = _el(tva, "cac:TaxSubtotal")
        _el(sous_total, "cbc:TaxableAmount", texte_montant(ventilation.base), currencyID=devise)
        _el(sous_total, "cbc:TaxAmount", texte_montant(ventilation.montant), currencyID=devise)
        _categorie(sous_total, "cac:TaxCategory", ventilation.categorie, exoneration=True)

    sommes = _el(racine, "cac:LegalMonetaryTotal")
    _el(sommes, "cbc:LineExtensionAmount", texte_montant(totaux.lignes), currencyID=devise)
    _el(sommes, "cbc:TaxExclusiveAmount", texte_montant(totaux.ht), currencyID=devise)
    _el(sommes, "cbc:TaxInclusiveAmount", texte_montant(totaux.ttc), currencyID=devise)
    if facture.remises:
        _el(sommes, "cbc:AllowanceTotalAmount", texte_montant(totaux.remises), currencyID=devise)
    if facture.frais:
        _el(sommes, "cbc:ChargeTotalAmount", texte_montant(totaux.frais), currencyID=devise)
    if totaux.paye is not None:
        _el(sommes, "cbc:PrepaidAmount", texte_montant(totaux.paye), currencyID=devise)
    if totaux.arrondi is not None:
        _el(sommes, "cbc:PayableRoundingAmount", texte_montant(totaux.arrondi), currencyID=devise)
    _el(sommes, "cbc:PayableAmount", texte_montant(totaux.net_a_payer), currencyID=devise)

    for ligne in facture.lignes:
        article = _el(racine, "cac:InvoiceLine")
        _el(article, "cbc:ID", ligne.numero)
        _el(article, "cbc:InvoicedQuantity", texte_montant(ligne.quantite), unitCode="C62")
        _el(article, "cbc:LineExtensionAmount", texte_montant(facture.montant_ligne(ligne)), currencyID=devise)
        for element in (ligne.remise, ligne.frais):
            if element is not None:
                _remise_ou_frais(article, element, devise)
        produit = _el(article, "cac:Item")
        _el(produit, "cbc:Name", ligne.designation)
        _categorie(produit, "cac:ClassifiedTaxCategory", ligne.categorie)
        _el(_el(article, "cac:Price"), "cbc:PriceAmount", texte_montant(ligne.prix_net), currencyID=devise)
    return etree.tostring(racine, xml_declaration=True, encoding="UTF-8", pretty_print=True)
