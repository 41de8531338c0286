"""Écriture d'une facture neutre en CII D16B, profil EN 16931 (Factur-X « EN 16931 »).

L'arbre est construit avec lxml : les valeurs ne sont jamais concaténées dans du texte XML, l'échappement
(<, &, ") est celui de la bibliothèque.

Le modèle neutre ne porte pas tout ce que les règles EN 16931 exigent ; valeurs par défaut retenues :
- BT-3 « 380 » (facture commerciale), BT-5 « EUR », BT-40/BT-55 (pays) « FR » ;
- adresse postale (BG-5, BG-8) : lignes, code postal et ville quand le modèle les porte, le pays toujours ;
- BT-151/BT-118 (catégorie de TVA) « S » (taux normal) quand le taux est positif, « Z » quand il est nul ;
- BT-107 (remises au niveau document) = somme des BG-20 si absent ; BT-106 (somme des lignes) = BT-109 + BT-107
  si absent, calculé depuis les lignes si BT-109 manque aussi ; BT-109 = BT-106 − BT-107 si absent ;
  BT-115 = BT-112 − BT-113 si absent ; pas de frais au niveau document (BG-21) ;
- BG-23 (ventilation de TVA) calculée depuis les lignes et les remises quand le modèle n'en porte pas ;
- BT-20 (conditions de paiement) : exigé par BR-CO-25 dès que le net à payer est positif ; sans conditions dans
  l'appel ni dans le modèle, on écrit CONDITIONS_PAIEMENT_DEFAUT (délai global de paiement de la commande publique,
  30 jours).
"""

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from lxml import etree

from facturation.formats.modele import (
    SCHEMA_SIREN_OU_SIRET,
    SCHEMA_SIRET,
    FactureNeutre,
    LigneNeutre,
    Paiement,
    Partie,
    RemiseDocument,
    VentilationTva,
)

NS_RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
NS_RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
NS_UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
NS_QDT = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
NSMAP = {"rsm": NS_RSM, "ram": NS_RAM, "udt": NS_UDT, "qdt": NS_QDT}

CADRE_EN16931 = "urn:cen.eu:en16931:2017"
TYPE_DEFAUT = "380"
DEVISE_DEFAUT = "EUR"
PAYS_DEFAUT = "FR"
UNITE_DEFAUT = "C62"  # « unité » (UN/ECE Rec. 20)
CONDITIONS_PAIEMENT_DEFAUT = "Paiement à 30 jours à compter de la réception de la facture."

_CENTIME = Decimal("0.01")


def _ram(parent, nom: str, texte: str | None = None, **attributs) -> etree._Element:
    el = etree.SubElement(parent, f"{{{NS_RAM}}}{nom}", attributs)
    if texte is not None:
        el.text = texte
    return el


def _rsm(parent, nom: str) -> etree._Element:
    return etree.SubElement(parent, f"{{{NS_RSM}}}{nom}")


def _decimal(valeur: Decimal) -> str:
    # Jamais de notation scientifique (« 1E+2 ») : le XSD attend un xs:decimal.
    return format(valeur, "f")


def _categorie(categorie: str | None, taux: Decimal | None) -> str:
    if categorie:
        return categorie
    return "Z" if taux is not None and taux == 0 else "S"


def _date_102(facture: FactureNeutre) -> str:
    return facture.date.strftime("%Y%m%d") if facture.date else ""


def _identifiant_legal(partie: Partie) -> tuple[str, str] | None:
    if partie.siret:
        return partie.siret, SCHEMA_SIRET
    for ident in partie.identifiants:
        if ident.schema in (SCHEMA_SIRET, SCHEMA_SIREN_OU_SIRET):
            return ident.valeur, ident.schema
    return None


def _partie(parent, nom: str, partie: Partie) -> None:
    el = _ram(parent, nom)
    _ram(el, "Name", partie.nom or "")
    legal = _identifiant_legal(partie)
    if legal:
        organisation = _ram(el, "SpecifiedLegalOrganization")
        _ram(organisation, "ID", legal[0], schemeID=legal[1])
    # The XSD's order: PostcodeCode, LineOne, LineTwo, LineThree, CityName, CountryID.
    adresse = _ram(el, "PostalTradeAddress")
    for balise, valeur in (
        ("PostcodeCode", partie.code_postal),
        ("LineOne", partie.adresse),
        ("LineTwo", partie.complement_1),
        ("LineThree", partie.complement_2),
        ("CityName", partie.ville),
    ):
        if valeur:
            _ram(adresse, balise, valeur)
    _ram(adresse, "CountryID", partie.pays or PAYS_DEFAUT)
    if partie.tva:
        enregistrement = _ram(el, "SpecifiedTaxRegistration")
        _ram(enregistrement, "ID", partie.tva, schemeID="VA")


def _ligne(parent, numero: int, ligne: LigneNeutre) -> None:
    el = _ram(parent, "IncludedSupplyChainTradeLineItem")
    document = _ram(el, "AssociatedDocumentLineDocument")
    _ram(document, "LineID", ligne.id or str(numero))
    produit = _ram(el, "SpecifiedTradeProduct")
    if ligne.reference_vendeur:
        _ram(produit, "SellerAssignedID", ligne.reference_vendeur)
    _ram(produit, "Name", ligne.designation or "")
    accord = _ram(el, "SpecifiedLineTradeAgreement")
    prix = _ram(accord, "NetPriceProductTradePrice")
    _ram(prix, "ChargeAmount", _decimal(ligne.prix_unitaire_ht if ligne.prix_unitaire_ht is not None else Decimal(0)))
    livraison = _ram(el, "SpecifiedLineTradeDelivery")
    _ram(
        livraison,
        "BilledQuantity",
        _decimal(ligne.quantite if ligne.quantite is not None else Decimal(1)),
        unitCode=ligne.unite or UNITE_DEFAUT,
    )
    reglement = _ram(el, "SpecifiedLineTradeSettlement")
    taxe = _ram(reglement, "ApplicableTradeTax")
    _ram(taxe, "TypeCode", "VAT")
    _ram(taxe, "CategoryCode", _categorie(ligne.categorie_tva, ligne.taux_tva))
    if ligne.taux_tva is not None:
        _ram(taxe, "RateApplicablePercent", _decimal(ligne.taux_tva))
    sommes = _ram(reglement, "SpecifiedTradeSettlementLineMonetarySummation")
    _ram(sommes, "LineTotalAmount", _decimal(_montant_ligne(ligne)))


def _montant_ligne(ligne: LigneNeutre) -> Decimal:
    if ligne.montant_ht is not None:
        return ligne.montant_ht
    quantite = ligne.quantite if ligne.quantite is not None else Decimal(1)
    prix = ligne.prix_unitaire_ht or Decimal(0)
    return (quantite * prix).quantize(_CENTIME, ROUND_HALF_UP)


def ventilation_depuis_lignes(
    lignes: tuple[LigneNeutre, ...], remises: tuple[RemiseDocument, ...] = ()
) -> tuple[VentilationTva, ...]:
    """BG-23 calculée ligne à ligne, moins les remises du même taux (BR-S-08), arrondie au centime (BR-CO-17)."""
    bases: dict[tuple[str, Decimal], Decimal] = defaultdict(Decimal)
    for ligne in lignes:
        taux = ligne.taux_tva or Decimal(0)
        bases[(_categorie(ligne.categorie_tva, taux), taux)] += _montant_ligne(ligne)
    for remise in remises:
        taux = remise.taux_tva or Decimal(0)
        bases[(_categorie(remise.categorie_tva, taux), taux)] -= remise.montant or Decimal(0)
    return tuple(
        VentilationTva(
            categorie=categorie,
            taux=taux,
            base=base,
            montant=(base * taux / 100).quantize(_CENTIME, ROUND_HALF_UP),
        )
        for (categorie, taux), base in bases.items()
    )


def _paiement(parent, paiement: Paiement) -> None:
    moyen = _ram(parent, "SpecifiedTradeSettlementPaymentMeans")
    _ram(moyen, "TypeCode", paiement.code or "")
    if paiement.iban:
        compte = _ram(moyen, "PayeePartyCreditorFinancialAccount")
        _ram(compte, "IBANID", paiement.iban)
        if paiement.titulaire:
            _ram(compte, "AccountName", paiement.titulaire)
    if paiement.bic:
        _ram(_ram(moyen, "PayeeSpecifiedCreditorFinancialInstitution"), "BICID", paiement.bic)


def _remise(parent, remise: RemiseDocument) -> None:
    el = _ram(parent, "SpecifiedTradeAllowanceCharge")
    indicateur = _ram(el, "ChargeIndicator")
    etree.SubElement(indicateur, f"{{{NS_UDT}}}Indicator").text = "false"
    _ram(el, "ActualAmount", _decimal(remise.montant if remise.montant is not None else Decimal(0)))
    if remise.code_motif:
        _ram(el, "ReasonCode", remise.code_motif)
    if remise.motif:
        _ram(el, "Reason", remise.motif)
    taxe = _ram(el, "CategoryTradeTax")
    _ram(taxe, "TypeCode", "VAT")
    _ram(taxe, "CategoryCode", _categorie(remise.categorie_tva, remise.taux_tva))
    if remise.taux_tva is not None:
        _ram(taxe, "RateApplicablePercent", _decimal(remise.taux_tva))


def ecrire_cii(facture: FactureNeutre, conditions_paiement: str | None = None) -> bytes:
    """CII D16B au profil EN 16931 ; les valeurs absentes du modèle prennent les défauts du module."""
    devise = facture.devise or DEVISE_DEFAUT
    racine = etree.Element(f"{{{NS_RSM}}}CrossIndustryInvoice", nsmap=NSMAP)

    contexte = _rsm(racine, "ExchangedDocumentContext")
    _ram(_ram(contexte, "GuidelineSpecifiedDocumentContextParameter"), "ID", CADRE_EN16931)

    document = _rsm(racine, "ExchangedDocument")
    _ram(document, "ID", facture.numero or "")
    _ram(document, "TypeCode", facture.type_code or TYPE_DEFAUT)
    emission = _ram(document, "IssueDateTime")
    date = etree.SubElement(emission, f"{{{NS_UDT}}}DateTimeString", format="102")
    date.text = _date_102(facture)
    if facture.note:
        _ram(_ram(document, "IncludedNote"), "Content", facture.note)

    transaction = _rsm(racine, "SupplyChainTradeTransaction")
    for numero, ligne in enumerate(facture.lignes, start=1):
        _ligne(transaction, numero, ligne)

    accord = _ram(transaction, "ApplicableHeaderTradeAgreement")
    if facture.reference_acheteur:
        _ram(accord, "BuyerReference", facture.reference_acheteur)
    _partie(accord, "SellerTradeParty", facture.vendeur)
    _partie(accord, "BuyerTradeParty", facture.acheteur)
    if facture.engagement:
        _ram(_ram(accord, "BuyerOrderReferencedDocument"), "IssuerAssignedID", facture.engagement)
    if facture.marche:
        _ram(_ram(accord, "ContractReferencedDocument"), "IssuerAssignedID", facture.marche)

    _ram(transaction, "ApplicableHeaderTradeDelivery")

    reglement = _ram(transaction, "ApplicableHeaderTradeSettlement")
    _ram(reglement, "InvoiceCurrencyCode", devise)
    if facture.paiement is not None:
        _paiement(reglement, facture.paiement)
    ventilation = facture.ventilation_tva or ventilation_depuis_lignes(facture.lignes, facture.remises)
    for v in ventilation:
        taxe = _ram(reglement, "ApplicableTradeTax")
        _ram(taxe, "CalculatedAmount", _decimal(v.montant if v.montant is not None else Decimal(0)))
        _ram(taxe, "TypeCode", "VAT")
        if v.motif_exoneration:
            _ram(taxe, "ExemptionReason", v.motif_exoneration)
        _ram(taxe, "BasisAmount", _decimal(v.base if v.base is not None else Decimal(0)))
        _ram(taxe, "CategoryCode", _categorie(v.categorie, v.taux))
        if v.code_exoneration:
            _ram(taxe, "ExemptionReasonCode", v.code_exoneration)
        if v.taux is not None:
            _ram(taxe, "RateApplicablePercent", _decimal(v.taux))
    for remise in facture.remises:
        _remise(reglement, remise)

    totaux = facture.totaux
    total_remises = (
        totaux.total_remises
        if totaux.total_remises is not None
        else sum((r.montant or Decimal(0) for r in facture.remises), Decimal(0))
    )
    # The model's totals are written as given (the validation then says which one is wrong); missing ones are derived.
    if totaux.total_lignes_ht is not None:
        total_lignes = totaux.total_lignes_ht
    elif totaux.total_ht is not None:
        total_lignes = totaux.total_ht + total_remises
    else:
        total_lignes = sum(map(_montant_ligne, facture.lignes), Decimal(0))
    total_ht = totaux.total_ht if totaux.total_ht is not None else total_lignes - total_remises
    total_tva = (
        totaux.total_tva
        if totaux.total_tva is not None
        else sum((v.montant or Decimal(0) for v in ventilation), Decimal(0))
    )
    total_ttc = totaux.total_ttc if totaux.total_ttc is not None else total_ht + total_tva
    paye_avance = totaux.paye_avance or Decimal(0)
    net_a_payer = totaux.net_a_payer if totaux.net_a_payer is not None else total_ttc - paye_avance

    conditions_paiement = conditions_paiement or facture.conditions_paiement
    if conditions_paiement or facture.echeance or net_a_payer > 0:
        conditions = _ram(reglement, "SpecifiedTradePaymentTerms")
        _ram(conditions, "Description", conditions_paiement or CONDITIONS_PAIEMENT_DEFAUT)
        if facture.echeance:
            echeance = _ram(conditions, "DueDateDateTime")
            etree.SubElement(echeance, f"{{{NS_UDT}}}DateTimeString", format="102").text = facture.echeance.strftime(
                "%Y%m%d"
            )

    sommes = _ram(reglement, "SpecifiedTradeSettlementHeaderMonetarySummation")
    _ram(sommes, "LineTotalAmount", _decimal(total_lignes))
    if facture.remises or total_remises:
        _ram(sommes, "AllowanceTotalAmount", _decimal(total_remises))
    _ram(sommes, "TaxBasisTotalAmount", _decimal(total_ht))
    _ram(sommes, "TaxTotalAmount", _decimal(total_tva), currencyID=devise)
    _ram(sommes, "GrandTotalAmount", _decimal(total_ttc))
    if paye_avance:
        _ram(sommes, "TotalPrepaidAmount", _decimal(paye_avance))
    _ram(sommes, "DuePayableAmount", _decimal(net_a_payer))

    if facture.facture_origine:
        _ram(_ram(reglement, "InvoiceReferencedDocument"), "IssuerAssignedID", facture.facture_origine)

    return etree.tostring(racine, xml_declaration=True, encoding="UTF-8", pretty_print=True)
