"""« Valider et envoyer »: the deposit, its totals, the generated Factur-X, the recap, the files, the certificate.

WeasyPrint takes about a second per PDF: one module-level deposit is shared by the checks of its files."""

from decimal import Decimal

import facturx
import pytest
from django.urls import reverse

from facturation.enums import ActionUtilisateur, StatutFacture
from facturation.formats.lecture import lire
from facturation.models import Facture, FactureAction, FactureHistorique
from facturation.validation.couches import COUCHE_EN16931, COUCHE_XSD, valider
from tests.conftest import connecter
from tests.factories import facture_deposee
from tests.facturation.saisie.conftest import donnees

URL = reverse("facturation:saisie_nouvelle")


@pytest.fixture
def deposee(client_fournisseur, monde, media):
    reponse = client_fournisseur.post(URL, donnees(monde, code_service="ACHATS", numero_engagement="EJ-42"))
    facture = Facture.objects.get()
    assert reponse.status_code == 302, reponse.content.decode()[:3000]
    assert reponse["Location"] == reverse("facturation:saisie_recapitulatif", args=[facture.pk])
    return facture


def test_depot_mise_a_disposition_avec_les_totaux_de_deux_taux(deposee, monde):
    facture = deposee
    assert facture.statut == StatutFacture.MISE_A_DISPOSITION
    assert facture.fournisseur == monde.fournisseur
    assert facture.destinataire == monde.destinataire
    assert facture.service_destinataire == monde.service
    assert facture.mode_depot == "SAISIE_PORTAIL"
    assert facture.format_depot == "FACTURX"
    # 2 × 500 at 20 % + 10 × 20 at 5.5 %
    assert facture.total_ht == Decimal("1200")
    assert facture.total_tva == Decimal("211")
    assert facture.total_ttc == Decimal("1411")
    assert facture.net_a_payer == Decimal("1411")
    assert [(ligne.montant_ht, ligne.taux_tva) for ligne in facture.lignes.all()] == [
        (Decimal("1000"), Decimal("20")),
        (Decimal("200"), Decimal("5.5")),
    ]
    assert list(FactureHistorique.objects.filter(facture=facture).values_list("vers_statut", flat=True)) == [
        "DEPOSEE",
        "MISE_A_DISPOSITION",
    ]


def test_le_pdf_est_un_facturx_valide_qui_se_relit(deposee):
    pdf = deposee.fichier_pdf.read()
    _nom, xml = facturx.get_xml_from_pdf(pdf, check_xsd=False)
    assert xml == deposee.fichier_xml.read()

    rapport = valider(xml, "cii")
    assert COUCHE_XSD in rapport.couches_executees
    assert COUCHE_EN16931 in rapport.couches_executees
    assert rapport.erreurs == []

    syntaxe, relue, _ = lire(pdf)
    assert syntaxe == "factur-x-pdf"
    assert relue.numero == "FA-2026-001"
    assert relue.reference_acheteur == "ACHATS"
    assert relue.engagement == "EJ-42"
    assert relue.totaux.total_ht == Decimal("1200.00")
    assert relue.totaux.total_tva == Decimal("211.00")
    assert relue.totaux.net_a_payer == Decimal("1411.00")
    assert {(v.taux, v.montant) for v in relue.ventilation_tva} == {
        (Decimal("20"), Decimal("200.00")),
        (Decimal("5.5"), Decimal("11.00")),
    }


def test_recapitulatif_telechargements_et_certificat(client_fournisseur, deposee):
    recap = client_fournisseur.get(reverse("facturation:saisie_recapitulatif", args=[deposee.pk]))
    contenu = recap.content.decode()
    assert "Votre facture n° FA-2026-001 a été déposée le" in contenu
    assert "Mise à disposition" in contenu

    pdf = client_fournisseur.get(reverse("facturation:saisie_telecharger_pdf", args=[deposee.pk]))
    assert pdf.status_code == 200
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    xml = client_fournisseur.get(reverse("facturation:saisie_telecharger_xml", args=[deposee.pk]))
    assert b"CrossIndustryInvoice" in b"".join(xml.streaming_content)

    certificat = client_fournisseur.get(reverse("facturation:saisie_certificat", args=[deposee.pk]))
    assert certificat.status_code == 200
    assert certificat["Content-Type"] == "application/pdf"
    assert certificat.content.startswith(b"%PDF")
    texte = _texte_pdf(certificat.content)
    assert "Certificat de dépôt" in texte
    assert "FA-2026-001" in texte
    assert FactureAction.objects.filter(facture=deposee, code=ActionUtilisateur.TELECHARGEMENT_CERTIFICAT).exists()


def _texte_pdf(contenu):
    import io

    from pypdf import PdfReader

    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(contenu)).pages)


@pytest.mark.parametrize(
    "nom", ["saisie_recapitulatif", "saisie_telecharger_pdf", "saisie_telecharger_xml", "saisie_certificat"]
)
def test_un_etranger_recoit_404(client, monde, nom):
    facture = facture_deposee(monde.fournisseur, monde.destinataire, numero="FA-1")
    connecter(client, monde.etranger)
    assert client.get(reverse(f"facturation:{nom}", args=[facture.pk])).status_code == 404
    assert not FactureAction.objects.exists()


def test_a9_deposee_attend_le_valideur(client_fournisseur, monde, media):
    post = donnees(monde, cadre="A9", siret_valideur=monde.valideur.identifiant, numero="ST-1")
    reponse = client_fournisseur.post(URL, post)
    facture = Facture.objects.get()
    assert reponse.status_code == 302
    assert facture.statut == StatutFacture.A_VALIDER_1
    assert facture.valideur_1 == monde.valideur
    recap = client_fournisseur.get(reponse["Location"]).content.decode()
    assert "Elle attend la validation de Entreprise Générale BTP" in recap


def test_piece_jointe_refusee_nommee(client_fournisseur, monde, media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    post = donnees(monde, action="enregistrer")
    post["pieces_jointes"] = SimpleUploadedFile("script.exe", b"MZ", content_type="application/octet-stream")
    reponse = client_fournisseur.post(URL, post)
    assert reponse.status_code == 200
    messages = [message for _ancre, message in reponse.context["erreurs"]]
    assert len(messages) == 1
    assert messages[0].startswith("Pièces jointes : « script.exe » : Le format « .exe » n'est pas accepté.")
    assert not Facture.objects.exists()


def test_remise_globale_virement_et_references_deposes_valides_et_affiches(client_fournisseur, monde, media):
    lignes = [
        {"reference": "FEN-01", "designation": "Pose de fenêtres", "quantite": "2", "prix_unitaire_ht": "500"},
        {"designation": "Livres", "quantite": "10", "prix_unitaire_ht": "20", "taux_tva": "5.5"},
    ]
    lignes[0]["taux_tva"] = "20"
    post = donnees(
        monde,
        lignes=lignes,
        remise_globale="11",
        motif_remise_globale="Fidélité",
        coordonnee_bancaire=str(monde.compte.pk),
    )
    reponse = client_fournisseur.post(URL, post)
    assert reponse.status_code == 302, reponse.content.decode()[:3000]
    facture = Facture.objects.get()
    # 11 € TTC off 1 411 €: 1.56 € HT at 5.5 % and 7.79 € HT at 20 %, their VAT recomputed
    assert (facture.total_ht, facture.total_tva, facture.total_ttc, facture.net_a_payer) == (
        Decimal("1190.65"),
        Decimal("209.35"),
        Decimal("1400"),
        Decimal("1400"),
    )

    xml = facture.fichier_xml.read()
    assert [str(e) for e in valider(xml, "cii").erreurs] == []
    _syntaxe, relue, _ = lire(facture.fichier_pdf.read())
    assert sorted((r.taux_tva, r.montant, r.motif) for r in relue.remises) == [
        (Decimal("5.5"), Decimal("1.56"), "Fidélité"),
        (Decimal("20"), Decimal("7.79"), "Fidélité"),
    ]
    assert (relue.totaux.total_lignes_ht, relue.totaux.total_remises) == (Decimal("1200.00"), Decimal("9.35"))
    assert (relue.totaux.total_ht, relue.totaux.total_ttc) == (Decimal("1190.65"), Decimal("1400.00"))
    assert (relue.paiement.code, relue.paiement.iban, relue.paiement.bic) == (
        "58",
        "FR7630006000011234567890189",
        "AGRIFRPP",
    )
    assert relue.lignes[0].reference_vendeur == "FEN-01"
    assert relue.lignes[0].designation == "Pose de fenêtres"

    page = client_fournisseur.get(reverse("facturation:emises_consulter", args=[facture.pk])).content.decode()
    assert "Remise globale TTC" in page
    assert "11,00\u00a0EUR (Fidélité)" in page.replace("\u202f", " ")
    assert "Total HT après remise globale" in page
    assert '<dd id="facture-total-ht">1\u202f190,65\u00a0EUR</dd>' in page
    assert '<dd id="facture-total-ttc">1\u202f400,00\u00a0EUR</dd>' in page
    recap = client_fournisseur.get(reverse("facturation:saisie_recapitulatif", args=[facture.pk])).content.decode()
    assert '<td id="remise-globale">11,00\u00a0€</td>' in recap


def test_exoneration_deposee_valide_avec_son_motif(client_fournisseur, monde, media):
    lignes = [
        {"designation": "Formation professionnelle", "quantite": "1", "prix_unitaire_ht": "900", "taux_tva": "0"},
        {"designation": "Supports imprimés", "quantite": "3", "prix_unitaire_ht": "10", "taux_tva": "20"},
    ]
    post = donnees(monde, lignes=lignes, type_tva="EXONERATION", motif_exoneration="Article 261-4-4° a du CGI")
    reponse = client_fournisseur.post(URL, post)
    assert reponse.status_code == 302, reponse.content.decode()[:3000]
    facture = Facture.objects.get()
    assert (facture.total_ht, facture.total_tva, facture.net_a_payer) == (Decimal("930"), Decimal("6"), Decimal("936"))
    xml = facture.fichier_xml.read()
    assert [str(e) for e in valider(xml, "cii").erreurs] == []
    _syntaxe, relue, _ = lire(xml)
    assert {(v.categorie, v.taux, v.motif_exoneration) for v in relue.ventilation_tva} == {
        ("E", Decimal("0"), "Article 261-4-4° a du CGI"),
        ("S", Decimal("20"), None),
    }


def test_remise_plus_grande_que_la_facture_refusee_sur_son_champ(client_fournisseur, monde, media):
    reponse = client_fournisseur.post(URL, donnees(monde, remise_globale="2000", motif_remise_globale="Erreur"))
    assert reponse.status_code == 200
    assert reponse.context["form"].errors["remise_globale"] == [
        "Remise globale TTC : la remise (2\u00a0000,00\u00a0€) dépasse le total TTC des lignes (1\u00a0411,00\u00a0€)."
    ]
    facture = Facture.objects.get()
    assert facture.statut == StatutFacture.BROUILLON
    assert not facture.fichier_pdf


def test_un_etranger_ne_voit_pas_la_facture_remisee(client, monde):
    facture = facture_deposee(monde.fournisseur, monde.destinataire, numero="FA-R", remise_globale=Decimal("5"))
    connecter(client, monde.etranger)
    assert client.get(reverse("facturation:emises_consulter", args=[facture.pk])).status_code == 404
    assert client.get(reverse("facturation:saisie_recapitulatif", args=[facture.pk])).status_code == 404
