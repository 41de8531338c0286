"""facture_televerser : un fichier contrôlé par couches, déposé entier ou refusé sans rien laisser derrière lui."""

import base64
import hashlib
import re
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from facturation.enums import FormatDepot, ModeDepot, StatutFacture, TypeFacture
from facturation.formats.detection import xml_du_pdf
from facturation.models import Facture, PieceJointeFacture
from facturation.services.televersement import (
    COUCHE_CHORUS,
    COUCHE_EN16931,
    COUCHE_FORMAT,
    COUCHE_SIGNATURE,
    FORMAT_AUTOMATIQUE,
    TeleversementRefuse,
    facture_televerser,
)
from organisation.enums import Application, Niveau, StatutStructure
from organisation.models import Service
from tests.factories import UtilisateurFactory, facture_deposee, rattacher
from tests.facturation.televersement.conftest import (
    FNFE,
    FNFE_BASICWL,
    FNFE_INVALIDE,
    SIRET_ACHETEUR_FNFE,
    UBL,
    corpus_octets,
    fichier,
    fichiers_enregistres,
    structure,
)
from tests.facturation.televersement.pdf import avec_champ_signature, pdf_texte

pytestmark = pytest.mark.django_db


def refus(**kwargs):
    with pytest.raises(TeleversementRefuse) as exc:
        facture_televerser(**{"format_choisi": FORMAT_AUTOMATIQUE, **kwargs})
    return exc.value


def messages(refus_):
    return [e.message for e in refus_.bloquantes]


def test_factur_x_du_corpus_deposee(deposant, vendeur, acheteur, media):
    facture = facture_televerser(par=deposant, fournisseur=vendeur, fichier=fichier(FNFE))

    facture.refresh_from_db()
    assert facture.statut == StatutFacture.MISE_A_DISPOSITION
    assert (facture.numero, facture.destinataire, facture.fournisseur) == ("FA-2017-0010", acheteur, vendeur)
    assert (facture.mode_depot, facture.format_depot) == (ModeDepot.UPLOAD_PORTAIL, FormatDepot.FACTURX)
    assert (facture.total_ht, facture.total_tva, facture.total_ttc) == (D("624.90"), D("46.25"), D("671.15"))
    # BT-115 : 201,00 EUR déjà payés (BT-113)
    assert facture.net_a_payer == D("470.15")
    assert facture.numero_engagement == "PO445" and facture.numero_marche == "MSPE2017"
    assert facture.lignes.count() == 3
    assert facture.fichier_pdf.read() == corpus_octets(FNFE)
    assert facture.fichier_xml.read().lstrip().startswith(b"<?xml")


def test_basic_wl_sans_lignes_deposee_avec_une_ligne_par_taux(deposant, vendeur, acheteur, media):
    facture = facture_televerser(par=deposant, fournisseur=vendeur, fichier=fichier(FNFE_BASICWL))

    assert [ligne.taux_tva for ligne in facture.lignes.all()] == [D("20"), D("5.5")]
    assert facture.total_ttc == D("671.15")


def test_ubl_du_corpus_depose_avec_son_pdf_lisible(ubl_parties, media):
    vendeur, acheteur, utilisateur = ubl_parties

    facture = facture_televerser(par=utilisateur, fournisseur=vendeur, fichier=fichier(UBL))

    assert (facture.numero, facture.destinataire, facture.service_destinataire.code) == ("F124212", acheteur, "120943")
    assert facture.format_depot == FormatDepot.UBL
    assert facture.fichier_xml.read() == corpus_octets(UBL)
    pdf = facture.fichier_pdf.read()
    assert pdf.startswith(b"%PDF-") and xml_du_pdf(pdf)[0] == "factur-x.xml"


def test_fichier_invalide_du_corpus_rapporte_ses_regles_en16931(deposant, vendeur, acheteur, media):
    erreur = refus(par=deposant, fournisseur=vendeur, fichier=fichier(FNFE_INVALIDE))

    en16931 = [e for e in erreur.bloquantes if e.couche == COUCHE_EN16931]
    # BT-24 hors liste, puis les @currencyID que le profil BASIC n'admet pas (successful-report du schematron)
    assert [e.code for e in en16931] == ["FX-SCH-A-000026"] + ["FX-SCH-NON-UTILISE"] * 15
    assert en16931[0].message.startswith("Règle EN 16931 (message d'origine, en anglais) : [FX-SCH-A-000026]")
    assert "CrossIndustryInvoice" in en16931[0].emplacement
    assert not Facture.objects.exists()
    assert fichiers_enregistres(media) == []


def test_xml_bien_forme_de_racine_inconnue(deposant, vendeur):
    erreur = refus(par=deposant, fournisseur=vendeur, fichier=fichier(b"<?xml version='1.0'?><commande/>", "f.xml"))

    assert [(e.couche, e.code) for e in erreur.bloquantes] == [(COUCHE_FORMAT, "FORMAT_INCONNU")]
    assert "ni une facture Factur-X, ni un fichier CII ou UBL" in erreur.bloquantes[0].message


def test_doctype_et_entites_refuses_sans_etre_resolus(deposant, vendeur, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("CONTENU-SECRET")
    xml = (
        f'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file://{secret}">]>'
        '<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">&e;</Invoice>'
    ).encode()

    erreur = refus(par=deposant, fournisseur=vendeur, fichier=fichier(xml, "xxe.xml"))

    assert [e.code for e in erreur.bloquantes] == ["XML_DOCTYPE"]
    assert "DOCTYPE" in erreur.bloquantes[0].message
    assert "CONTENU-SECRET" not in str(erreur.erreurs)


def test_xml_mal_forme_donne_ligne_et_colonne(deposant, vendeur):
    erreur = refus(par=deposant, fournisseur=vendeur, fichier=fichier(b"<Invoice>\n<a></b></Invoice>", "f.xml"))

    assert erreur.bloquantes[0].code == "XML_MAL_FORME"
    assert "ligne 2" in erreur.bloquantes[0].message


def test_fichier_vide(deposant, vendeur):
    erreur = refus(par=deposant, fournisseur=vendeur, fichier=fichier(b"", "vide.pdf"))
    assert messages(erreur) == ["Le fichier « vide.pdf » est vide."]


def test_fichier_trop_gros(deposant, vendeur):
    gros = b"%PDF-1.7\n" + b"0" * (10 * 1024 * 1024)
    erreur = refus(par=deposant, fournisseur=vendeur, fichier=fichier(gros, "gros.pdf"))
    assert messages(erreur) == [
        "Le fichier « gros.pdf » pèse 10,0 Mo : un fichier de facture ne doit pas dépasser 10 Mo."
    ]


def test_pdf_qui_n_en_est_pas_un(deposant, vendeur):
    erreur = refus(par=deposant, fournisseur=vendeur, fichier=fichier(b"MZ\x90\x00 un executable", "facture.pdf"))
    assert erreur.bloquantes[0].code == "PAS_UN_PDF"
    assert "n'est pas un PDF" in erreur.bloquantes[0].message


def test_erreurs_d_acheminement_toutes_listees(deposant, vendeur, media):
    # destinataire inconnu : aucune structure 78787878400035
    erreur = refus(par=deposant, fournisseur=vendeur, fichier=fichier(FNFE))
    assert [(e.couche, e.champ) for e in erreur.bloquantes] == [
        (COUCHE_CHORUS, "BT-47 (SIRET de l'acheteur, schéma 0002)")
    ]
    assert messages(erreur) == [f"Le destinataire {SIRET_ACHETEUR_FNFE} n'est pas connu de Chorus Pro."]


def test_service_obligatoire_inactif_et_numero_deja_utilise(deposant, vendeur, media):
    acheteur = structure(
        SIRET_ACHETEUR_FNFE,
        "Collectivité FNFE",
        est_publique=True,
        statut=StatutStructure.INACTIVE,
        code_service_obligatoire=True,
    )
    autre = structure("12345678200010", "Autre collectivité", est_publique=True)
    facture_deposee(vendeur, autre, numero="FA-2017-0010")

    erreur = refus(par=deposant, fournisseur=vendeur, fichier=fichier(FNFE))

    assert messages(erreur) == [
        "Le numéro de facture « FA-2017-0010 » a déjà été utilisé par ce fournisseur : il doit être unique.",
        f"Le destinataire {acheteur.identifiant} (Collectivité FNFE) n'est pas actif.",
        f"Le code service est obligatoire pour le destinataire {acheteur.identifiant} (Collectivité FNFE).",
    ]
    assert [e.champ for e in erreur.bloquantes] == [
        "BT-1 (numéro de facture)",
        "BT-47 (SIRET de l'acheteur, schéma 0002)",
        "BT-10 (code service / référence acheteur)",
    ]
    assert Facture.objects.count() == 1


def test_siret_du_vendeur_different_de_la_structure(acheteur, media):
    autre_fournisseur = structure("11111111100011", "Autre fournisseur")
    utilisateur = UtilisateurFactory()
    rattacher(utilisateur, autre_fournisseur, (Application.FACTURES_EMISES, Niveau.MODIFICATION))

    erreur = refus(par=utilisateur, fournisseur=autre_fournisseur, fichier=fichier(FNFE))

    assert [e.champ for e in erreur.bloquantes] == ["BT-30 (SIRET du vendeur)"]
    assert "Le SIRET du vendeur (BT-30) est « 99999999800010 »" in erreur.bloquantes[0].message


def test_service_inconnu_du_destinataire(ubl_parties, media):
    vendeur, acheteur, utilisateur = ubl_parties
    Service.objects.filter(structure=acheteur).delete()

    erreur = refus(par=utilisateur, fournisseur=vendeur, fichier=fichier(UBL))

    assert messages(erreur) == [
        "Le code service « 120943 » n'existe pas chez le destinataire 78787878400018 (Acheteur UBL)."
    ]


def test_pades_sans_signature_refuse(deposant, vendeur, acheteur, media):
    erreur = refus(par=deposant, fournisseur=vendeur, fichier=fichier(FNFE), format_choisi=FormatDepot.PDF_SIGNE_PADES)
    assert [(e.couche, e.code) for e in erreur.bloquantes] == [(COUCHE_SIGNATURE, "PDF_SIGNE_PADES")]
    assert "ne contient aucune signature électronique" in erreur.bloquantes[0].message
    assert not Facture.objects.exists()


def test_pdf_simple_devient_un_brouillon_lu_dans_son_texte(deposant, vendeur, acheteur, media):
    pdf = pdf_texte(
        [
            "Fournisseur FNFE — SIRET : 99999999800010",
            "Facture n° FA-2026-0042",
            "Date de facture : 15/03/2026",
            f"SIRET client : {SIRET_ACHETEUR_FNFE}",
            "Numéro d'engagement : EJ-2026-77",
            "Total TTC : 1 200,00 €",
        ]
    )

    brouillon = facture_televerser(
        par=deposant, fournisseur=vendeur, fichier=fichier(pdf, "facture.pdf"), format_choisi=FORMAT_AUTOMATIQUE
    )

    brouillon.refresh_from_db()
    assert brouillon.statut == StatutFacture.BROUILLON
    assert (brouillon.numero, str(brouillon.date_facture)) == ("FA-2026-0042", "2026-03-15")
    assert (brouillon.destinataire, brouillon.numero_engagement, brouillon.devise) == (acheteur, "EJ-2026-77", "EUR")
    assert (brouillon.mode_depot, brouillon.format_depot) == (ModeDepot.DEPOT_PDF_PORTAIL, FormatDepot.PDF_NON_SIGNE)
    assert brouillon.fichier_pdf.read() == pdf
    assert brouillon.deposee_le is None


def test_pdf_signe_pades_devient_un_brouillon_signe(deposant, vendeur, acheteur, media):
    pdf = avec_champ_signature(pdf_texte([f"SIRET client : {SIRET_ACHETEUR_FNFE}", "Facture n° S-1"]))

    brouillon = facture_televerser(
        par=deposant, fournisseur=vendeur, fichier=fichier(pdf, "s.pdf"), format_choisi=FormatDepot.PDF_SIGNE_PADES
    )

    assert (brouillon.mode_depot, brouillon.format_depot) == (
        ModeDepot.DEPOT_PDF_SIGNE_PORTAIL,
        FormatDepot.PDF_SIGNE_PADES,
    )


def _xades(nom, contenu):
    empreinte = base64.b64encode(hashlib.sha256(contenu).digest()).decode()
    return f"""<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo>
<ds:Reference URI="{nom}"><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>
<ds:DigestValue>{empreinte}</ds:DigestValue></ds:Reference></ds:SignedInfo>
<ds:SignatureValue>AAAA</ds:SignatureValue></ds:Signature>""".encode()


def test_xades_detachee_gardee_en_piece_jointe(deposant, vendeur, acheteur, media):
    pdf = pdf_texte([f"SIRET client : {SIRET_ACHETEUR_FNFE}", "Facture n° X-1"])
    signature = SimpleUploadedFile("x.pdf.xades.xml", _xades("x.pdf", pdf))

    brouillon = facture_televerser(
        par=deposant,
        fournisseur=vendeur,
        fichier=fichier(pdf, "x.pdf"),
        format_choisi=FormatDepot.PDF_SIGNE_XADES,
        signature=signature,
    )

    assert brouillon.format_depot == FormatDepot.PDF_SIGNE_XADES
    assert list(brouillon.pieces_jointes.values_list("nom", flat=True)) == ["x.pdf.xades.xml"]


def test_xades_d_un_autre_fichier_refusee(deposant, vendeur, acheteur, media):
    pdf = pdf_texte([f"SIRET client : {SIRET_ACHETEUR_FNFE}", "Facture n° X-1"])
    signature = SimpleUploadedFile("sig.xml", _xades("x.pdf", b"un autre contenu"))

    erreur = refus(
        par=deposant,
        fournisseur=vendeur,
        fichier=fichier(pdf, "x.pdf"),
        format_choisi=FormatDepot.PDF_SIGNE_XADES,
        signature=signature,
    )

    assert [e.champ for e in erreur.bloquantes] == ["signature"]
    assert "son empreinte SHA-256" in erreur.bloquantes[0].message
    assert not Facture.objects.exists() and fichiers_enregistres(media) == []


def test_xades_qui_n_est_pas_une_signature(deposant, vendeur, acheteur, media):
    pdf = pdf_texte([f"SIRET client : {SIRET_ACHETEUR_FNFE}"])
    erreur = refus(
        par=deposant,
        fournisseur=vendeur,
        fichier=fichier(pdf, "x.pdf"),
        format_choisi=FormatDepot.PDF_SIGNE_XADES,
        signature=SimpleUploadedFile("sig.xml", b"<racine/>"),
    )
    assert "aucun élément ds:Signature" in erreur.bloquantes[0].message


def test_un_utilisateur_d_une_autre_structure_ne_depose_pas(vendeur, acheteur, media):
    etranger = UtilisateurFactory()
    sa_structure = structure("22222222200022", "Sa structure")
    rattacher(etranger, sa_structure, (Application.FACTURES_EMISES, Niveau.MODIFICATION))

    erreur = refus(par=etranger, fournisseur=vendeur, fichier=fichier(FNFE))

    assert erreur.bloquantes[0].code == "HABILITATION"
    assert not Facture.objects.exists()


def test_rien_n_est_enregistre_si_une_piece_jointe_est_refusee(deposant, vendeur, acheteur, media):
    erreur = refus(
        par=deposant,
        fournisseur=vendeur,
        fichier=fichier(FNFE),
        pieces_jointes=[SimpleUploadedFile("programme.exe", b"MZ")],
    )

    assert [e.code for e in erreur.bloquantes] == ["PIECE_JOINTE"]
    assert not Facture.objects.exists() and not PieceJointeFacture.objects.exists()
    assert fichiers_enregistres(media) == []


def test_deux_pieces_jointes_de_meme_nom_arretees_avant_toute_ecriture(deposant, vendeur, acheteur, media):
    pieces = [SimpleUploadedFile("annexe.pdf", b"%PDF-1.4 a"), SimpleUploadedFile("annexe.pdf", b"%PDF-1.4 b")]

    erreur = refus(par=deposant, fournisseur=vendeur, fichier=fichier(FNFE), pieces_jointes=pieces)

    assert [e.code for e in erreur.bloquantes] == ["PIECE_JOINTE_EN_DOUBLE"]
    assert not Facture.objects.exists() and fichiers_enregistres(media) == []


def test_pieces_jointes_deposees_avec_la_facture(deposant, vendeur, acheteur, media):
    facture = facture_televerser(
        par=deposant,
        fournisseur=vendeur,
        fichier=fichier(FNFE),
        format_choisi=FORMAT_AUTOMATIQUE,
        pieces_jointes=[SimpleUploadedFile("bon-de-livraison.pdf", b"%PDF-1.4 bl")],
    )
    assert list(facture.pieces_jointes.values_list("nom", flat=True)) == ["bon-de-livraison.pdf"]


def test_avoir_ubl_type_avoir(ubl_parties, media):
    vendeur, _acheteur, utilisateur = ubl_parties
    xml = corpus_octets(UBL)
    assert b"<cbc:InvoiceTypeCode>380" in xml
    facture = facture_televerser(par=utilisateur, fournisseur=vendeur, fichier=fichier(UBL))
    assert facture.type_facture == TypeFacture.FACTURE


def test_ubl_invalide_du_corpus_rapporte_ses_regles_br(deposant, vendeur, media):
    chemin = (
        "files/zugferd-corpus/XML-Rechnung/UBL/not_validating_full_invoice_based_onTest_EeISI_300_CENfullmodel.ubl.xml"
    )

    erreur = refus(par=deposant, fournisseur=vendeur, fichier=fichier(chemin))

    en16931 = {e.code: e for e in erreur.bloquantes if e.couche == COUCHE_EN16931}
    assert set(en16931) == {"BR-CO-10", "BR-CO-15"}
    assert "BT-106" in en16931["BR-CO-10"].champ and "BT-131" in en16931["BR-CO-10"].champ
    assert en16931["BR-CO-10"].emplacement.startswith("/")
    # le rapport continue avec les règles Chorus Pro : vendeur sans SIRET, acheteur hors SIRET
    assert {e.champ for e in erreur.bloquantes if e.couche == COUCHE_CHORUS} >= {
        "BT-30 (SIRET du vendeur)",
        "BT-47 (SIRET de l'acheteur, schéma 0002)",
    }
    assert not Facture.objects.exists()


def test_avoir_sans_facture_d_origine_refuse_avec_les_regles_chorus(ubl_parties, media):
    """The deposit rule of an avoir (facturation.regles_depot.avoir) is said in the report's Chorus Pro layer, on
    BT-25, with the entry form's words."""
    vendeur, _acheteur, utilisateur = ubl_parties
    xml = corpus_octets(UBL).replace(b"<cbc:InvoiceTypeCode>380", b"<cbc:InvoiceTypeCode>381", 1)
    xml = re.sub(rb"\s*<cac:BillingReference>.*?</cac:BillingReference>", b"", xml, flags=re.S)
    assert b"BillingReference" not in xml
    erreur = refus(par=utilisateur, fournisseur=vendeur, fichier=SimpleUploadedFile("avoir.xml", xml))
    avoir = [e for e in erreur.bloquantes if e.code == "AVOIR"]
    assert [(e.couche, e.champ, e.message) for e in avoir] == [
        (
            COUCHE_CHORUS,
            "BT-25 (facture d'origine)",
            "Numéro de la facture d'origine : obligatoire pour un avoir, indiquez la facture qu'il corrige.",
        )
    ]
    assert not Facture.objects.exists() and fichiers_enregistres(media) == []
