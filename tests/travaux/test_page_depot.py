"""The « Déposer » page of « Factures de travaux »: the deposit through the form, the errors, the drafts, the recap."""

import html
import os
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from facturation.models import Facture
from tests.conftest import connecter
from tests.factories import StructureFactory
from tests.travaux.conftest import piece
from travaux.models import BrouillonTravaux, DossierFacturation, PieceTravaux
from travaux.services.depot import piece_deposer

URL = "/factures-travaux/deposer/"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _pdf(contenu=PDF, nom="piece.pdf"):
    return SimpleUploadedFile(nom, contenu, content_type="application/pdf")


def donnees_a4(chantier, **autres):
    donnees = {
        "action": "valider",
        "role": "fournisseur",
        "structure": chantier.fournisseur.pk,
        "type_depot": "initial",
        "cadre": "A4",
        "moa_siret": chantier.moa.identifiant,
        "service_moa": "TRAVAUX",
        "moe_siret": chantier.moe.identifiant,
        "numero": "PDM-001",
        "date_facture": "31/03/2026",
        "numero_marche": "M-2026-12",
        "montant_ht": "10000",
        "montant_tva": "2000",
        "montant_ttc": "12000",
        "net_a_payer": "12000",
        "pdf": _pdf(),
    }
    donnees.update(autres)
    return {cle: valeur for cle, valeur in donnees.items() if valeur is not None}


def a4_depose(chantier):
    return piece_deposer(
        par=chantier.u_fournisseur,
        role="fournisseur",
        cadre="A4",
        type_depot="initial",
        canal="portail",
        facture=piece(chantier.fournisseur, "PDM-001"),
        lignes=[{"designation": "Situation 1", "quantite": "1", "prix_unitaire_ht": "10000", "taux_tva": "20"}],
        moe=chantier.moe,
        moa=chantier.moa,
        pdf=PDF,
    )


def test_le_fournisseur_depose_un_a4_initial(client, chantier):
    connecter(client, chantier.u_fournisseur)
    page = client.get(URL)
    assert page.status_code == 200
    contenu = html.unescape(page.content.decode())
    assert "Dépôt initial" in contenu and "A partir d'une pièce existante dans Chorus Pro" in contenu
    assert "N'indiquez pas le SIRET générique de l'État" in contenu

    reponse = client.post(URL, donnees_a4(chantier))
    facture = Facture.objects.get(numero="PDM-001")
    assert reponse.status_code == 302 and reponse["Location"] == f"{URL}{facture.pk}/recapitulatif/"
    assert facture.statut == "MISE_A_DISPOSITION_MOE" and facture.cadre == "A4"
    assert (facture.total_ht, facture.total_tva, facture.total_ttc) == (10000, 2000, 12000)
    dossier = DossierFacturation.objects.get()
    assert (dossier.moe, dossier.moa, dossier.service_moa, dossier.numero_marche) == (
        chantier.moe,
        chantier.moa,
        chantier.service_moa,
        "M-2026-12",
    )

    recap = html.unescape(client.get(reponse["Location"]).content.decode())
    assert "La pièce n° PDM-001 a été déposée le" in recap
    assert "Mise à disposition de la MOE" in recap and dossier.numero in recap
    assert f'<object type="application/pdf" data="{URL}{facture.pk}/piece.pdf"' in recap
    pdf = client.get(f"{URL}{facture.pk}/piece.pdf")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content) == PDF


def test_le_pdf_et_le_recapitulatif_sont_404_pour_un_tiers(client, chantier):
    facture = a4_depose(chantier).facture
    connecter(client, chantier.u_etranger)
    assert client.get(f"{URL}{facture.pk}/recapitulatif/").status_code == 404
    assert client.get(f"{URL}{facture.pk}/piece.pdf").status_code == 404
    connecter(client, chantier.u_moe)
    assert client.get(f"{URL}{facture.pk}/piece.pdf").status_code == 200


def test_la_moe_depose_un_a15_a_partir_de_l_a4(client, chantier):
    a4 = a4_depose(chantier)
    connecter(client, chantier.u_moe)
    prerempli = html.unescape(client.get(URL, {"piece_precedente": a4.pk}).content.decode())
    assert f'<option value="{a4.pk}" selected>A4 N° PDM-001' in prerempli
    assert "Commune de Villeneuve" in prerempli  # the dossier's actors, shown

    reponse = client.post(
        URL,
        {
            "action": "valider",
            "role": "moe",
            "structure": chantier.moe.pk,
            "type_depot": "association",
            "cadre": "A15",
            "piece_precedente": a4.pk,
            "numero": "EA-001",
            "date_facture": "05/04/2026",
            "montant_ht": "10000",
            "montant_tva": "2000",
            "montant_ttc": "12000",
            "net_a_payer": "11000",
            "pdf": _pdf(),
        },
    )
    assert reponse.status_code == 302, html.unescape(reponse.content.decode())
    a15 = PieceTravaux.objects.get(facture__numero="EA-001")
    assert a15.piece_precedente == a4 and a15.dossier == a4.dossier
    assert a15.facture.statut == "MISE_A_DISPOSITION_MOA" and a15.facture.net_a_payer == 11000
    assert Facture.objects.get(pk=a4.facture_id).statut == "ASSOCIEE"


def test_un_cadre_non_propose_au_role_et_toutes_les_erreurs(client, chantier):
    connecter(client, chantier.u_fournisseur)
    reponse = client.post(
        URL, donnees_a4(chantier, cadre="A15", montant_ttc="12500", numero="", pdf=_pdf(b"pas un pdf"))
    )
    contenu = html.unescape(reponse.content.decode())
    assert reponse.status_code == 200 and 'id="resume-erreurs"' in contenu
    assert "Cadre de facturation : Le cadre A15 n'est pas proposé au déposant « Fournisseur »" in contenu
    assert "Montant TTC : 12500,00 € n'est pas égal au montant HT plus la TVA (12000,00 €)." in contenu
    assert "Numéro de la pièce : ce champ est obligatoire." in contenu
    assert "Pièce au format PDF : le fichier n'est pas un PDF." in contenu
    assert not Facture.objects.exists() and not DossierFacturation.objects.exists()


def test_le_pdf_est_obligatoire(client, chantier):
    connecter(client, chantier.u_fournisseur)
    contenu = html.unescape(client.post(URL, donnees_a4(chantier, pdf=None)).content.decode())
    assert "Pièce au format PDF : joignez le PDF de la pièce." in contenu
    assert not Facture.objects.exists()


def test_la_piece_d_un_autre_n_est_pas_proposee(client, chantier):
    a4 = a4_depose(chantier)
    connecter(client, chantier.u_etranger)
    page = html.unescape(client.get(URL, {"piece_precedente": a4.pk}).content.decode())
    liste = re.search(r'<select name="piece_precedente".*?</select>', page, re.S)
    assert liste is not None and f'value="{a4.pk}"' not in liste.group(0)
    assert a4.facture.numero not in page
    reponse = client.post(
        URL,
        donnees_a4(
            chantier,
            role="moe",
            structure=chantier.etrangere.pk,
            type_depot="association",
            cadre="A15",
            piece_precedente=a4.pk,
        ),
    )
    assert "Pièce existante dans Chorus Pro : cette pièce ne fait pas partie de vos pièces" in html.unescape(
        reponse.content.decode()
    )
    assert Facture.objects.get(pk=a4.facture_id).statut == "MISE_A_DISPOSITION_MOE"
    assert PieceTravaux.objects.count() == 1


def test_enregistrer_un_brouillon_puis_le_reprendre_et_l_envoyer(client, chantier):
    connecter(client, chantier.u_fournisseur)
    reponse = client.post(URL, donnees_a4(chantier, action="enregistrer", montant_tva="", montant_ttc=""))
    brouillon = BrouillonTravaux.objects.get()
    assert reponse.status_code == 302 and reponse["Location"] == f"{URL}brouillons/{brouillon.pk}/"
    assert brouillon.user == chantier.u_fournisseur and brouillon.cadre == "A4" and brouillon.pdf
    assert not Facture.objects.exists()

    repris = html.unescape(client.get(reponse["Location"]).content.decode())
    assert 'value="PDM-001"' in repris and "PDF enregistré avec le brouillon" in repris

    connecter(client, chantier.u_etranger)
    assert client.get(reponse["Location"]).status_code == 404

    connecter(client, chantier.u_fournisseur)
    envoi = client.post(reponse["Location"], donnees_a4(chantier, pdf=None))
    assert envoi.status_code == 302
    facture = Facture.objects.get(numero="PDM-001")
    assert facture.fichier_pdf.read() == PDF and not BrouillonTravaux.objects.exists()


@pytest.mark.parametrize("nombre", [1, 30])
def test_nombre_de_requetes_du_formulaire(client, chantier, django_assert_max_num_queries, nombre):
    lignes = [{"designation": "Situation", "quantite": "1", "prix_unitaire_ht": "100", "taux_tva": "20"}]
    for n in range(nombre):
        piece_deposer(
            par=chantier.u_fournisseur,
            role="fournisseur",
            cadre="A4",
            type_depot="initial",
            canal="portail",
            facture=piece(chantier.fournisseur, f"PDM-{n:03d}"),
            lignes=lignes,
            moe=chantier.moe,
            moa=chantier.moa,
        )
    connecter(client, chantier.u_moe)
    with django_assert_max_num_queries(12):
        contenu = html.unescape(client.get(URL).content.decode())
    assert contenu.count("A4 N° PDM-") == nombre


def test_le_cotraitant_depose_un_a13_pour_son_mandataire(client, chantier):
    # the supplier of the chantier acts here as a co-contractor of a groupement conjoint
    mandataire = StructureFactory(raison_sociale="Mandataire Constructions")
    connecter(client, chantier.u_fournisseur)
    sans_valideur = client.post(URL, donnees_a4(chantier, role="cotraitant", cadre="A13"))
    assert sans_valideur.status_code == 200
    assert (
        "SIRET du valideur : Le cadre A13 exige un valideur : indiquez le SIRET du mandataire du groupement."
        in html.unescape(sans_valideur.content.decode())
    )
    inconnu = client.post(URL, donnees_a4(chantier, role="cotraitant", cadre="A13", valideur_siret="12345678901234"))
    assert "SIRET du valideur : aucune structure active ne porte le SIRET 12345678901234." in html.unescape(
        inconnu.content.decode()
    )
    assert not Facture.objects.exists()

    reponse = client.post(
        URL, donnees_a4(chantier, role="cotraitant", cadre="A13", valideur_siret=mandataire.identifiant)
    )
    facture = Facture.objects.get(numero="PDM-001")
    assert reponse.status_code == 302
    assert (facture.cadre, facture.statut, facture.valideur_1) == ("A13", "A_VALIDER_1", mandataire)
    recap = html.unescape(client.get(reponse["Location"]).content.decode())
    assert "Mise à disposition du premier valideur" in recap and "Mandataire Constructions" in recap


def test_le_fournisseur_ne_nomme_pas_de_valideur(client, chantier):
    # a validator typed then the role changed to « Fournisseur »: the A4 goes to the MOE, without validator
    connecter(client, chantier.u_fournisseur)
    client.post(URL, donnees_a4(chantier, valideur_siret=chantier.etrangere.identifiant))
    facture = Facture.objects.get(numero="PDM-001")
    assert facture.statut == "MISE_A_DISPOSITION_MOE" and facture.valideur_1 is None


def test_la_liste_des_brouillons_reprendre_et_supprimer(client, chantier):
    connecter(client, chantier.u_fournisseur)
    client.post(URL, donnees_a4(chantier, action="enregistrer", numero="PDM-BR-1"))
    client.post(URL, donnees_a4(chantier, action="enregistrer", numero="PDM-BR-2"))
    premier, second = BrouillonTravaux.objects.order_by("pk")
    chemin = premier.pdf.path
    liste = html.unescape(client.get(f"{URL}brouillons/").content.decode())
    assert "2 brouillons." in liste and "PDM-BR-1" in liste and "PDM-BR-2" in liste
    assert f'href="{URL}brouillons/{premier.pk}/"' in liste

    # another user sees none of them and deletes nothing
    connecter(client, chantier.u_moe)
    assert "0 brouillon." in html.unescape(client.get(f"{URL}brouillons/").content.decode())
    assert client.post(f"{URL}brouillons/{premier.pk}/supprimer/").status_code == 404
    assert BrouillonTravaux.objects.count() == 2

    connecter(client, chantier.u_fournisseur)
    assert client.get(f"{URL}brouillons/{premier.pk}/supprimer/").status_code == 405
    reponse = client.post(f"{URL}brouillons/{premier.pk}/supprimer/", follow=True)
    assert "Le brouillon de la pièce n° PDM-BR-1 est supprimé." in html.unescape(reponse.content.decode())
    assert list(BrouillonTravaux.objects.all()) == [second]
    assert not os.path.exists(chemin)


@pytest.mark.parametrize("nombre", [1, 25])
def test_requetes_de_la_liste_des_brouillons(client, chantier, django_assert_max_num_queries, nombre):
    for n in range(nombre):
        BrouillonTravaux.objects.create(
            user=chantier.u_fournisseur, structure=chantier.fournisseur, role="fournisseur", donnees={"numero": n}
        )
    connecter(client, chantier.u_fournisseur)
    with django_assert_max_num_queries(11):  # +1: the header's menus (chorus/menus.py)
        assert client.get(f"{URL}brouillons/").status_code == 200
