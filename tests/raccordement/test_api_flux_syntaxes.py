"""Every syntaxeFlux of the real enum through deposerFluxFacture (chorus-pro-api.md §3.2): the portal integrates the
UBL and CII families — alone (E1), with the invoice's PDF embedded in the XML (E2 `_MIN`) or beside it in a tar.gz
(PDFARCHIVE) — and accepts the others (PES, xCBL, CPP, E3 mémoires), rejecting them in the report by name."""

import base64

import pytest

from facturation.models import Facture
from organisation.models import Service
from raccordement.enums import SYNTAXES_NON_INTEGREES, SyntaxeFlux
from raccordement.models import Flux
from tests.facturation.televersement.conftest import UBL, corpus_octets, structure
from tests.facturation.televersement.pdf import pdf_texte
from tests.raccordement.flux_donnees import facture_cii, tar_gz
from tests.raccordement.test_api_socle import Integrateur, publique

pytestmark = pytest.mark.django_db

DEPOSER = "factures/v1/deposer/flux"


@pytest.fixture(scope="module")
def pdf():
    return pdf_texte(["Facture lisible du flux mixte"])


def _b64(contenu):
    return base64.b64encode(contenu).decode()


def cii_avec_pdf(xml, pdf):
    """BG-24 in the agreement (after the parties and references, where the CII schema puts it)."""
    piece = (
        "<ram:AdditionalReferencedDocument><ram:IssuerAssignedID>FACTURE-PDF</ram:IssuerAssignedID>"
        "<ram:TypeCode>916</ram:TypeCode>"
        f'<ram:AttachmentBinaryObject mimeCode="application/pdf" filename="lisible.pdf">{_b64(pdf)}'
        "</ram:AttachmentBinaryObject></ram:AdditionalReferencedDocument>"
    )
    fin = b"</ram:ApplicableHeaderTradeAgreement>"
    assert xml.count(fin) == 1
    return xml.replace(fin, piece.encode() + fin)


def ubl_avec_pdf(xml, pdf):
    piece = (
        "<cac:AdditionalDocumentReference><cbc:ID>FACTURE-PDF</cbc:ID><cac:Attachment>"
        f'<cbc:EmbeddedDocumentBinaryObject mimeCode="application/pdf" filename="lisible.pdf">{_b64(pdf)}'
        "</cbc:EmbeddedDocumentBinaryObject></cac:Attachment></cac:AdditionalDocumentReference>"
    )
    return xml.replace(b"<cac:ProjectReference>", piece.encode() + b"<cac:ProjectReference>", 1)


@pytest.fixture
def cii(db):
    fournisseur = Integrateur()
    commune = publique(raison_sociale="Commune de Valbourg")

    def facture(numero):
        return facture_cii(numero, vendeur=fournisseur.structure.identifiant, acheteur=commune.identifiant)

    return fournisseur, facture


def deposer(client, integrateur, contenu, nom, syntaxe, capture):
    entetes = integrateur.entetes(client)
    with capture(execute=True):
        reponse = integrateur.appeler(
            client, DEPOSER, {"fichierFlux": _b64(contenu), "nomFichier": nom, "syntaxeFlux": syntaxe}, **entetes
        )
    assert reponse.status_code == 200, reponse.content
    assert reponse.json()["syntaxeFlux"] == syntaxe
    numero = reponse.json()["numeroFluxDepot"]
    detaille = integrateur.appeler(
        client, "transverses/v1/consulterCRDetaille", {"numeroFluxDepot": numero}, **entetes
    ).json()
    return Flux.objects.get(numero=numero), detaille


def test_e2_cii_minimal_avec_son_pdf(client, cii, pdf, django_capture_on_commit_callbacks):
    fournisseur, facture = cii
    xml = cii_avec_pdf(facture("MIX-001"), pdf)
    flux, detaille = deposer(
        client, fournisseur, xml, "mixte.xml", "IN_DP_E2_CII_MIN_16B", django_capture_on_commit_callbacks
    )
    assert detaille["etatCourantDepotFlux"] == "IN_INTEGRE", detaille
    integree = Facture.objects.get(numero="MIX-001")
    # the PDF the supplier sent is the invoice's readable copy, not one the portal draws
    assert integree.fichier_pdf.read() == pdf
    assert flux.syntaxe == "IN_DP_E2_CII_MIN_16B"


def test_e2_cii_minimal_sans_pdf_est_rejete_en_le_disant(client, cii, django_capture_on_commit_callbacks):
    fournisseur, facture = cii
    _, detaille = deposer(
        client,
        fournisseur,
        facture("MIX-002"),
        "mixte.xml",
        "IN_DP_E2_CII_MIN_16B",
        django_capture_on_commit_callbacks,
    )
    assert detaille["etatCourantDepotFlux"] == "IN_REJETE"
    libelles = " ".join(e["libelleErreurDP"] for e in detaille["listeErreurDP"])
    assert "IN_DP_E2_CII_MIN_16B" in libelles and "BG-24" in libelles


def test_e2_ubl_minimal_avec_son_pdf(client, pdf, django_capture_on_commit_callbacks):
    vendeur = structure("99999999800019", "Vendeur UBL")
    acheteur = structure("78787878400018", "Acheteur UBL", est_publique=True)
    Service.objects.create(structure=acheteur, code="120943", libelle="Service 120943")
    fournisseur = Integrateur(structure=vendeur)
    xml = ubl_avec_pdf(corpus_octets(UBL), pdf)
    _, detaille = deposer(
        client, fournisseur, xml, "ubl.xml", "IN_DP_E2_UBL_INVOICE_MIN", django_capture_on_commit_callbacks
    )
    assert detaille["etatCourantDepotFlux"] == "IN_INTEGRE", detaille
    assert Facture.objects.get(numero="F124212").fichier_pdf.read() == pdf


def test_archive_pdf_et_cii(client, cii, pdf, django_capture_on_commit_callbacks):
    fournisseur, facture = cii
    archive = tar_gz([("A1.xml", facture("ARC-001")), ("A1.pdf", pdf), ("A2.xml", facture("ARC-002"))])
    flux, detaille = deposer(
        client, fournisseur, archive, "lot.tar.gz", "IN_DP_PDFARCHIVE_CII_MUG", django_capture_on_commit_callbacks
    )
    assert detaille["etatCourantDepotFlux"] == "IN_INTEGRE_PARTIEL", detaille
    assert Facture.objects.get(numero="ARC-001").fichier_pdf.read() == pdf
    # the invoice without its PDF is refused, naming the file the archive lacks
    assert {e["numeroDP"] for e in detaille["listeErreurDP"]} == {"ARC-002"}
    assert "« A2.pdf »" in detaille["listeErreurDP"][0]["libelleErreurDP"]
    assert flux.factures.count() == 2


def test_archive_pdf_attend_une_archive(client, cii, django_capture_on_commit_callbacks):
    fournisseur, facture = cii
    _, detaille = deposer(
        client,
        fournisseur,
        facture("ARC-003"),
        "seule.xml",
        "IN_DP_PDFARCHIVE_UBL_INVOICE_MUG",
        django_capture_on_commit_callbacks,
    )
    assert detaille["etatCourantDepotFlux"] == "IN_REJETE"
    assert "tar.gz" in detaille["listeErreurTechnique"][0]["libelleErreur"]


def test_un_flux_cii_declare_en_ubl_d_archive_est_rejete(client, cii, pdf, django_capture_on_commit_callbacks):
    fournisseur, facture = cii
    archive = tar_gz([("A1.xml", facture("ARC-004")), ("A1.pdf", pdf)])
    _, detaille = deposer(
        client,
        fournisseur,
        archive,
        "lot.tar.gz",
        "IN_DP_PDFARCHIVE_UBL_INVOICE_MUG",
        django_capture_on_commit_callbacks,
    )
    assert detaille["etatCourantDepotFlux"] == "IN_REJETE"
    assert "IN_DP_PDFARCHIVE_UBL_INVOICE_MUG" in detaille["listeErreurDP"][0]["libelleErreurDP"]


@pytest.mark.parametrize("syntaxe", sorted(SYNTAXES_NON_INTEGREES))
def test_une_syntaxe_que_le_portail_n_integre_pas_est_recue_puis_rejetee(
    client, cii, syntaxe, django_capture_on_commit_callbacks
):
    fournisseur, facture = cii
    flux, detaille = deposer(
        client, fournisseur, facture("PES-001"), "f.xml", syntaxe, django_capture_on_commit_callbacks
    )
    assert detaille["etatCourantDepotFlux"] == "IN_REJETE"
    libelle = detaille["listeErreurTechnique"][0]["libelleErreur"]
    assert syntaxe in libelle and SyntaxeFlux(syntaxe).label in libelle
    assert not Facture.objects.filter(numero="PES-001").exists()


def test_les_quinze_syntaxes_du_referentiel():
    assert len(SyntaxeFlux.values) == 15
    for nouvelle in [
        "IN_DP_E2_UBL_INVOICE_MIN",
        "IN_DP_E2_CPP_FACTURE_MIN",
        "IN_DP_E2_CII_MIN_16B",
        "IN_DP_E2_CII_MIN",
        "IN_DP_E2_PES_FACTURE_MIN",
        "IN_DP_PDFARCHIVE_UBL_INVOICE_MUG",
        "IN_DP_PDFARCHIVE_CII_MUG",
        "IN_DP_E1_PES_FACTURE",
        "IN_DP_E1_XCBL",
    ]:
        assert nouvelle in SyntaxeFlux.values
