from datetime import timedelta

import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from organisation.models import Utilisateur
from tests.conftest import MOT_DE_PASSE, code_du_courriel, connecter, lien_du_courriel
from tests.factories import UtilisateurFactory

ADRESSE = reverse("organisation:changer_adresse")
NOUVELLE = "nouvelle.adresse@exemple.fr"


def demander(client, capture, nouvelle=NOUVELLE, confirmation=None, mdp=MOT_DE_PASSE):
    with capture(execute=True):
        return client.post(
            ADRESSE,
            {
                "nouvelle_adresse": nouvelle,
                "nouvelle_adresse_confirmation": confirmation or nouvelle,
                "mot_de_passe": mdp,
            },
        )


def test_changer_d_adresse_par_un_lien_envoye_a_la_nouvelle(client, utilisateur, django_capture_on_commit_callbacks):
    ancienne = utilisateur.email
    connecter(client, utilisateur)
    autre_session = connecter(Client(), utilisateur)
    reponse = demander(client, django_capture_on_commit_callbacks)
    assert reponse.status_code == 302
    confirmation, avertissement = mail.outbox
    assert confirmation.to == [NOUVELLE] and "valable 24 heures" in confirmation.body
    assert avertissement.to == [ancienne] and NOUVELLE in avertissement.body
    assert Utilisateur.objects.get().email == ancienne  # nothing changes before the link is followed
    chemin = lien_du_courriel(confirmation)
    assert NOUVELLE in client.get(chemin).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(chemin, follow=True)
    assert "Connectez-vous avec cette adresse" in reponse.content.decode()
    assert Utilisateur.objects.get().email == NOUVELLE
    effectifs = [m for m in mail.outbox if m.subject == "Chorus Pro – Votre adresse de connexion a changé"]
    assert sorted(m.to[0] for m in effectifs) == sorted([NOUVELLE, ancienne])
    # every session of the account has ended: the user must log in again
    assert client.get(reverse("organisation:mon_compte")).status_code == 302
    assert autre_session.get(reverse("organisation:mon_compte")).status_code == 302
    # and the new address logs in
    client.post(reverse("organisation:connexion"), {"username": NOUVELLE, "password": MOT_DE_PASSE})
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("organisation:code"))
    assert client.post(reverse("organisation:code"), {"code": code_du_courriel(mail.outbox[-1])}).status_code == 302


def test_un_lien_de_changement_d_adresse_de_plus_de_24_heures_est_refuse(
    client, utilisateur, django_capture_on_commit_callbacks
):
    connecter(client, utilisateur)
    demander(client, django_capture_on_commit_callbacks)
    chemin = lien_du_courriel(mail.outbox[0])
    with time_machine.travel(timezone.now() + timedelta(hours=24, minutes=1)):
        reponse = Client().post(chemin)
    assert reponse.status_code == 410
    assert "Ce lien a expiré le" in reponse.content.decode()
    assert Utilisateur.objects.get().email == utilisateur.email


def test_mauvais_mot_de_passe_ou_adresses_differentes(client, utilisateur, django_capture_on_commit_callbacks):
    connecter(client, utilisateur)
    reponse = demander(client, django_capture_on_commit_callbacks, mdp="pas le bon")
    assert "Le mot de passe saisi est incorrect." in reponse.content.decode()
    reponse = demander(client, django_capture_on_commit_callbacks, confirmation="autre@exemple.fr")
    assert "Les deux adresses saisies ne sont pas identiques." in reponse.content.decode()
    reponse = demander(client, django_capture_on_commit_callbacks, nouvelle=utilisateur.email.upper())
    assert "identique à votre adresse de connexion actuelle" in reponse.content.decode()
    assert mail.outbox == []


def test_une_adresse_prise_n_est_revelee_qu_a_sa_boite(client, utilisateur, django_capture_on_commit_callbacks):
    autre = UtilisateurFactory()
    connecter(client, utilisateur)
    reponse = demander(client, django_capture_on_commit_callbacks, nouvelle=autre.email)
    assert reponse.status_code == 302  # the same answer as for a free address
    (message,) = mail.outbox
    assert message.to == [autre.email] and "déjà celle d'un autre compte" in message.body
    assert Utilisateur.objects.get(pk=utilisateur.pk).email == utilisateur.email


def test_mot_de_passe_oublie(client, utilisateur, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(reverse("organisation:mot_de_passe_oublie"), {"email": utilisateur.email})
    assert reponse.status_code == 302
    (message,) = mail.outbox
    chemin = lien_du_courriel(message)
    formulaire = client.get(chemin, follow=True)
    assert "Choisir un nouveau mot de passe" in formulaire.content.decode()
    url = formulaire.redirect_chain[-1][0]
    nouveau = "Encore une phrase de passe 2027"
    reponse = client.post(url, {"new_password1": nouveau, "new_password2": nouveau})
    assert reponse.status_code == 302
    assert Utilisateur.objects.get().check_password(nouveau)
    assert "_auth_user_id" not in client.session  # the second factor is still to come
    assert "a expiré ou a déjà servi" in client.get(chemin, follow=True).content.decode()


def test_mot_de_passe_oublie_adresse_inconnue_meme_reponse(client, db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(reverse("organisation:mot_de_passe_oublie"), {"email": "inconnu@exemple.fr"})
    assert reponse.status_code == 302 and reponse.url == reverse("organisation:mot_de_passe_envoye")
    assert mail.outbox == []


def test_changer_de_mot_de_passe_ferme_les_autres_sessions(client, utilisateur):
    connecter(client, utilisateur)
    autre = connecter(Client(), utilisateur)
    nouveau = "Une toute autre phrase de passe"
    reponse = client.post(
        reverse("organisation:changer_mot_de_passe"),
        {"old_password": MOT_DE_PASSE, "new_password1": nouveau, "new_password2": nouveau},
    )
    assert reponse.status_code == 302
    assert client.get(reverse("organisation:mon_compte")).status_code == 200
    assert autre.get(reverse("organisation:mon_compte")).status_code == 302


def test_mon_compte_montre_les_informations_et_les_structures(client, utilisateur):
    from tests.factories import StructureFactory

    structure = StructureFactory(gestionnaire=utilisateur, raison_sociale="Ma Structure")
    StructureFactory(raison_sociale="Structure des autres")
    connecter(client, utilisateur)
    page = client.get(reverse("organisation:mon_compte")).content.decode()
    assert utilisateur.email in page
    assert f"Ma Structure (SIRET {structure.identifiant}) — gestionnaire principal" in page
    assert "Structure des autres" not in page
