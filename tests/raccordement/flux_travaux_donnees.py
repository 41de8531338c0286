"""Works Factur-X files (FSO1137A, flux E4) for the tests: a CII invoice written by the project's one CII writer
(facturation.formats.ecriture_cii), its works cadre in BT-23, the maîtrise d'œuvre as the buyer's agent
(BuyerAgentTradeParty, Factur-X EXTENDED) when the file names it, the previous piece in BT-25, wrapped in its PDF by
the project's Factur-X renderer."""

import datetime
from decimal import Decimal

import facturx
from lxml import etree

from facturation.formats.ecriture_cii import NS_RAM, NS_RSM, ecrire_cii
from facturation.formats.facturx import generer_facturx
from facturation.formats.modele import FactureNeutre, LigneNeutre, Partie, Totaux

PROFIL_EXTENDED = "urn:cen.eu:en16931:2017#conformant#urn:factur-x.eu:1p0:extended"


def _ram(parent, nom, texte=None, **attributs):
    element = etree.SubElement(parent, f"{{{NS_RAM}}}{nom}", **attributs)
    if texte is not None:
        element.text = texte
    return element


def neutre_travaux(numero, *, vendeur, acheteur, code_service=None, engagement=None, marche=None, precedente=None):
    """The invoice's data: one line of works at 20 %, 18 500,00 € HT."""
    ht, tva = Decimal("18500.00"), Decimal("3700.00")
    return FactureNeutre(
        numero=numero,
        date=datetime.date(2026, 3, 31),
        type_code="380",
        devise="EUR",
        reference_acheteur=code_service,
        engagement=engagement,
        marche=marche,
        facture_origine=precedente,
        vendeur=Partie(nom="Fournisseur des travaux", siret=vendeur, tva="FR11999999998", pays="FR"),
        acheteur=Partie(nom="Maîtrise d'ouvrage", siret=acheteur, pays="FR"),
        lignes=(
            LigneNeutre(
                id="1",
                designation="Gros œuvre, situation mensuelle",
                quantite=Decimal(1),
                unite="C62",
                prix_unitaire_ht=ht,
                montant_ht=ht,
                taux_tva=Decimal(20),
                categorie_tva="S",
            ),
        ),
        totaux=Totaux(total_lignes_ht=ht, total_ht=ht, total_tva=tva, total_ttc=ht + tva, net_a_payer=ht + tva),
    )


def cii_travaux(neutre, *, cadre="A4", moe=None):
    """The CII of `neutre` with the works cadre in BT-23 and, when given, the MOE's SIRET as the buyer's agent."""
    racine = etree.fromstring(ecrire_cii(neutre))
    contexte = racine.find(f"{{{NS_RSM}}}ExchangedDocumentContext")
    processus = etree.Element(f"{{{NS_RAM}}}BusinessProcessSpecifiedDocumentContextParameter")
    _ram(processus, "ID", cadre)
    contexte.insert(0, processus)
    if moe is not None:
        contexte.find(f"{{{NS_RAM}}}GuidelineSpecifiedDocumentContextParameter/{{{NS_RAM}}}ID").text = PROFIL_EXTENDED
        accord = racine.find(f".//{{{NS_RAM}}}ApplicableHeaderTradeAgreement")
        agent = etree.Element(f"{{{NS_RAM}}}BuyerAgentTradeParty")
        _ram(agent, "Name", "Maîtrise d'œuvre")
        _ram(_ram(agent, "SpecifiedLegalOrganization"), "ID", moe, schemeID="0002")
        _ram(_ram(agent, "PostalTradeAddress"), "CountryID", "FR")
        # EXTENDED's order puts the buyer's agent after the referenced documents (the writer writes nothing after them)
        accord.append(agent)
    return etree.tostring(racine, xml_declaration=True, encoding="UTF-8")


def facturx_travaux(numero, *, vendeur, acheteur, cadre="A4", moe=None, **references):
    """A works Factur-X PDF (FSO1137A): the readable invoice with its CII embedded."""
    neutre = neutre_travaux(numero, vendeur=vendeur, acheteur=acheteur, **references)
    xml = cii_travaux(neutre, cadre=cadre, moe=moe)
    niveau = "extended" if moe is not None else "en16931"
    return facturx.generate_from_binary(generer_facturx(neutre), xml, flavor="factur-x", level=niveau)
