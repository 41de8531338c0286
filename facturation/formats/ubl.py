"""Extraction UBL 2.1 : Invoice et CreditNote (EN 16931, Peppol BIS 3, XRechnung, EXTENDED-CTC-FR)."""

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
    LigneNeutre,
    Paiement,
    Partie,
    RemiseDocument,
    Totaux,
    VentilationTva,
)

RACINES_UBL = {"Invoice", "CreditNote"}


def _partie(el) -> Partie:
    if el is None:
        return Partie()
    schemas_fiscaux = tous(el, "PartyTaxScheme")
    # Ordre de préférence : identifiant légal, identifiant de partie, adresse électronique, numéro fiscal.
    candidats = [
        *tous(el, "PartyLegalEntity/CompanyID"),
        *tous(el, "PartyIdentification/ID"),
        *enfants(el, "EndpointID"),
        *tous(el, "PartyTaxScheme/CompanyID"),
    ]
    tva = next(
        (texte(s, "CompanyID") for s in schemas_fiscaux if (texte(s, "TaxScheme/ID") or "").upper() == "VAT"),
        None,
    )
    return partie_depuis(
        nom=texte(el, "PartyLegalEntity/RegistrationName") or texte(el, "PartyName/Name"),
        candidats=candidats,
        tva=tva,
        pays=texte(el, "PostalAddress/Country/IdentificationCode"),
        adresse=texte(el, "PostalAddress/StreetName"),
        complement_1=texte(el, "PostalAddress/AdditionalStreetName"),
        complement_2=texte(el, "PostalAddress/AddressLine/Line"),
        code_postal=texte(el, "PostalAddress/PostalZone"),
        ville=texte(el, "PostalAddress/CityName"),
    )


def _sous_ligne(el, numero: str | None) -> tuple[str | None, str | None]:
    """EXTENDED-CTC-FR: a line that references its own invoice (BillingReference/InvoiceDocumentReference/ID = BT-1)
    carries there its subtype (DocumentStatusCode « GROUP », « DETAIL », « INFORMATION ») and its parent line
    (BillingReferenceLine/ID); the schematron sums only the lines with no such reference or a « DETAIL » one
    (BR-FREXT-CO-10). (subtype, parent line)."""
    references = [
        r for r in enfants(el, "BillingReference") if numero and texte(r, "InvoiceDocumentReference/ID") == numero
    ]
    if not references:
        return None, None
    statuts = [texte(r, "InvoiceDocumentReference/DocumentStatusCode") or "" for r in references]
    statut = "DETAIL" if "DETAIL" in statuts else next((s for s in statuts if s), "SANS-STATUT")
    return statut, next((p for p in (texte(r, "BillingReferenceLine/ID") for r in references) if p), None)


def _ligne(el, numero: str | None = None) -> LigneNeutre:
    statut, parente = _sous_ligne(el, numero)
    quantite = premier(el, "InvoicedQuantity|CreditedQuantity")
    categorie = premier(el, "Item/ClassifiedTaxCategory")
    return LigneNeutre(
        id=texte(el, "ID"),
        designation=texte(el, "Item/Name"),
        quantite=montant(quantite, champ="BT-129"),
        unite=quantite.get("unitCode") if quantite is not None else None,
        prix_unitaire_ht=montant(el, "Price/PriceAmount", "BT-146"),
        montant_ht=montant(el, "LineExtensionAmount", "BT-131"),
        taux_tva=montant(categorie, "Percent", "BT-152"),
        categorie_tva=texte(categorie, "ID"),
        reference_vendeur=texte(el, "Item/SellersItemIdentification/ID"),
        statut=statut,
        ligne_parente=parente,
        motif_exoneration=texte(categorie, "TaxExemptionReason"),
        code_exoneration=texte(categorie, "TaxExemptionReasonCode"),
    )


def _remise(el) -> RemiseDocument:
    categorie = premier(el, "TaxCategory")
    return RemiseDocument(
        montant=montant(el, "Amount", "BT-92"),
        categorie_tva=texte(categorie, "ID"),
        taux_tva=montant(categorie, "Percent", "BT-96"),
        motif=texte(el, "AllowanceChargeReason"),
        code_motif=texte(el, "AllowanceChargeReasonCode"),
        motif_exoneration=texte(categorie, "TaxExemptionReason"),
        code_exoneration=texte(categorie, "TaxExemptionReasonCode"),
    )


def _frais(el) -> FraisDocument:
    categorie = premier(el, "TaxCategory")
    return FraisDocument(
        montant=montant(el, "Amount", "BT-99"),
        categorie_tva=texte(categorie, "ID"),
        taux_tva=montant(categorie, "Percent", "BT-103"),
        motif=texte(el, "AllowanceChargeReason"),
        code_motif=texte(el, "AllowanceChargeReasonCode"),
        motif_exoneration=texte(categorie, "TaxExemptionReason"),
        code_exoneration=texte(categorie, "TaxExemptionReasonCode"),
    )


def _indicateur(el) -> str:
    # xs:boolean : « true »/« 1 » pour des frais (BG-21), « false »/« 0 » pour une remise (BG-20)
    return {"false": "remise", "0": "remise", "true": "frais", "1": "frais"}.get(
        (texte(el, "ChargeIndicator") or "").lower(), ""
    )


def _paiement(racine) -> Paiement | None:
    moyen = premier(racine, "PaymentMeans")
    if moyen is None:
        return None
    return Paiement(
        code=texte(moyen, "PaymentMeansCode"),
        iban=texte(moyen, "PayeeFinancialAccount/ID"),
        titulaire=texte(moyen, "PayeeFinancialAccount/Name"),
        bic=texte(moyen, "PayeeFinancialAccount/FinancialInstitutionBranch/ID"),
    )


def _total_tva(racine, devise: str | None):
    """Un second TaxTotal, sans ventilation, porte la TVA en devise de TVA (BT-111) : on prend celui de BT-5."""
    montants = [m for t in enfants(racine, "TaxTotal") for m in enfants(t, "TaxAmount")]
    for m in montants:
        if devise is None or m.get("currencyID") in (None, devise):
            return montant(m, champ="BT-110")
    return montant(montants[0], champ="BT-110") if montants else None


def extraire_ubl(racine) -> FactureNeutre:
    with collecter_anomalies() as anomalies:
        facture = _extraire_ubl(racine)
    return replace(facture, anomalies=tuple(anomalies))


def _extraire_ubl(racine) -> FactureNeutre:
    avoir = enfants(racine, "CreditNoteTypeCode")
    devise = texte(racine, "DocumentCurrencyCode")
    sommes = premier(racine, "LegalMonetaryTotal")
    sous_totaux = [s for t in enfants(racine, "TaxTotal") for s in enfants(t, "TaxSubtotal")]
    notes = [texte(n) for n in enfants(racine, "Note")]
    return FactureNeutre(
        numero=texte(racine, "ID"),
        date=date_iso_ou_102(texte(racine, "IssueDate")),
        type_code=texte(avoir[0]) if avoir else texte(racine, "InvoiceTypeCode"),
        devise=devise,
        cadre=texte(racine, "CustomizationID"),
        reference_acheteur=texte(racine, "BuyerReference"),
        engagement=texte(racine, "OrderReference/ID"),
        marche=texte(racine, "ContractDocumentReference/ID"),
        vendeur=_partie(premier(racine, "AccountingSupplierParty/Party")),
        acheteur=_partie(premier(racine, "AccountingCustomerParty/Party")),
        lignes=tuple(_ligne(el, texte(racine, "ID")) for el in enfants(racine, "InvoiceLine|CreditNoteLine")),
        ventilation_tva=tuple(
            VentilationTva(
                categorie=texte(s, "TaxCategory/ID"),
                taux=montant(s, "TaxCategory/Percent", "BT-119"),
                base=montant(s, "TaxableAmount", "BT-116"),
                montant=montant(s, "TaxAmount", "BT-117"),
                motif_exoneration=texte(s, "TaxCategory/TaxExemptionReason"),
                code_exoneration=texte(s, "TaxCategory/TaxExemptionReasonCode"),
            )
            for s in sous_totaux
        ),
        # BG-20 et BG-21 au niveau document (ceux des lignes sont sous InvoiceLine).
        remises=tuple(_remise(el) for el in enfants(racine, "AllowanceCharge") if _indicateur(el) == "remise"),
        frais=tuple(_frais(el) for el in enfants(racine, "AllowanceCharge") if _indicateur(el) == "frais"),
        totaux=Totaux(
            total_ht=montant(sommes, "TaxExclusiveAmount", "BT-109"),
            total_tva=_total_tva(racine, devise),
            total_ttc=montant(sommes, "TaxInclusiveAmount", "BT-112"),
            net_a_payer=montant(sommes, "PayableAmount", "BT-115"),
            total_lignes_ht=montant(sommes, "LineExtensionAmount", "BT-106"),
            total_remises=montant(sommes, "AllowanceTotalAmount", "BT-107"),
            total_frais=montant(sommes, "ChargeTotalAmount", "BT-108"),
            paye_avance=montant(sommes, "PrepaidAmount", "BT-113"),
            arrondi=montant(sommes, "PayableRoundingAmount", "BT-114"),
        ),
        conditions_paiement=texte(racine, "PaymentTerms/Note"),
        # BT-9: cbc:DueDate on an Invoice, cac:PaymentMeans/cbc:PaymentDueDate on a CreditNote
        echeance=date_iso_ou_102(texte(racine, "DueDate") or texte(racine, "PaymentMeans/PaymentDueDate")),
        paiement=_paiement(racine),
        note="\n".join(n for n in notes if n) or None,
        facture_origine=texte(racine, "BillingReference/InvoiceDocumentReference/ID"),
    )
