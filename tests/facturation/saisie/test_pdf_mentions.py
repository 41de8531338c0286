"""The generated invoice (saisie → Factur-X) carries both parties' postal addresses and the French payment mentions
(payment term and due date, no early-payment discount, late-payment interest rate, 40 € recovery indemnity), in its
readable PDF and in its CII (BT-9, BT-20, BG-5, BG-8); the addresses are kept on the invoice at the deposit."""

from datetime import timedelta

import facturx
import pytest
from django.urls import reverse
from django.utils import timezone
from lxml import etree

from facturation.formats.depuis_facture import facture_neutre
from facturation.formats.lecture import lire
from facturation.formats.pdf_texte import extraire_texte
from facturation.models import Facture
from facturation.validation.couches import COUCHE_EN16931, COUCHE_XSD, valider
from tests.facturation.saisie.conftest import donnees

URL = reverse("facturation:saisie_nouvelle")
RAM = "{urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100}"


@pytest.fixture
def deposee(client_fournisseur, monde, media):
    monde.fournisseur.adresse, monde.fournisseur.complement_1 = "12 rue des Artisans", "Zone du Moulin"
    monde.fournisseur.code_postal, monde.fournisseur.ville = "69003", "Lyon"
    monde.fournisseur.save()
    monde.destinataire.adresse, monde.destinataire.complement_1 = "1 place de la Comédie", "Hôtel de ville"
    monde.destinataire.complement_2, monde.destinataire.code_postal = "Direction des finances", "69001"
    monde.destinataire.ville = "Lyon"
    monde.destinataire.save()
    lignes = [
        {"designation": "Chaises", "quantite": "2", "unite": "H87", "prix_unitaire_ht": "500", "taux_tva": "20"},
        {"designation": "Pose", "quantite": "1", "unite": "HUR", "prix_unitaire_ht": "200", "taux_tva": "20"},
    ]
    reponse = client_fournisseur.post(URL, donnees(monde, lignes=lignes, code_service="ACHATS"))
    assert reponse.status_code == 302, reponse.content.decode()[:3000]
    return Facture.objects.get()


def _texte(contenu):
    return " ".join(extraire_texte(contenu).split())


def test_pdf_cii_et_page_portent_adresses_mentions_et_unites(deposee, client_fournisseur, monde):
    pdf = deposee.fichier_pdf.read()
    texte = _texte(pdf)
    jour = timezone.localdate()
    echeance = jour + timedelta(days=30)
    for attendu in (
        # BG-5, BG-8
        "12 rue des Artisans",
        "Zone du Moulin",
        "69003 Lyon",
        "1 place de la Comédie",
        "Hôtel de ville",
        "Direction des finances",
        "69001 Lyon",
        "France",
        # Code de commerce L441-9 mentions, Code de la commande publique's interest and indemnity
        f"Date d'échéance : {echeance:%d/%m/%Y}",
        f"Paiement à 30 jours à compter de la réception de la facture, soit au plus tard le {echeance:%d/%m/%Y}",
        "Pas d'escompte pour paiement anticipé.",
        "intérêts moratoires",
        "majoré de 8 points, soit 10,15 % (taux BCE de 2,15 %",
        "indemnité forfaitaire pour frais de recouvrement de 40 €",
        "L2192-13, R2192-31 et D2192-35",
        # units by their name
        "2 pièces",
        "1 heure",
    ):
        assert attendu in texte, attendu
    assert "H87" not in texte and "HUR" not in texte

    _nom, xml = facturx.get_xml_from_pdf(pdf, check_xsd=False)
    rapport = valider(xml, "cii")
    assert {COUCHE_XSD, COUCHE_EN16931} <= set(rapport.couches_executees)
    assert rapport.erreurs == []

    _syntaxe, relue, _ = lire(pdf)
    assert (relue.vendeur.adresse, relue.vendeur.complement_1, relue.vendeur.complement_2) == (
        "12 rue des Artisans",
        "Zone du Moulin",
        None,
    )
    assert (relue.vendeur.code_postal, relue.vendeur.ville, relue.vendeur.pays) == ("69003", "Lyon", "FR")
    assert (relue.acheteur.adresse, relue.acheteur.complement_1, relue.acheteur.complement_2) == (
        "1 place de la Comédie",
        "Hôtel de ville",
        "Direction des finances",
    )
    assert (relue.acheteur.code_postal, relue.acheteur.ville, relue.acheteur.pays) == ("69001", "Lyon", "FR")
    assert relue.echeance == echeance  # BT-9
    bt20 = relue.conditions_paiement
    assert "Paiement à 30 jours" in bt20 and "40 €" in bt20 and "intérêts moratoires" in bt20
    assert "Mode de paiement : virement." in bt20

    arbre = etree.fromstring(xml)
    quantites = arbre.iter(f"{RAM}BilledQuantity")
    assert [q.get("unitCode") for q in quantites] == ["H87", "HUR"]  # the XML keeps the code
    adresse = next(arbre.iter(f"{RAM}SellerTradeParty")).find(f"{RAM}PostalTradeAddress")
    ordre_xsd = ["PostcodeCode", "LineOne", "LineTwo", "CityName", "CountryID"]
    assert [etree.QName(e).localname for e in adresse] == ordre_xsd

    page = client_fournisseur.get(reverse("facturation:emises_consulter", args=[deposee.pk])).content.decode()
    page = " ".join(page.split())
    assert "<td>pièces</td>" in page and "<td>heure</td>" in page
    assert "1 place de la Comédie" in page and "69003 Lyon" in page


def test_les_adresses_de_la_facture_ne_suivent_pas_un_demenagement(deposee, monde, client_fournisseur):
    assert (deposee.fournisseur_adresse, deposee.fournisseur_code_postal, deposee.fournisseur_ville) == (
        "12 rue des Artisans",
        "69003",
        "Lyon",
    )
    assert (deposee.destinataire_complement_2, deposee.destinataire_pays) == ("Direction des finances", "FR")
    monde.fournisseur.adresse, monde.fournisseur.code_postal = "5 quai Neuf", "44000"
    monde.fournisseur.save()

    facture = Facture.objects.get(pk=deposee.pk)
    assert facture_neutre(facture).vendeur.adresse == "12 rue des Artisans"
    page = client_fournisseur.get(reverse("facturation:emises_consulter", args=[facture.pk])).content.decode()
    assert "12 rue des Artisans" in page and "5 quai Neuf" not in page
