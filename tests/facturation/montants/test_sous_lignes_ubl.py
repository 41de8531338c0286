"""UBL EXTENDED-CTC-FR sub-lines: a line that references its own invoice (BillingReference = BT-1) carries its subtype
(DocumentStatusCode) and its parent line (BillingReferenceLine). The reader keeps both, so the module sums what the
artefact sums (a « GROUP » line is not counted in BT-106 nor in its VAT base) and explains BR-FREXT-08 when a group
is not the sum of its sub-lines.

Akretion's UBL EXTENDED-CTC-FR sample, its line 1 (135,00, S 5,5 %) made the « DETAIL » sub-line of a copy of itself,
the « GROUP » line « G »."""

import copy

import pytest
from lxml import etree

from facturation.formats.lecture import lire
from facturation.validation import couches, montants
from tests.facturation.televersement.conftest import corpus_octets

UBL_CTC_FR = "files/akretion-factur-x/xml/ubl-21-extended-ctc-fr.xml"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"


def _reference(statut, parente=None):
    reference = etree.Element(f"{{{CAC}}}BillingReference")
    document = etree.SubElement(reference, f"{{{CAC}}}InvoiceDocumentReference")
    etree.SubElement(document, f"{{{CBC}}}ID").text = "F124212"  # the invoice's own BT-1
    etree.SubElement(document, f"{{{CBC}}}DocumentStatusCode").text = statut
    if parente:
        ligne = etree.SubElement(reference, f"{{{CAC}}}BillingReferenceLine")
        etree.SubElement(ligne, f"{{{CBC}}}ID").text = parente
    return reference


def _avec_un_groupe(montant_du_groupe):
    racine = etree.fromstring(corpus_octets(UBL_CTC_FR))
    lignes = racine.findall(f"{{{CAC}}}InvoiceLine")
    groupe = copy.deepcopy(lignes[0])
    groupe.find(f"{{{CBC}}}ID").text = "G"
    groupe.find(f"{{{CBC}}}LineExtensionAmount").text = montant_du_groupe
    # UBL order: … InvoicePeriod, (Order/Despatch/Receipt)LineReference, BillingReference …
    lignes[0].find(f"{{{CAC}}}InvoicePeriod").addnext(_reference("DETAIL", "G"))
    groupe.find(f"{{{CAC}}}InvoicePeriod").addnext(_reference("GROUP"))
    lignes[-1].addnext(groupe)
    return etree.tostring(racine, xml_declaration=True, encoding="UTF-8")


def _verdicts(contenu):
    rapport = couches.valider(contenu, "ubl-invoice")
    _syntaxe, neutre, _xml = lire(contenu, taille_max=10 * 1024 * 1024)
    artefact = {a.code for a in rapport.anomalies if a.couche == couches.COUCHE_EN16931}
    return neutre, artefact, montants.controler(neutre, "ubl-invoice", rapport.profil)


def test_la_ligne_de_regroupement_n_est_pas_comptee():
    neutre, artefact, ecarts = _verdicts(_avec_un_groupe("135.00"))

    assert [(ligne.id, ligne.statut, ligne.ligne_parente) for ligne in neutre.lignes] == [
        ("1", "DETAIL", "G"),
        ("2", None, None),
        ("G", "GROUP", None),
    ]
    # BT-106 (273,00) and the S 5,5 % base (135,00) still hold: the group is not counted twice
    assert artefact == set()
    assert ecarts == []


@pytest.mark.parametrize("montant", ["136.00", "134.99"])
def test_un_groupe_qui_n_est_pas_la_somme_de_ses_sous_lignes(montant):
    _neutre, artefact, ecarts = _verdicts(_avec_un_groupe(montant))

    assert artefact == {"BR-FREXT-08"}
    (ecart,) = ecarts
    assert (ecart.regle, ecart.champ) == ("BR-FREXT-08", "BT-131 (ligne G)")
    assert ecart.valeur_trouvee == f"{montant.replace('.', ',')} EUR"
    assert ecart.valeur_attendue == "BT-131 = Σ BT-131 des sous-lignes = 135,00 = 135,00 EUR"
