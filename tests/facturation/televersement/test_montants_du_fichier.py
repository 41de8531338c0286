"""Issue #13: valid corpus files the portal's own amount check (MONTANT_INCOHERENT, the web form's calculation) used to
refuse are deposited, each with the file's amounts and VAT breakdown; a shifted total is refused once, with the rule
and how the expected value is computed.

CII files from abroad name their parties by foreign identifiers: `avec_parties` gives them the SIRETs of the FNFE
test structures (their first GlobalID, or one more after their IDs), nothing else changes."""

import re
from decimal import Decimal as D

import facturx
import pytest
from django.urls import reverse
from lxml import etree

from facturation.models import Facture
from facturation.services.televersement import COUCHE_CHORUS, COUCHE_EN16931, facture_televerser
from facturation.validation import valider
from tests.conftest import connecter
from tests.facturation.donnees import au_profil
from tests.facturation.televersement.conftest import SIRET_ACHETEUR_FNFE, SIRET_VENDEUR_FNFE, corpus_octets, fichier
from tests.facturation.televersement.test_service import refus

pytestmark = pytest.mark.django_db

RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"

AKRETION_CII = "files/akretion-factur-x/xml/factur-x-en16931.xml"
AKRETION_UBL = "files/akretion-factur-x/xml/ubl-21-en16931.xml"
HUF = "files/cen-en16931/cii/examples/huf_example_cii.xml"
EXTENDED_SOUS_LIGNES = "files/phive-rules/2.5.2/extended/factur-x-22.xml"
REMISES_DE_LIGNE = "files/zugferd-corpus/XML-Rechnung/CII/EN16931_Rabatte.cii.xml"
FNFE_MINIMUM = "files/zugferd-corpus/ZUGFeRDv2/correct/FNFE-factur-x-examples/Facture_FR_MINIMUM.pdf"


def _cii_parties(racine):
    for nom, siret in (("SellerTradeParty", SIRET_VENDEUR_FNFE), ("BuyerTradeParty", SIRET_ACHETEUR_FNFE)):
        partie = racine.find(f".//{{{RAM}}}{nom}")
        global_id = partie.find(f"{{{RAM}}}GlobalID")
        if global_id is None:
            # CII order: ID*, GlobalID*, Name…: the SIRET goes after the IDs
            global_id = etree.Element(f"{{{RAM}}}GlobalID")
            partie.insert(sum(1 for e in partie if e.tag == f"{{{RAM}}}ID"), global_id)
        global_id.text, global_id.attrib["schemeID"] = siret, "0009"
    reference = racine.find(f".//{{{RAM}}}BuyerReference")
    if reference is not None:
        reference.getparent().remove(reference)  # the FNFE buyer has no service


def _retirer(racine, xpath):
    """Drop what the official artefact reports as not used in the profile (successful-report): the amounts are the
    point of these tests, the file must otherwise pass the artefact."""
    for element in racine.xpath(xpath, namespaces={"ram": RAM}):
        element.getparent().remove(element)


def avec_parties(chemin, remplacer=None, hors_profil=None):
    """The corpus file with the FNFE SIRETs as seller and buyer; `remplacer` (old, new) then edits its text."""
    racine = etree.fromstring(corpus_octets(chemin))
    _cii_parties(racine)
    if hors_profil:
        _retirer(racine, hors_profil)
    contenu = etree.tostring(racine, xml_declaration=True, encoding="UTF-8")
    if remplacer:
        ancien, nouveau = remplacer
        assert contenu.count(ancien) == 1, ancien
        contenu = contenu.replace(ancien, nouveau)
    return fichier(contenu, "facture.xml")


def deposer(deposant, vendeur, contenu):
    return facture_televerser(par=deposant, fournisseur=vendeur, fichier=contenu)


def test_frais_du_document_bg21_deposes_avec_les_montants_du_fichier(deposant, vendeur, acheteur, media):
    # Akretion: BT-109 = 95 + 14 − 9 = 100; the web form's calculation found 95 (charges ignored)
    facture = deposer(deposant, vendeur, avec_parties(AKRETION_CII))

    facture.refresh_from_db()
    assert (facture.total_lignes_ht, facture.total_remises_ht, facture.total_frais_ht) == (D("95"), D("9"), D("14"))
    assert (facture.total_ht, facture.total_tva, facture.total_ttc, facture.net_a_payer) == (
        D("100"),
        D("4.90"),
        D("104.90"),
        D("104.90"),
    )
    ventilation = {(v.categorie, v.taux): (v.base_ht, v.montant_tva) for v in facture.ventilations.all()}
    assert sum(base for base, _ in ventilation.values()) == D("100")
    assert sum(tva for _, tva in ventilation.values()) == D("4.90")
    assert facture.remise_globale == 0


def test_tva_arrondie_dans_la_tolerance_en16931_deposee(deposant, vendeur, acheteur, media):
    # CEN HUF example: 18 679 HUF of VAT in the file, 18 678,60 by the web form's rounding; BR-CO-17 allows ± 1
    # its header reference without a document type (BT-17/BT-18 variant) is « not used » in Factur-X EN 16931
    sans_type = "//ram:ApplicableHeaderTradeAgreement/ram:AdditionalReferencedDocument[not(ram:TypeCode)]"
    facture = deposer(deposant, vendeur, avec_parties(HUF, hors_profil=sans_type))

    facture.refresh_from_db()
    assert (facture.devise, facture.total_tva, facture.total_ttc) == ("HUF", D("18679"), D("87859"))
    assert [v.montant_tva for v in facture.ventilations.all()] == [D("18679")]


def test_minimum_deposee_avec_son_net_a_payer_sans_bt113(deposant, vendeur, acheteur, media):
    # FNFE MINIMUM: net à payer below the TTC, and MINIMUM cannot carry the amount already paid (BT-113)
    # the example's XML less what the MINIMUM artefact reports as not used (tests.facturation.donnees), and less the
    # buyer's address and VAT number
    _nom, xml = facturx.get_xml_from_pdf(corpus_octets(FNFE_MINIMUM), check_xsd=False)
    racine = etree.fromstring(au_profil(xml))
    _retirer(
        racine, "//ram:BuyerTradeParty/ram:PostalTradeAddress | //ram:BuyerTradeParty/ram:SpecifiedTaxRegistration"
    )
    contenu = etree.tostring(racine, xml_declaration=True, encoding="UTF-8")
    assert valider(contenu, "cii").erreurs == []
    facture = deposer(deposant, vendeur, fichier(contenu, "facture.xml"))

    facture.refresh_from_db()
    assert facture.net_a_payer < facture.total_ttc
    assert (facture.total_ht, facture.total_tva, facture.total_ttc, facture.net_a_payer) == (
        D("624.90"),
        D("46.25"),
        D("671.15"),
        D("470.15"),
    )


def test_extended_ne_compte_que_les_lignes_de_detail(deposant, vendeur, acheteur, media):
    # phive EXTENDED: two GROUP lines repeat the sum of their DETAIL sub-lines; summing all gave twice the total
    facture = deposer(deposant, vendeur, avec_parties(EXTENDED_SOUS_LIGNES))

    facture.refresh_from_db()
    assert (facture.total_ht, facture.total_ttc) == (D("1500"), D("1785"))
    assert facture.lignes.count() == 4
    assert sum(ligne.montant_ht for ligne in facture.lignes.all()) == D("1500")


def test_remises_et_frais_de_ligne_deposes_avec_les_montants_du_fichier(deposant, vendeur, acheteur, media):
    # ZUGFeRD « Rabatte »: allowances on the lines and on the document, two VAT rates
    facture = deposer(deposant, vendeur, avec_parties(REMISES_DE_LIGNE))

    facture.refresh_from_db()
    assert (facture.total_ht, facture.total_tva) == (D("193.77"), D("21.30"))
    assert sum(v.base_ht for v in facture.ventilations.all()) == D("193.77")
    assert sum(v.montant_tva for v in facture.ventilations.all()) == D("21.30")


def _erreurs_montant(erreur):
    return {e.code: e for e in erreur.bloquantes if e.couche == COUCHE_EN16931 and e.code.startswith("BR-CO")}


def test_total_ht_decale_cii_refuse_une_fois_avec_son_calcul(deposant, vendeur, acheteur):
    contenu = avec_parties(AKRETION_CII, (b">100.00</ram:TaxBasisTotalAmount>", b">100.01</ram:TaxBasisTotalAmount>"))

    erreur = refus(par=deposant, fournisseur=vendeur, fichier=contenu)

    assert not [e for e in erreur.erreurs if e.couche == COUCHE_CHORUS and e.code.startswith("MONTANT")]
    montants = _erreurs_montant(erreur)
    assert set(montants) == {"BR-CO-13", "BR-CO-15"}
    assert [e.code for e in erreur.erreurs].count("BR-CO-13") == 1
    co13 = montants["BR-CO-13"]
    assert co13.valeur_trouvee == "100,01 EUR"
    assert co13.valeur_attendue == "BT-109 = BT-106 − BT-107 + BT-108 = 95,00 − 9,00 + 14,00 = 100,00 EUR"
    assert co13.message == (
        "Règle EN 16931 BR-CO-13 : le total HT (BT-109) du fichier vaut 100,01 EUR ; la règle attend "
        "BT-109 = BT-106 − BT-107 + BT-108 = 95,00 − 9,00 + 14,00 = 100,00 EUR."
    )
    assert montants["BR-CO-15"].valeur_attendue == "BT-112 = BT-109 + BT-110 = 100,01 + 4,90 = 104,91 EUR"
    assert not Facture.objects.exists()


def test_total_ttc_decale_ubl_refuse_une_fois_avec_son_calcul(ubl_parties):
    vendeur, _acheteur, deposant = ubl_parties
    octets = corpus_octets(AKRETION_UBL)
    ttc = etree.fromstring(octets).find(f"{{{CAC}}}LegalMonetaryTotal/{{{CBC}}}TaxInclusiveAmount")
    decale = D(ttc.text) + D("0.01")
    ancien = f">{ttc.text}</cbc:TaxInclusiveAmount>".encode()
    contenu = fichier(octets.replace(ancien, f">{decale}</cbc:TaxInclusiveAmount>".encode()), "ubl.xml")

    erreur = refus(par=deposant, fournisseur=vendeur, fichier=contenu)

    montants = _erreurs_montant(erreur)
    assert "BR-CO-15" in montants
    assert [e.code for e in erreur.erreurs].count("BR-CO-15") == 1
    co15 = montants["BR-CO-15"]
    assert co15.valeur_trouvee == f"{str(decale).replace('.', ',')} EUR"
    assert co15.valeur_attendue.startswith("BT-112 = BT-109 + BT-110 = ")
    assert co15.valeur_attendue.endswith(f" = {str(D(ttc.text)).replace('.', ',')} EUR")
    assert "BT-109" in co15.champ and "BT-110" in co15.champ


def test_la_page_montre_les_totaux_et_la_ventilation_du_fichier(client, deposant, vendeur, acheteur, media):
    facture = deposer(deposant, vendeur, avec_parties(AKRETION_CII))

    page = connecter(client, deposant).get(reverse("facturation:emises_consulter", args=[facture.pk]))

    contenu = page.content.decode()
    assert page.status_code == 200
    for identifiant, montant in (
        ("facture-total-lignes-ht", "95,00"),
        ("facture-total-remises", "9,00"),
        ("facture-total-frais", "14,00"),
        ("facture-total-ht", "100,00"),
    ):
        assert re.search(rf'id="{identifiant}">{montant}', contenu), identifiant
    assert list(page.context["ventilation"]) == list(facture.ventilations.all())
