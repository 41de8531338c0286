from datetime import timedelta

import pytest
import time_machine
from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone

from organisation import pigp
from organisation.middleware import CLE_CONNECTE_LE
from organisation.models import ComptePigp

ENTREE = reverse("organisation:pigp_connexion")
MON_COMPTE = reverse("organisation:mon_compte")


@pytest.fixture
def compte(db, settings):
    settings.PIGP_CLE_PARTAGEE = "une-cle-partagee-avec-le-portail-pigp"
    pigp.injecter_compte(login="jdupont-xt", email="jean.dupont@dgfip.fr", sirets="", prenom="Jean", nom="Dupont")
    return ComptePigp.objects.select_related("user").get()


def entrer(client, jeton, **kwargs):
    return client.get(ENTREE, {"assertion": jeton}, **kwargs)


def test_une_assertion_valide_connecte_sans_second_facteur(client, compte):
    reponse = entrer(client, pigp.assertion_creer("jdupont-xt"))
    assert reponse.status_code == 302 and reponse.url == "/"
    reponse = client.get(MON_COMPTE)
    assert reponse.status_code == 200 and "jean.dupont@dgfip.fr" in reponse.content.decode()
    assert reponse.wsgi_request.user.otp_device == compte  # the upstream authentication is the verified device
    assert CLE_CONNECTE_LE in client.session
    assert mail.outbox == []  # no code was sent
    # without structure: the first-login panel, as for any new account
    assert "Félicitations ! Votre compte utilisateur est créé." in client.get("/").content.decode()


def test_l_assertion_peut_aussi_etre_postee_et_mener_a_la_page_demandee(client, compte):
    reponse = client.post(ENTREE, {"assertion": pigp.assertion_creer("jdupont-xt"), "next": MON_COMPTE})
    assert reponse.status_code == 302 and reponse.url == MON_COMPTE
    with time_machine.travel(timezone.now() + timedelta(seconds=5)):
        reponse = client.post(
            ENTREE, {"assertion": pigp.assertion_creer("jdupont-xt"), "next": "https://ailleurs.fr/"}
        )
    assert reponse.status_code == 302 and reponse.url == "/"  # never sent elsewhere


def _refusee(client, reponse):
    assert reponse.status_code == 302 and reponse.url == "/"
    contenu = client.get("/").content.decode()
    assert "La connexion depuis le portail de la gestion publique n&#x27;a pas abouti." in contenu
    assert client.get(MON_COMPTE).status_code == 302  # not logged in


def test_une_assertion_de_plus_de_deux_minutes_est_refusee(client, compte):
    jeton = pigp.assertion_creer("jdupont-xt")
    with time_machine.travel(timezone.now() + timedelta(minutes=3)):
        _refusee(client, entrer(client, jeton))


def test_une_assertion_ne_sert_qu_une_fois(client, compte):
    jeton = pigp.assertion_creer("jdupont-xt")
    assert entrer(client, jeton).status_code == 302
    client.post(reverse("organisation:deconnexion"))
    _refusee(client, entrer(client, jeton))


def test_une_assertion_plus_ancienne_que_la_derniere_acceptee_est_refusee(client, compte):
    ancienne = pigp.assertion_creer("jdupont-xt")
    with time_machine.travel(timezone.now() + timedelta(seconds=30)):
        assert entrer(client, pigp.assertion_creer("jdupont-xt")).status_code == 302
        client.post(reverse("organisation:deconnexion"))
        _refusee(client, entrer(client, ancienne))


def test_une_assertion_alteree_est_refusee(client, compte):
    jeton = pigp.assertion_creer("jdupont-xt")
    _refusee(client, entrer(client, jeton.replace("jdupont-xt", "autre-xt", 1)))
    _refusee(client, entrer(client, jeton[:-2] + ("AA" if not jeton.endswith("AA") else "BB")))
    _refusee(client, entrer(client, ""))


def test_une_assertion_signee_avec_une_autre_cle_est_refusee(client, compte):
    jeton = signing.TimestampSigner(salt="pigp").sign("jdupont-xt")  # SECRET_KEY, not the shared key
    _refusee(client, entrer(client, jeton))


def test_un_identifiant_inconnu_ou_un_compte_desactive_est_refuse(client, compte):
    _refusee(client, entrer(client, pigp.assertion_creer("inconnu-xt")))
    compte.user.is_active = False
    compte.user.save()
    _refusee(client, entrer(client, pigp.assertion_creer("jdupont-xt")))


@pytest.mark.parametrize("cle", [None, ""])
def test_sans_cle_partagee_l_entree_n_existe_pas(client, compte, settings, cle):
    jeton = pigp.assertion_creer("jdupont-xt")
    if cle is None:
        del settings.PIGP_CLE_PARTAGEE
    else:
        settings.PIGP_CLE_PARTAGEE = cle
    assert entrer(client, jeton).status_code == 404
    assert client.post(ENTREE, {"assertion": jeton}).status_code == 404


def test_le_facteur_pigp_n_accepte_jamais_de_code(compte):
    assert compte.verify_token("123456") is False
    assert compte.verify_token("") is False
