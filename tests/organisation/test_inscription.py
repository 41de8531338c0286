from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from organisation.models import Utilisateur
from tests.conftest import lien_du_courriel

URL = reverse("organisation:inscription")
MOT_DE_PASSE = "Une phrase de passe assez longue"


def formulaire(**changes):
    data = {
        "email": "Nouvelle.Personne@Exemple.fr",
        "email_confirmation": "nouvelle.personne@exemple.fr",
        "prenom": "Nadia",
        "nom": "Nouvelle",
        "telephone": "01 23 45 67 89",
        "consentement_enquete": "on",
        "conditions": "on",
        "captcha_0": "cle",
        "captcha_1": "PASSED",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def inscrire(client, capture, **changes):
    with capture(execute=True):
        return client.post(URL, formulaire(**changes))


def test_le_formulaire_porte_les_champs_de_chorus_pro(client, db):
    page = client.get(URL).content.decode()
    for libelle in [
        "Adresse électronique de connexion",
        "Ressaisissez votre adresse électronique de connexion",
        "Prénom",
        "Nom",
        "Téléphone",
        "afin de recevoir l&#x27;enquête de satisfaction sur Chorus Pro",
        "J&#x27;accepte les conditions",
        "Reproduire la suite de caractères",
        "Créer mon compte",
    ]:
        assert libelle in page


def test_creer_un_compte_envoie_le_lien_d_activation_valable_30_jours(client, db, django_capture_on_commit_callbacks):
    reponse = inscrire(client, django_capture_on_commit_callbacks)
    assert reponse.status_code == 302
    utilisateur = Utilisateur.objects.get()
    assert (utilisateur.email, utilisateur.prenom, utilisateur.is_active) == (
        "nouvelle.personne@exemple.fr",
        "Nadia",
        False,
    )
    assert utilisateur.consentement_enquete and utilisateur.conditions_acceptees_le
    (message,) = mail.outbox
    assert message.to == ["nouvelle.personne@exemple.fr"]
    assert "nous vous invitons à cliquer sur le lien suivant pour activer votre compte" in message.body
    expire = timezone.localtime(timezone.now() + timedelta(days=30))
    assert f"Ce courriel sera valable jusqu'au {expire:%d/%m/%Y}" in message.body
    page = client.get(reponse.url).content.decode()
    assert "nouvelle.personne@exemple.fr" in page


@pytest.mark.parametrize(
    "changes, champ, message",
    [
        ({"email": ""}, "email", "Saisissez votre adresse électronique de connexion."),
        ({"email": "pas-une-adresse"}, "email", "L&#x27;adresse électronique de connexion n&#x27;est pas valide"),
        (
            {"email_confirmation": "autre@exemple.fr"},
            "email_confirmation",
            "Les deux adresses électroniques de connexion ne sont pas identiques.",
        ),
        ({"prenom": ""}, "prenom", "Saisissez votre prénom."),
        ({"nom": " "}, "nom", "Saisissez votre nom."),
        ({"telephone": "appelez-moi"}, "telephone", "Le numéro de téléphone n&#x27;est pas valide"),
        ({"conditions": None}, "conditions", "Vous devez accepter les conditions générales d&#x27;utilisation"),
        ({"captcha_1": "FAUX"}, "captcha", "La suite de caractères ne correspond pas à l&#x27;image"),
    ],
)
def test_chaque_champ_invalide_a_son_message(client, db, changes, champ, message, django_capture_on_commit_callbacks):
    reponse = inscrire(client, django_capture_on_commit_callbacks, **changes)
    assert reponse.status_code == 200
    page = reponse.content.decode()
    assert 'id="resume-erreurs"' in page
    assert message in page
    assert champ in reponse.context["form"].errors
    assert Utilisateur.objects.count() == 0
    assert mail.outbox == []


def test_une_adresse_deja_utilisee_recoit_la_meme_reponse_et_un_courriel_a_son_titulaire(
    client, utilisateur, django_capture_on_commit_callbacks
):
    reponse = inscrire(
        client, django_capture_on_commit_callbacks, email=utilisateur.email, email_confirmation=utilisateur.email
    )
    assert reponse.status_code == 302 and reponse.url == reverse("organisation:inscription_envoyee")
    assert Utilisateur.objects.count() == 1
    (message,) = mail.outbox
    assert message.to == [utilisateur.email]
    assert "un compte Chorus Pro existe déjà pour cette adresse" in message.body


def activer(client, capture):
    inscrire(client, capture)
    chemin = lien_du_courriel(mail.outbox[-1])
    return chemin


def test_le_lien_mene_au_choix_du_mot_de_passe_et_active_le_compte(client, db, django_capture_on_commit_callbacks):
    chemin = activer(client, django_capture_on_commit_callbacks)
    page = client.get(chemin).content.decode()
    assert "au moins 12 caractères" in page
    reponse = client.post(chemin, {"mot_de_passe": MOT_DE_PASSE, "mot_de_passe_confirmation": MOT_DE_PASSE})
    assert reponse.status_code == 302 and reponse.url == reverse("organisation:connexion")
    utilisateur = Utilisateur.objects.get()
    assert utilisateur.is_active and utilisateur.check_password(MOT_DE_PASSE)
    deja = client.get(chemin)
    assert deja.status_code == 410
    assert "Ce lien a déjà été utilisé." in deja.content.decode()


@pytest.mark.parametrize(
    "mdp, confirmation, message",
    [
        ("court-2026", "court-2026", "Ce mot de passe est trop court"),
        ("123456789012345", "123456789012345", "Ce mot de passe est entièrement numérique"),
        ("password12345", "password12345", "Ce mot de passe est trop courant"),
        (MOT_DE_PASSE, "autre chose encore", "Les deux mots de passe ne sont pas identiques."),
    ],
)
def test_un_mot_de_passe_faible_est_refuse(client, db, mdp, confirmation, message, django_capture_on_commit_callbacks):
    chemin = activer(client, django_capture_on_commit_callbacks)
    reponse = client.post(chemin, {"mot_de_passe": mdp, "mot_de_passe_confirmation": confirmation})
    assert reponse.status_code == 200
    assert message in reponse.content.decode()
    assert not Utilisateur.objects.get().is_active


def test_un_lien_de_31_jours_a_expire_et_propose_un_nouveau_courriel(client, db, django_capture_on_commit_callbacks):
    chemin = activer(client, django_capture_on_commit_callbacks)
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        reponse = client.get(chemin)
        assert reponse.status_code == 410
        page = reponse.content.decode()
        assert "Ce lien a expiré le" in page
        assert "Recevoir un nouveau courriel" in page
        refus = client.post(chemin, {"mot_de_passe": MOT_DE_PASSE, "mot_de_passe_confirmation": MOT_DE_PASSE})
        assert refus.status_code == 410
        assert not Utilisateur.objects.get().is_active
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("organisation:activation_renvoyer"), {"email": "nouvelle.personne@exemple.fr"})
        nouveau = lien_du_courriel(mail.outbox[-1])
        assert nouveau != chemin
        assert client.get(nouveau).status_code == 200
    # the old link now says it was replaced
    assert "remplacé par un lien plus récent" in client.get(chemin).content.decode()


def test_le_renvoi_ne_dit_rien_d_une_adresse_inconnue_ou_deja_active(
    client, utilisateur, django_capture_on_commit_callbacks
):
    for adresse in ["inconnue@exemple.fr", utilisateur.email]:
        with django_capture_on_commit_callbacks(execute=True):
            reponse = client.post(reverse("organisation:activation_renvoyer"), {"email": adresse}, follow=True)
        assert "Si un compte en attente d&#x27;activation correspond à cette adresse" in reponse.content.decode()
    assert mail.outbox == []


def test_un_lien_inconnu_est_refuse(client, db):
    reponse = client.get(reverse("organisation:activer", kwargs={"jeton": "n-importe-quoi"}))
    assert reponse.status_code == 404
    assert "Ce lien n&#x27;est pas valide" in reponse.content.decode()
