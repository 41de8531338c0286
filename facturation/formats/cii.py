"""Extraction CII : UN/CEFACT CrossIndustryInvoice (D16B, D22B, tous profils Factur-X) et ZUGFeRD 1.0.

ZUGFeRD 1.0 (CrossIndustryDocument) nomme autrement quelques agrégats d'en-tête ; les chemins « A|B »
acceptent les deux générations.
"""

from dataclasses import replace

from facturation.formats._outils import (
    collecter_anomalies,
    date_iso_ou_102,
    enfants,
    montant,
    partie_depuis,
    premier,
    texte,
    tous,
)
from facturation.formats.modele import (
    FactureNeutre,
    FraisDocument,
    FraisLogistique,
    LigneNeutre,
    Paiement,
    Partie,
    RemiseDocument,
    Totaux,
    VentilationTva,
)

RACINES_CII = {"CrossIndustryInvoice", "CrossIndustryDocument"}

_DOCUMENT = "ExchangedDocument|HeaderExchangedDocument"
_CONTEXTE = "ExchangedDocumentContext|SpecifiedExchangedDocumentContext"
_TRANSACTION = "SupplyChainTradeTransaction|SpecifiedSupplyChainTradeTransaction"
_ACCORD = "ApplicableHeaderTradeAgreement|ApplicableSupplyChainTradeAgreement"
_REGLEMENT = "ApplicableHeaderTradeSettlement|ApplicableSupplyChainTradeSettlement"
_SOMMES = "SpecifiedTradeSettlementHeaderMonetarySummation|SpecifiedTradeSettlementMonetarySummation"
_TAUX = "RateApplicablePercent|ApplicablePercent"


def _partie(el) -> Partie:
    if el is None:
        return Partie()
    # Ordre de préférence : identifiant légal, GlobalID, ID, puis numéro fiscal.
    candidats = [
        *tous(el, "SpecifiedLegalOrganization/ID"),
        *enfants(el, "GlobalID"),
        *enfants(el, "ID"),
        *tous(el, "SpecifiedTaxRegistration/ID"),
    ]
    tva = next(
        (texte(i) for i in tous(el, "SpecifiedTaxRegistration/ID") if (i.get("schemeID") or "").strip() == "VA"),
        None,
    )
    adresse = premier(el, "PostalTradeAddress")
    return partie_depuis(
        nom=texte(el, "Name"),
        candidats=candidats,
        tva=tva,
        pays=texte(adresse, "CountryID"),
        adresse=texte(adresse, "LineOne"),
        complement_1=texte(adresse, "LineTwo"),
        complement_2=texte(adresse, "LineThree"),
        code_postal=texte(adresse, "PostcodeCode"),
        ville=texte(adresse, "CityName"),
    )


def _ligne(el) -> LigneNeutre:
    accord = premier(el, "SpecifiedLineTradeAgreement|SpecifiedSupplyChainTradeAgreement")
    livraison = premier(el, "SpecifiedLineTradeDelivery|SpecifiedSupplyChainTradeDelivery")
    reglement = premier(el, "SpecifiedLineTradeSettlement|SpecifiedSupplyChainTradeSettlement")
    quantite = premier(livraison, "BilledQuantity")
    taxe = premier(reglement, "ApplicableTradeTax")
    return LigneNeutre(
        id=texte(el, "AssociatedDocumentLineDocument/LineID"),
        designation=texte(el, "SpecifiedTradeProduct/Name"),
        quantite=montant(quantite, champ="BT-129"),
        unite=quantite.get("unitCode") if quantite is not None else None,
        prix_unitaire_ht=montant(accord, "NetPriceProductTradePrice/ChargeAmount", "BT-146"),
        montant_ht=montant(
            reglement,
            "SpecifiedTradeSettlementLineMonetarySummation|SpecifiedTradeSettlementMonetarySummation/LineTotalAmount",
            "BT-131",
        ),
        taux_tva=montant(taxe, _TAUX, "BT-152"),
        categorie_tva=texte(taxe, "CategoryCode"),
        reference_vendeur=texte(el, "SpecifiedTradeProduct/SellerAssignedID"),
        statut=texte(el, "AssociatedDocumentLineDocument/LineStatusReasonCode"),
        ligne_parente=texte(el, "AssociatedDocumentLineDocument/ParentLineID"),
        motif_exoneration=texte(taxe, "ExemptionReason"),
        code_exoneration=texte(taxe, "ExemptionReasonCode"),
    )


def _remise(el) -> RemiseDocument:
    taxe = premier(el, "CategoryTradeTax")
    return RemiseDocument(
        montant=montant(el, "ActualAmount", "BT-92"),
        categorie_tva=texte(taxe, "CategoryCode"),
        taux_tva=montant(taxe, _TAUX, "BT-96"),
        motif=texte(el, "Reason"),
        code_motif=texte(el, "ReasonCode"),
        motif_exoneration=texte(taxe, "ExemptionReason"),
        code_exoneration=texte(taxe, "ExemptionReasonCode"),
    )


def _frais(el) -> FraisDocument:
    taxe = premier(el, "CategoryTradeTax")
    return FraisDocument(
        montant=montant(el, "ActualAmount", "BT-99"),
        categorie_tva=texte(taxe, "CategoryCode"),
        taux_tva=montant(taxe, _TAUX, "BT-103"),
        motif=texte(el, "Reason"),
        code_motif=texte(el, "ReasonCode"),
        motif_exoneration=texte(taxe, "ExemptionReason"),
        code_exoneration=texte(taxe, "ExemptionReasonCode"),
    )


def _frais_logistique(el) -> FraisLogistique:
    taxe = premier(el, "AppliedTradeTax")
    return FraisLogistique(
        montant=montant(el, "AppliedAmount", "BT-X-272"),
        categorie_tva=texte(taxe, "CategoryCode"),
        taux_tva=montant(taxe, _TAUX, "BT-X-274"),
        motif_exoneration=texte(taxe, "ExemptionReason"),
        code_exoneration=texte(taxe, "ExemptionReasonCode"),
    )


def _indicateur(el) -> str:
    # BG-20 (remise) porte ChargeIndicator « false » ; BG-21 (frais) « true » (xs:boolean : aussi « 0 » et « 1 »).
    return {"false": "remise", "0": "remise", "true": "frais", "1": "frais"}.get(
        (texte(el, "ChargeIndicator/Indicator") or "").lower(), ""
    )


def _montants(elements, chemin, champ) -> tuple:
    return tuple(m for m in (montant(el, chemin, champ) for el in elements) if m is not None)


def _paiement(reglement) -> Paiement | None:
    moyen = premier(reglement, "SpecifiedTradeSettlementPaymentMeans")
    if moyen is None:
        return None
    return Paiement(
        code=texte(moyen, "TypeCode"),
        iban=texte(moyen, "PayeePartyCreditorFinancialAccount/IBANID"),
        titulaire=texte(moyen, "PayeePartyCreditorFinancialAccount/AccountName"),
        bic=texte(moyen, "PayeeSpecifiedCreditorFinancialInstitution/BICID"),
    )


def _montant_en_devise(elements, devise: str | None, champ: str):
    """BT-110 peut être répété dans la devise de TVA (BT-6) : on garde celui de la devise de facture."""
    for el in elements:
        if devise is None or el.get("currencyID") in (None, devise):
            return montant(el, champ=champ)
    return montant(elements[0], champ=champ) if elements else None


def extraire_cii(racine) -> FactureNeutre:
    with collecter_anomalies() as anomalies:
        facture = _extraire_cii(racine)
    return replace(facture, anomalies=tuple(anomalies))


def _extraire_cii(racine) -> FactureNeutre:
    document = premier(racine, _DOCUMENT)
    transaction = premier(racine, _TRANSACTION)
    accord = premier(transaction, _ACCORD)
    reglement = premier(transaction, _REGLEMENT)
    sommes = premier(reglement, _SOMMES)
    devise = texte(reglement, "InvoiceCurrencyCode")
    notes = [texte(n, "Content") for n in enfants(document, "IncludedNote")]
    return FactureNeutre(
        numero=texte(document, "ID"),
        date=date_iso_ou_102(texte(document, "IssueDateTime/DateTimeString")),
        type_code=texte(document, "TypeCode"),
        devise=devise,
        cadre=texte(racine, f"{_CONTEXTE}/GuidelineSpecifiedDocumentContextParameter/ID"),
        reference_acheteur=texte(accord, "BuyerReference"),
        engagement=texte(accord, "BuyerOrderReferencedDocument/IssuerAssignedID"),
        marche=texte(accord, "ContractReferencedDocument/IssuerAssignedID"),
        vendeur=_partie(premier(accord, "SellerTradeParty")),
        acheteur=_partie(premier(accord, "BuyerTradeParty")),
        lignes=tuple(_ligne(el) for el in enfants(transaction, "IncludedSupplyChainTradeLineItem")),
        ventilation_tva=tuple(
            VentilationTva(
                categorie=texte(t, "CategoryCode"),
                taux=montant(t, _TAUX, "BT-119"),
                base=montant(t, "BasisAmount", "BT-116"),
                montant=montant(t, "CalculatedAmount", "BT-117"),
                motif_exoneration=texte(t, "ExemptionReason"),
                code_exoneration=texte(t, "ExemptionReasonCode"),
            )
            for t in enfants(reglement, "ApplicableTradeTax")
        ),
        remises=tuple(
            _remise(el) for el in enfants(reglement, "SpecifiedTradeAllowanceCharge") if _indicateur(el) == "remise"
        ),
        frais=tuple(
            _frais(el) for el in enfants(reglement, "SpecifiedTradeAllowanceCharge") if _indicateur(el) == "frais"
        ),
        frais_logistiques=tuple(_frais_logistique(el) for el in enfants(reglement, "SpecifiedLogisticsServiceCharge")),
        ajustements_financiers=_montants(
            enfants(reglement, "SpecifiedFinancialAdjustment"), "ActualAmount", "ajustement financier"
        ),
        totaux=Totaux(
            total_ht=montant(sommes, "TaxBasisTotalAmount", "BT-109"),
            total_tva=_montant_en_devise(enfants(sommes, "TaxTotalAmount"), devise, "BT-110"),
            total_ttc=montant(sommes, "GrandTotalAmount", "BT-112"),
            net_a_payer=montant(sommes, "DuePayableAmount", "BT-115"),
            total_lignes_ht=montant(sommes, "LineTotalAmount", "BT-106"),
            total_remises=montant(sommes, "AllowanceTotalAmount", "BT-107"),
            total_frais=montant(sommes, "ChargeTotalAmount", "BT-108"),
            paye_avance=montant(sommes, "TotalPrepaidAmount", "BT-113"),
            arrondi=montant(sommes, "RoundingAmount", "BT-114"),
        ),
        conditions_paiement=texte(reglement, "SpecifiedTradePaymentTerms/Description"),
        echeance=date_iso_ou_102(texte(reglement, "SpecifiedTradePaymentTerms/DueDateDateTime/DateTimeString")),
        paiement=_paiement(reglement),
        note="\n".join(n for n in notes if n) or None,
        facture_origine=texte(reglement, "InvoiceReferencedDocument/IssuerAssignedID"),
    )
