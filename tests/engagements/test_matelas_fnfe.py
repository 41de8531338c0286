"""The demo's EJs cover the FNFE Factur-X examples: every example whose buyer is a demo structure and that quotes an
order reference (BT-13) matches an EJ of that buyer to the examples' seller, and the EJ's totals are those of the
example invoices it orders (Facture_FR / Facture_DOM, EN 16931 profile)."""

from decimal import Decimal

import pytest
from lxml import etree

from demo.comptes import charger_comptes
from engagements.matelas import charger_engagements
from engagements.models import EngagementJuridique
from facturation.formats.detection import xml_du_pdf
from organisation.matelas import SIRET_VENDEUR_FNFE, STRUCTURES_FNFE
from tests.conftest import CORPUS, corpus_complet_requis
from tests.facturation.donnees import DONNEES

pytestmark = pytest.mark.django_db

NS = {"ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"}
ACHETEURS_DEMO = {siret for siret, _nom, publique in STRUCTURES_FNFE if publique}


def _exemples_fnfe():
    corpus_complet_requis()  # every FNFE example, not tests/corpus's few
    exemples = sorted(CORPUS.glob("files/zugferd-corpus/ZUGFeRDv2/*/FNFE-factur-x-examples/*.pdf"))
    return exemples + sorted(DONNEES.glob("*.pdf"))


def _lire(chemin):
    racine = etree.fromstring(xml_du_pdf(chemin.read_bytes())[1])

    def texte(xpath):
        valeurs = [v.strip() for v in racine.xpath(xpath, namespaces=NS)]
        return valeurs[0] if valeurs else ""

    return {
        "vendeur": texte("//ram:SellerTradeParty/ram:SpecifiedLegalOrganization/ram:ID/text()"),
        "acheteur": texte("//ram:BuyerTradeParty/ram:SpecifiedLegalOrganization/ram:ID/text()"),
        "commande": texte("//ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID/text()"),
        "ttc": texte("//ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:GrandTotalAmount/text()"),
        "lignes": len(racine.xpath("//ram:IncludedSupplyChainTradeLineItem", namespaces=NS)),
        "nom": chemin.name,
    }


def test_chaque_exemple_fnfe_avec_une_commande_trouve_son_ej():
    charger_comptes()
    charger_engagements()
    exemples = [_lire(chemin) for chemin in _exemples_fnfe()]
    concernes = [e for e in exemples if e["commande"] and e["acheteur"] in ACHETEURS_DEMO]
    assert {e["commande"] for e in concernes} == {"PO445", "BC543"}
    for exemple in concernes:
        ej = EngagementJuridique.objects.get(structure__identifiant=exemple["acheteur"], numero=exemple["commande"])
        assert ej.fournisseur.identifiant == exemple["vendeur"] == SIRET_VENDEUR_FNFE, exemple["nom"]
        if exemple["nom"].startswith("Facture_") and exemple["lignes"]:
            assert ej.lignes.count() == exemple["lignes"], exemple["nom"]
            assert ej.montant_ttc == Decimal(exemple["ttc"]), exemple["nom"]


def test_les_ej_fnfe_se_chargent_une_fois():
    charger_comptes()
    assert charger_engagements() == 6
    assert charger_engagements() == 0
    po445 = EngagementJuridique.objects.get(numero="PO445")
    assert (po445.montant_ht, po445.montant_tva, po445.montant_ttc) == (
        Decimal("624.90"),
        Decimal("46.25"),
        Decimal("671.15"),
    )
    assert po445.charge_par is None and po445.service is None
