"""The page « Mes messages »: own messages only, read/unread and category filters, sort, pagination with a fixed
number of queries; opening a message marks it read and goes to its object; another user's message is a 404."""

import html

import pytest
from django.test import Client
from django.urls import reverse

from communication.enums import CategorieNotification
from communication.models import Notification
from communication.services import notification_marquer_lue
from tests.communication.conftest import message
from tests.conftest import connecter

pytestmark = pytest.mark.django_db

LISTE = reverse("communication:mes_messages")


def texte(reponse):
    return html.unescape(reponse.content.decode())


def test_la_liste_montre_mes_messages_non_lus_en_gras(client_camille, camille, intrus):
    lu = message(camille, "Rattachement accepté", categorie=CategorieNotification.RATTACHEMENT)
    notification_marquer_lue(notification=lu, par=camille)
    non_lu = message(camille, "Facture F-7 rejetée", texte="Motif : « Doublon ».")
    message(intrus, "Message d'un autre")

    page = texte(client_camille.get(LISTE))
    assert "Vous avez 1 message non lu." in page
    assert "2 messages." in page
    assert (
        f'<a href="{reverse("communication:ouvrir", args=[non_lu.pk])}"><strong>Facture F-7 rejetée</strong></a>'
        in page
    )
    assert f'<a href="{reverse("communication:ouvrir", args=[lu.pk])}">Rattachement accepté</a>' in page
    assert page.count('<p class="fr-badge fr-badge--sm fr-badge--new">Non lu</p>') == 1
    assert "Motif : « Doublon »." in page
    assert "Message d'un autre" not in page
    assert "Tout marquer comme lu" in page


def test_les_textes_sont_echappes(client_camille, camille):
    message(camille, "<script>alert(1)</script>")
    page = client_camille.get(LISTE).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_filtres_lus_non_lus_et_categorie(client_camille, camille):
    lu = message(camille, "Rattachement accepté", categorie=CategorieNotification.RATTACHEMENT)
    notification_marquer_lue(notification=lu, par=camille)
    message(camille, "Facture F-7 rejetée")
    message(camille, "Pièce PDM-1 en attente", categorie=CategorieNotification.TRAVAUX)

    non_lus = texte(client_camille.get(LISTE, {"etat": "non_lus"}))
    assert "Facture F-7" in non_lus and "PDM-1" in non_lus and "Rattachement accepté" not in non_lus
    lus = texte(client_camille.get(LISTE, {"etat": "lus"}))
    assert "Rattachement accepté" in lus and "Facture F-7" not in lus
    travaux = texte(client_camille.get(LISTE, {"categorie": "TRAVAUX"}))
    assert "PDM-1" in travaux and "Facture F-7" not in travaux
    vide = texte(client_camille.get(LISTE, {"etat": "lus", "categorie": "TRAVAUX"}))
    assert "Aucun message ne correspond à ces critères." in vide


def test_un_critere_invalide_est_nomme(client_camille, camille):
    message(camille)
    page = texte(client_camille.get(LISTE, {"etat": "archives", "tri": "pk"}))
    assert "État : Choisissez « Tous », « Non lus » ou « Lus »." in page
    # a forged sort is not a criterion: the default order, no error
    assert "Trier par : Choisissez un tri de la liste." not in page
    # an invalid criterion is not « no criterion »: nothing is listed, and the page says why
    assert "0 message." in page and "Recherche invalide : aucun résultat n'est affiché" in page


def test_tris(client_camille, camille):
    premier = message(camille, "Premier message")
    second = message(camille, "Second message")
    Notification.objects.filter(pk=premier.pk).update(cree_le=second.cree_le.replace(year=second.cree_le.year - 1))
    notification_marquer_lue(notification=second, par=camille)

    def ordre(tri):
        page = texte(client_camille.get(LISTE, {"tri": tri}))
        return page.index("Premier message") < page.index("Second message")

    assert not ordre("-date")  # newest first by default
    assert ordre("date")
    assert ordre("non_lus")  # the unread one first, though older


def test_pagination_et_nombre_de_requetes_fixe(client_camille, camille, django_assert_max_num_queries):
    message(camille, "Message 0")
    client_camille.get(LISTE)  # the session's first request writes it
    with django_assert_max_num_queries(20) as une:
        assert client_camille.get(LISTE).status_code == 200
    for i in range(1, 25):
        message(camille, f"Message {i}", categorie=CategorieNotification.TRAVAUX if i % 2 else "FACTURE")
    with django_assert_max_num_queries(len(une.captured_queries)):
        page = texte(client_camille.get(LISTE))
    assert "25 messages." in page and "Message 24" in page and "Message 4</strong>" not in page
    assert 'class="fr-pagination"' in page
    page_2 = texte(client_camille.get(LISTE, {"page": 2}))
    assert "Message 4</strong>" in page_2 and "Message 0</strong>" in page_2 and "Message 24" not in page_2


def test_ouvrir_marque_lu_et_mene_a_l_objet(client_camille, camille):
    n = message(camille, lien="/factures/emises/12/")
    reponse = client_camille.get(reverse("communication:ouvrir", args=[n.pk]))
    assert reponse.status_code == 302 and reponse.url == "/factures/emises/12/"
    assert Notification.objects.get(pk=n.pk).lue_le is not None


@pytest.mark.parametrize("lien", ["https://ailleurs.example/", "//ailleurs.example/x", ""])
def test_ouvrir_ne_suit_jamais_un_lien_externe(client_camille, camille, lien):
    n = message(camille)
    Notification.objects.filter(pk=n.pk).update(lien=lien)  # as if the row had been written around the service
    reponse = client_camille.get(reverse("communication:ouvrir", args=[n.pk]))
    assert reponse.status_code == 302 and reponse.url == LISTE


def test_marquer_comme_lu_revient_a_la_liste_filtree(client_camille, camille):
    n = message(camille, "Facture F-9 rejetée")
    reponse = client_camille.post(
        reverse("communication:marquer_lue", args=[n.pk]), {"parametres": "etat=non_lus&page=1"}
    )
    assert reponse.status_code == 302 and reponse.url == f"{LISTE}?etat=non_lus&page=1"
    assert Notification.objects.get(pk=n.pk).lue_le is not None
    page = texte(client_camille.get(reponse.url))
    assert "Le message « Facture F-9 rejetée » est marqué comme lu." in page
    assert "Vous n'avez aucun message non lu." in page and "Tout marquer comme lu" not in page


def test_marquer_comme_lu_ne_se_fait_pas_en_get(client_camille, camille):
    n = message(camille)
    assert client_camille.get(reverse("communication:marquer_lue", args=[n.pk])).status_code == 405
    assert client_camille.get(reverse("communication:tout_marquer_lu")).status_code == 405
    assert Notification.objects.get(pk=n.pk).lue_le is None


def test_tout_marquer_comme_lu(client_camille, camille, intrus):
    message(camille)
    message(camille)
    autre = message(intrus)
    reponse = client_camille.post(reverse("communication:tout_marquer_lu"))
    assert reponse.status_code == 302 and reponse.url == LISTE
    assert "2 messages marqués comme lus." in texte(client_camille.get(LISTE))
    assert not Notification.objects.filter(destinataire=camille, lue_le__isnull=True).exists()
    assert Notification.objects.get(pk=autre.pk).lue_le is None
    client_camille.post(reverse("communication:tout_marquer_lu"))
    assert "Vous n'avez aucun message non lu." in texte(client_camille.get(LISTE))


def test_le_message_d_un_autre_utilisateur_est_introuvable(client_camille, intrus):
    n = message(intrus, "Facture secrète", lien="/factures/emises/99/")
    assert client_camille.get(reverse("communication:ouvrir", args=[n.pk])).status_code == 404
    assert client_camille.post(reverse("communication:marquer_lue", args=[n.pk])).status_code == 404
    assert Notification.objects.get(pk=n.pk).lue_le is None
    client_camille.post(reverse("communication:tout_marquer_lu"))
    assert Notification.objects.get(pk=n.pk).lue_le is None
    assert "Facture secrète" not in texte(client_camille.get(LISTE))
    assert client_camille.get(reverse("communication:non_lus")).json() == {"non_lus": 0}


def test_le_compteur_de_l_en_tete(client_camille, camille, intrus):
    message(camille)
    message(camille)
    notification_marquer_lue(notification=message(camille), par=camille)
    message(intrus)
    reponse = client_camille.get(reverse("communication:non_lus"))
    assert reponse.json() == {"non_lus": 2}
    assert "no-cache" in reponse["Cache-Control"]
    # the pages carry the link and the script, not the count: no page pays a query for it
    accueil = client_camille.get("/").content.decode()
    assert f'href="{LISTE}" id="lien-mes-messages"' in accueil
    assert "communication/js/messages_non_lus.js" in accueil


def test_anonyme_renvoye_a_la_connexion(db):
    anonyme = Client()
    for url in (LISTE, reverse("communication:non_lus"), reverse("communication:ouvrir", args=[1])):
        reponse = anonyme.get(url)
        assert reponse.status_code == 302 and reponse.url.startswith(reverse("organisation:connexion"))
    assert "lien-mes-messages" not in anonyme.get("/").content.decode()


def test_un_autre_client_connecte_ne_voit_que_les_siens(camille, intrus):
    message(intrus, "Pour Ivan")
    page = texte(connecter(Client(), intrus).get(LISTE))
    assert "Pour Ivan" in page
    assert "Pour Ivan" not in texte(connecter(Client(), camille).get(LISTE))


def test_le_retour_a_la_liste_ne_mene_nulle_part_ailleurs(client_camille, camille):
    n = message(camille)
    reponse = client_camille.post(
        reverse("communication:marquer_lue", args=[n.pk]), {"parametres": "//ailleurs.example/\r\nX: y&etat=lus"}
    )
    assert reponse.status_code == 302 and reponse.url.startswith(f"{LISTE}?")
    assert "\n" not in reponse.url and "//" not in reponse.url
