import io
from decimal import Decimal

import pytest
from pypdf import PdfWriter

from facturation.formats import FormatInvalide, lire
from facturation.formats.detection import MESSAGE_INCONNU, detecter

FNFE = "files/zugferd-corpus/ZUGFeRDv2/correct/FNFE-factur-x-examples"


def test_xml_qui_n_est_pas_une_facture():
    with pytest.raises(FormatInvalide) as exc:
        lire(b'<?xml version="1.0"?><commande xmlns="urn:exemple"><ligne/></commande>')
    assert str(exc.value) == MESSAGE_INCONNU
    assert str(exc.value).startswith("Le fichier n'est ni une facture Factur-X, ni un fichier CII ou UBL")


def test_fichier_binaire_quelconque():
    with pytest.raises(FormatInvalide, match="ni une facture Factur-X"):
        lire(b"PK\x03\x04 une archive zip")


def test_pdf_sans_xml():
    sortie = io.BytesIO()
    ecrivain = PdfWriter()
    ecrivain.add_blank_page(width=595, height=842)
    ecrivain.write(sortie)
    assert lire(sortie.getvalue()) == ("pdf", None, None)


def test_pdf_avec_une_autre_piece_jointe_seulement():
    sortie = io.BytesIO()
    ecrivain = PdfWriter()
    ecrivain.add_blank_page(width=595, height=842)
    ecrivain.add_attachment("bon_de_livraison.xml", b"<bl/>")
    ecrivain.write(sortie)
    assert detecter(sortie.getvalue()).syntaxe == "pdf"


def test_factur_x_basicwl_francais(corpus):
    syntaxe, facture, xml = lire((corpus / FNFE / "Facture_FR_BASICWL.pdf").read_bytes())
    assert syntaxe == "factur-x-pdf"
    assert xml.lstrip().startswith(b"<?xml")
    assert facture.numero == "FA-2017-0010"
    assert str(facture.date) == "2017-11-13"
    assert facture.cadre == "urn:factur-x.eu:1p0:basicwl"
    assert facture.engagement == "PO445"
    assert facture.marche == "MSPE2017"
    assert facture.vendeur.siret == "99999999800010"
    assert facture.vendeur.tva == "FR11999999998"
    assert facture.acheteur.identifiant == "0002:78787878400035"
    # BASIC WL n'a pas de lignes, seulement la ventilation de TVA.
    assert facture.lignes == ()
    assert [(v.taux, v.base, v.montant) for v in facture.ventilation_tva] == [
        (Decimal("20.00"), Decimal("81.90"), Decimal("16.38")),
        (Decimal("5.50"), Decimal("543.00"), Decimal("29.87")),
    ]
    assert facture.totaux.total_ht == Decimal("624.90")
    assert facture.totaux.total_tva == Decimal("46.25")
    assert facture.totaux.total_ttc == Decimal("671.15")
    assert facture.totaux.net_a_payer == Decimal("470.15")


def test_cii_en16931_akretion(corpus):
    syntaxe, facture, _ = lire((corpus / "files/akretion-factur-x/xml/factur-x-en16931.xml").read_bytes())
    assert syntaxe == "cii"
    assert facture.reference_acheteur == "SERVEXEC"
    assert facture.engagement == "PO201925478"
    assert facture.facture_origine == "F20260003"
    # Le SIREN (0002, 9 chiffres) est l'identifiant préféré ; le SIRET vient de l'identifiant 0009.
    assert facture.vendeur.identifiant == "0002:123456782"
    assert facture.vendeur.siret == "12345678200077"
    assert facture.acheteur.siret is None
    assert [ligne.designation for ligne in facture.lignes] == ["PRESTATION SUPPORT", "FOURNITURES PAPIER", "APPEL"]
    deuxieme = facture.lignes[1]
    assert (deuxieme.quantite, deuxieme.unite, deuxieme.prix_unitaire_ht, deuxieme.montant_ht) == (
        Decimal("3"),
        "C62",
        Decimal("30"),
        Decimal("28.00"),
    )
    assert (deuxieme.taux_tva, deuxieme.categorie_tva) == (Decimal("10.00"), "S")


def test_cii_minimum_sans_lignes(corpus):
    _, facture, _ = lire((corpus / "files/akretion-factur-x/xml/factur-x-minimum.xml").read_bytes())
    assert facture.lignes == ()
    assert facture.totaux.total_ttc == Decimal("104.90")


def test_ubl_avoir_avec_bom(corpus):
    contenu = (corpus / "files/zugferd-corpus/XML-Rechnung/UBL/ubl-tc434-creditnote1.xml").read_bytes()
    assert contenu.startswith(b"\xef\xbb\xbf")
    syntaxe, facture, _ = lire(contenu)
    assert syntaxe == "ubl-creditnote"
    assert facture.type_code == "381"
    assert facture.lignes[0].quantite == Decimal("1.00")
    assert facture.totaux.total_ttc == Decimal("100.11")


def test_montant_illisible_rapporte_sans_bloquer_la_lecture(corpus):
    contenu = (corpus / "files/zugferd-corpus/ZUGFeRDv1/fail/Mustangproject/fail1.pdf").read_bytes()
    _, facture, _ = lire(contenu)
    assert facture.numero == "RE-20151008/504"
    assert any("« 19.00e »" in a for a in facture.anomalies)


def test_xml_joint_illisible(corpus):
    chemin = corpus / "files/zugferd-corpus/ZUGFeRDv2/fail/Mustangproject/factur-x-invalid-xml-encoding-attribute.pdf"
    assert detecter(chemin.read_bytes()).syntaxe == "factur-x-pdf"
    with pytest.raises(FormatInvalide, match="« factur-x.xml » joint au PDF est illisible"):
        lire(chemin.read_bytes())
