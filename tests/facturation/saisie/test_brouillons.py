"""Drafts: « Enregistrer », reopening, the list of the user's structures' drafts, deletion; outsiders get 404."""

from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from facturation.models import Facture, LigneFacture
from facturation.services.brouillon import facture_enregistrer_brouillon
from tests.conftest import connecter
from tests.facturation.saisie.conftest import donnees

URL = reverse("facturation:saisie_nouvelle")


def brouillon(monde, numero="", **champs):
    return facture_enregistrer_brouillon(
        par=monde.utilisateur,
        donnees={"fournisseur": monde.fournisseur, "destinataire": monde.destinataire, "numero": numero, **champs},
        lignes=[{"designation": "Étude", "quantite": 1, "prix_unitaire_ht": Decimal("100"), "taux_tva": 20}],
    )


def test_enregistrer_garde_un_brouillon_incomplet(client_fournisseur, monde, media):
    post = donnees(monde, action="enregistrer", numero="", date_facture="", mode_paiement="")
    post["pieces_jointes"] = SimpleUploadedFile("devis.pdf", b"%PDF-1.4 devis", content_type="application/pdf")
    reponse = client_fournisseur.post(URL, post)
    assert reponse.status_code == 302, reponse.context["erreurs"]
    facture = Facture.objects.get()
    assert reponse["Location"] == reverse("facturation:saisie_brouillon", args=[facture.pk])
    assert facture.statut == "BROUILLON"
    assert facture.numero == ""
    assert facture.total_ttc == Decimal("1411")
    assert facture.lignes.count() == 2
    assert [p.nom for p in facture.pieces_jointes.all()] == ["devis.pdf"]

    page = client_fournisseur.get(reponse["Location"])
    contenu = page.content.decode()
    assert "Le brouillon est enregistré." in contenu
    assert "devis.pdf" in contenu
    assert page.context["form"]["destinataire"].value() == monde.destinataire.identifiant
    assert page.context["lignes"].forms[1]["designation"].value() == "Livres"


def test_un_brouillon_peut_reprendre_un_numero_deja_brouillon(client_fournisseur, monde):
    brouillon(monde, numero="FA-1")
    client_fournisseur.post(URL, donnees(monde, action="enregistrer", numero="FA-1"))
    assert Facture.objects.filter(numero="FA-1").count() == 2


def test_modifier_un_brouillon_puis_le_supprimer(client_fournisseur, monde):
    facture = brouillon(monde, numero="FA-5")
    url = reverse("facturation:saisie_brouillon", args=[facture.pk])
    lignes = [{"designation": "Conseil", "quantite": "3", "prix_unitaire_ht": "50", "taux_tva": "10"}]
    reponse = client_fournisseur.post(url, donnees(monde, action="enregistrer", numero="FA-6", lignes=lignes))
    assert reponse.status_code == 302
    facture.refresh_from_db()
    assert facture.numero == "FA-6"
    assert [(ligne.designation, ligne.montant_ht) for ligne in facture.lignes.all()] == [("Conseil", Decimal("150"))]
    assert Facture.objects.count() == 1

    reponse = client_fournisseur.post(reverse("facturation:saisie_brouillon_supprimer", args=[facture.pk]))
    assert reponse.status_code == 302
    assert not Facture.objects.exists()
    assert not LigneFacture.objects.exists()


@pytest.mark.parametrize("methode", ["get", "post"])
def test_un_etranger_ne_voit_pas_le_brouillon(client, monde, methode):
    facture = brouillon(monde, numero="FA-7")
    connecter(client, monde.etranger)
    url = reverse("facturation:saisie_brouillon", args=[facture.pk])
    reponse = getattr(client, methode)(
        url, donnees(monde, action="enregistrer", numero="VOLE") if methode == "post" else {}
    )
    assert reponse.status_code == 404
    assert client.post(reverse("facturation:saisie_brouillon_supprimer", args=[facture.pk])).status_code == 404
    facture.refresh_from_db()
    assert facture.numero == "FA-7"


def test_un_lecteur_seul_ne_voit_pas_les_brouillons(client, monde):
    from organisation.enums import Application, Niveau
    from tests.factories import UtilisateurFactory, rattacher

    lecteur = UtilisateurFactory()
    rattacher(lecteur, monde.fournisseur, (Application.FACTURES_EMISES, Niveau.CONSULTATION))
    facture = brouillon(monde, numero="FA-8")
    connecter(client, lecteur)
    assert client.get(reverse("facturation:saisie_brouillon", args=[facture.pk])).status_code == 404
    assert "FA-8" not in client.get(reverse("facturation:saisie_brouillons")).content.decode()


def test_le_service_refuse_une_structure_dont_on_n_emet_pas(monde):
    from chorus.exceptions import ApplicationError

    with pytest.raises(ApplicationError) as erreur:
        facture_enregistrer_brouillon(
            par=monde.etranger,
            donnees={"fournisseur": monde.fournisseur, "destinataire": monde.destinataire},
            lignes=[],
        )
    assert erreur.value.champ == "fournisseur"
    assert not Facture.objects.exists()


def test_liste_des_brouillons_de_mes_structures(client_fournisseur, monde):
    brouillon(monde, numero="FA-MIEN")
    facture_enregistrer_brouillon(
        par=monde.etranger,
        donnees={"fournisseur": monde.autre_fournisseur, "destinataire": monde.destinataire, "numero": "FA-AUTRE"},
        lignes=[],
    )
    contenu = client_fournisseur.get(reverse("facturation:saisie_brouillons")).content.decode()
    assert "FA-MIEN" in contenu
    assert "FA-AUTRE" not in contenu
    assert "1 brouillon" in contenu


@pytest.mark.parametrize("nombre", [1, 30])
def test_liste_des_brouillons_nombre_de_requetes_fixe(
    client_fournisseur, monde, django_assert_max_num_queries, nombre
):
    for i in range(nombre):
        brouillon(monde, numero=f"FA-{i}")
    # +1: the header's menus (chorus/menus.py); +1: the perimeter's ids, read first (habilitations.filtre_resolu)
    with django_assert_max_num_queries(12):
        reponse = client_fournisseur.get(reverse("facturation:saisie_brouillons"), {"tri": "numero"})
    assert reponse.status_code == 200
    assert len(reponse.context["page_obj"].object_list) == min(nombre, 20)


def test_brouillon_d_un_pdf_depose_garde_ce_pdf(client_fournisseur, monde, media):
    facture = brouillon(monde, numero="PDF-1", date_facture=None)
    facture.mode_depot, facture.format_depot = "DEPOT_PDF_PORTAIL", "PDF_NON_SIGNE"
    facture.fichier_pdf.save("fournisseur.pdf", ContentFile(b"%PDF-1.4 la facture du fournisseur"), save=True)
    url = reverse("facturation:saisie_brouillon", args=[facture.pk])
    assert "ce PDF est transmis tel quel" in client_fournisseur.get(url).content.decode()

    reponse = client_fournisseur.post(url, donnees(monde, numero="PDF-1"))
    facture.refresh_from_db()
    assert reponse.status_code == 302, reponse.context and reponse.context["erreurs"]
    assert facture.statut == "MISE_A_DISPOSITION"
    assert (facture.mode_depot, facture.format_depot) == ("DEPOT_PDF_PORTAIL", "PDF_NON_SIGNE")
    assert facture.fichier_pdf.read() == b"%PDF-1.4 la facture du fournisseur"
    assert not facture.fichier_xml


def test_les_pieces_jointes_de_la_structure_se_joignent_a_la_facture(client_fournisseur, monde, media):
    from organisation.models import PieceJointeStructure

    rib = PieceJointeStructure(structure=monde.fournisseur, nom="rib.pdf", taille=12)
    rib.fichier.save("rib.pdf", ContentFile(b"%PDF-1.4 rib"), save=False)
    rib.save()
    etrangere = PieceJointeStructure(structure=monde.autre_fournisseur, nom="kbis.pdf", taille=13)
    etrangere.fichier.save("kbis.pdf", ContentFile(b"%PDF-1.4 kbis"), save=False)
    etrangere.save()

    page = client_fournisseur.get(URL).content.decode()
    assert "rib.pdf (Menuiserie Dubois)" in page and "kbis.pdf" not in page
    # another structure's document is not a choice
    refus = client_fournisseur.post(URL, {**donnees(monde, action="enregistrer"), "pieces_structure": [etrangere.pk]})
    assert "Pièces jointes de la structure : ce document n&#x27;est pas proposé." in refus.content.decode()
    assert not Facture.objects.exists()

    post = {**donnees(monde, action="enregistrer"), "pieces_structure": [rib.pk]}
    reponse = client_fournisseur.post(URL, post)
    facture = Facture.objects.get()
    (piece,) = facture.pieces_jointes.all()
    assert (piece.nom, piece.fichier.read()) == ("rib.pdf", b"%PDF-1.4 rib")
    # saved again with the same choice: still one copy
    client_fournisseur.post(reponse["Location"], post)
    assert facture.pieces_jointes.count() == 1
