from datetime import UTC, datetime, timedelta

import pyotp
import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from organisation.services.second_facteur import cle_en_base32
from tests.conftest import MOT_DE_PASSE, code_du_courriel, connecter
from tests.factories import UtilisateurFactory

CONNEXION = reverse("organisation:connexion")
CODE = reverse("organisation:code")
ECHEC = "Adresse électronique de connexion ou mot de passe incorrect."


def mot_de_passe(client, email, mdp=MOT_DE_PASSE, **params):
    url = CONNEXION + (f"?next={params['next']}" if "next" in params else "")
    return client.post(url, {"username": email, "password": mdp})


def page_code(client, capture):
    with capture(execute=True):
        return client.get(CODE)


def saisir_code(client, code, capture=None):
    if capture is None:
        return client.post(CODE, {"code": code})
    with capture(execute=True):
        return client.post(CODE, {"code": code})


@pytest.fixture
def totp(utilisateur):
    appareil = TOTPDevice.objects.create(user=utilisateur, name="Téléphone pro", confirmed=True)
    return appareil, pyotp.TOTP(cle_en_base32(appareil.key))


def test_connexion_en_deux_etapes_avec_le_code_par_courriel(client, utilisateur, django_capture_on_commit_callbacks):
    reponse = mot_de_passe(client, utilisateur.email)
    assert reponse.status_code == 302 and reponse.url == CODE
    assert "_auth_user_id" not in client.session  # not logged in after the password alone
    assert client.get(reverse("organisation:mon_compte")).status_code == 302
    page = page_code(client, django_capture_on_commit_callbacks).content.decode()
    assert f"Un code à 6 chiffres vient d'être envoyé à <strong>{utilisateur.email}</strong>" in page
    (message,) = mail.outbox
    assert message.to == [utilisateur.email]
    assert "valable 10 minutes" in message.body
    cle_avant = client.session.session_key
    reponse = saisir_code(client, code_du_courriel(message))
    assert reponse.status_code == 302 and reponse.url == reverse("accueil")
    assert client.session.session_key != cle_avant  # new session key once logged in
    accueil = client.get(reverse("accueil")).content.decode()
    assert utilisateur.nom_complet in accueil
    assert "Première connexion" in accueil
    assert "Se déconnecter" in accueil


def test_la_derniere_connexion_est_affichee(client, utilisateur, django_capture_on_commit_callbacks):
    precedente = timezone.now() - timedelta(days=2)
    utilisateur.last_login = precedente
    utilisateur.save()
    mot_de_passe(client, utilisateur.email)
    page_code(client, django_capture_on_commit_callbacks)
    saisir_code(client, code_du_courriel(mail.outbox[-1]))
    page = client.get(reverse("accueil")).content.decode()
    assert f"Dernière connexion le {timezone.localtime(precedente):%d/%m/%Y à %H:%M}" in page


@pytest.mark.parametrize("email, mdp", [("inconnu@exemple.fr", MOT_DE_PASSE), (None, "mauvais-mot-de-passe")])
def test_mauvais_identifiants_meme_reponse(client, utilisateur, email, mdp):
    reponse = mot_de_passe(client, email or utilisateur.email, mdp)
    assert reponse.status_code == 200
    assert ECHEC.replace("'", "&#x27;") in reponse.content.decode()
    assert "preauth" not in client.session


def test_un_compte_non_active_ne_se_connecte_pas(client, db):
    inactif = UtilisateurFactory(is_active=False)
    reponse = mot_de_passe(client, inactif.email)
    assert ECHEC in reponse.content.decode()


def test_un_code_faux_est_refuse(client, utilisateur, django_capture_on_commit_callbacks):
    mot_de_passe(client, utilisateur.email)
    page_code(client, django_capture_on_commit_callbacks)
    bon = code_du_courriel(mail.outbox[-1])
    faux = f"{(int(bon) + 1) % 10**6:06d}"
    reponse = saisir_code(client, faux)
    assert "Le code saisi est incorrect." in reponse.content.decode()
    assert "_auth_user_id" not in client.session
    assert "Le code doit comporter 6 chiffres." in saisir_code(client, "12ab").content.decode()


def test_un_code_de_plus_de_10_minutes_est_refuse_et_la_page_en_renvoie_un(
    client, utilisateur, django_capture_on_commit_callbacks
):
    mot_de_passe(client, utilisateur.email)
    page_code(client, django_capture_on_commit_callbacks)
    ancien = code_du_courriel(mail.outbox[-1])
    with time_machine.travel(timezone.now() + timedelta(minutes=10, seconds=5)):
        reponse = saisir_code(client, ancien)
        assert "Ce code a expiré (il est valable 10 minutes)" in reponse.content.decode()
        assert "_auth_user_id" not in client.session
        page_code(client, django_capture_on_commit_callbacks)  # coming back sends a new code
        assert len(mail.outbox) == 2
        nouveau = code_du_courriel(mail.outbox[-1])
        assert saisir_code(client, nouveau).status_code == 302
    assert "_auth_user_id" in client.session


def test_revenir_sur_la_page_pendant_la_validite_n_envoie_pas_de_nouveau_code(
    client, utilisateur, django_capture_on_commit_callbacks
):
    mot_de_passe(client, utilisateur.email)
    page_code(client, django_capture_on_commit_callbacks)
    page_code(client, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1


def test_la_page_dit_quand_le_code_a_ete_envoye_et_jusqu_a_quand_il_vaut(
    client, utilisateur, django_capture_on_commit_callbacks
):
    envoi = datetime(2026, 12, 6, 13, 58, tzinfo=UTC)  # 14:58 in Paris
    with time_machine.travel(envoi, tick=False):
        mot_de_passe(client, utilisateur.email)
        page = page_code(client, django_capture_on_commit_callbacks).content.decode()
    assert len(mail.outbox) == 1
    assert (
        f"Un code à 6 chiffres vient d'être envoyé à <strong>{utilisateur.email}</strong> (expéditeur : Chorus Pro) "
        "à 14:58. Il est valable jusqu'à 15:08." in page
    )
    premier = code_du_courriel(mail.outbox[0])

    # a second login 4 minutes later (the first one was left at this page): the code mailed at 14:58 is still the one
    autre = Client()
    with time_machine.travel(envoi + timedelta(minutes=4), tick=False):
        mot_de_passe(autre, utilisateur.email)
        page = page_code(autre, django_capture_on_commit_callbacks).content.decode()
        assert len(mail.outbox) == 1  # no new mail…
        # …and the page does not claim one
        assert "vient d'être envoyé" not in page
        assert (
            f"Le code à 6 chiffres envoyé à <strong>{utilisateur.email}</strong> (expéditeur : Chorus Pro) à 14:58 "
            "reste valable jusqu'à 15:08" in page
        )
        assert "Recevoir un nouveau code</button>" in page

    # « Recevoir un nouveau code » mails one, and the page then tells its own times
    with time_machine.travel(envoi + timedelta(minutes=5), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            page = autre.post(reverse("organisation:code_renvoyer"), follow=True).content.decode()
        assert len(mail.outbox) == 2
        assert "Un nouveau code vient de vous être envoyé." in page
        assert "à 15:03 reste valable jusqu'à 15:13" in page
        # only the newest code logs in
        assert "incorrect" in saisir_code(autre, premier).content.decode()
    with time_machine.travel(envoi + timedelta(minutes=6), tick=False):
        assert saisir_code(autre, code_du_courriel(mail.outbox[1])).status_code == 302


def test_recevoir_un_nouveau_code_apres_une_minute(client, utilisateur, django_capture_on_commit_callbacks):
    mot_de_passe(client, utilisateur.email)
    page_code(client, django_capture_on_commit_callbacks)
    renvoyer = reverse("organisation:code_renvoyer")
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(renvoyer, follow=True)
    assert "patientez une minute" in reponse.content.decode()
    assert len(mail.outbox) == 1
    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        with django_capture_on_commit_callbacks(execute=True):
            reponse = client.post(renvoyer, follow=True)
        assert "Un nouveau code vient de vous être envoyé." in reponse.content.decode()
        assert len(mail.outbox) == 2
        # only the newest code is valid
        assert "incorrect" in saisir_code(client, code_du_courriel(mail.outbox[0])).content.decode()
        assert "patientez quelques secondes" in saisir_code(client, code_du_courriel(mail.outbox[1])).content.decode()
    with time_machine.travel(timezone.now() + timedelta(seconds=65)):  # past the throttling delay
        assert saisir_code(client, code_du_courriel(mail.outbox[1])).status_code == 302


def test_cinq_codes_faux_annulent_la_tentative_et_previennent_le_titulaire(
    client, utilisateur, django_capture_on_commit_callbacks
):
    mot_de_passe(client, utilisateur.email)
    page_code(client, django_capture_on_commit_callbacks)
    bon = code_du_courriel(mail.outbox[-1])
    faux = f"{(int(bon) + 1) % 10**6:06d}"
    for _ in range(4):
        # the device throttles: wait out its growing delay between attempts
        with time_machine.travel(timezone.now() + timedelta(minutes=1)):
            assert saisir_code(client, faux).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(minutes=1)):
        reponse = saisir_code(client, faux, django_capture_on_commit_callbacks)
    assert reponse.status_code == 302 and reponse.url == CONNEXION
    assert mail.outbox[-1].subject == "Chorus Pro – Tentative de connexion à votre compte"
    assert client.get(CODE).status_code == 302  # start again at the password
    assert "_auth_user_id" not in client.session


def test_verrouillage_apres_dix_mots_de_passe_faux(client, utilisateur, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert mot_de_passe(client, utilisateur.email, "mauvais-mot-de-passe").status_code == 200
    reponse = mot_de_passe(client, utilisateur.email, "mauvais-mot-de-passe")
    assert reponse.status_code == 429
    assert "la connexion est bloquée pendant 15 minutes" in reponse.content.decode()
    # even the right password is refused during the lock
    assert mot_de_passe(client, utilisateur.email).status_code == 429
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert mot_de_passe(client, utilisateur.email).status_code == 302


def test_dix_fautes_de_collegues_derriere_la_meme_adresse_ne_bloquent_personne(client, utilisateur, settings):
    """A ministry logs in from one NAT address: its agents' typos lock their own names, never the address."""
    for i in range(settings.AXES_FAILURE_LIMIT + 5):
        assert mot_de_passe(client, f"agent{i}@ministere.gouv.fr", "faute-de-frappe").status_code == 200
    assert mot_de_passe(client, utilisateur.email).status_code == 302


def test_une_adresse_qui_essaie_beaucoup_de_noms_est_bloquee(client, utilisateur, settings):
    """Credential stuffing: past VERROUILLAGE_IP_ECHECS failures, the address is locked whatever the name, even a
    right password; another address is not; after the cool-off, it logs in again."""
    settings.VERROUILLAGE_IP_ECHECS = 30
    for i in range(30):
        mot_de_passe(client, f"victime{i}@exemple.fr", "motdepasse123")
    reponse = mot_de_passe(client, utilisateur.email)
    assert reponse.status_code == 429
    assert "la connexion est bloquée pendant 15 minutes" in reponse.content.decode()
    assert client.post(CONNEXION, {"username": utilisateur.email, "password": MOT_DE_PASSE},
                       REMOTE_ADDR="198.51.100.7").status_code == 302  # fmt: skip
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        client.logout()
        assert mot_de_passe(client, utilisateur.email).status_code == 302


def test_une_adresse_inconnue_se_verrouille_pareil(client, db, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        reponse = mot_de_passe(client, "personne@exemple.fr", "x")
    assert reponse.status_code == 429


def test_connexion_avec_l_application(client, utilisateur, totp):
    appareil, generateur = totp
    with time_machine.travel(timezone.now(), tick=False):
        mot_de_passe(client, utilisateur.email)
        page = client.get(CODE).content.decode()
        assert "affiché par votre application d'authentification (« Téléphone pro »)" in page
        assert mail.outbox == []  # no mail once an application is declared
        assert saisir_code(client, generateur.now()).status_code == 302


def test_un_code_totp_ne_sert_qu_une_fois(client, utilisateur, totp):
    appareil, generateur = totp
    with time_machine.travel(timezone.now(), tick=False):
        code = generateur.now()
        mot_de_passe(client, utilisateur.email)
        assert saisir_code(client, code).status_code == 302
        client.post(reverse("organisation:deconnexion"))
        mot_de_passe(client, utilisateur.email)
        reponse = saisir_code(client, code)
        assert "Ce code a déjà été utilisé" in reponse.content.decode()
        assert "_auth_user_id" not in client.session


def test_la_page_demandee_est_retrouvee_apres_la_connexion(client, utilisateur, django_capture_on_commit_callbacks):
    reponse = client.get(reverse("organisation:mon_compte"))
    assert reponse.status_code == 302 and reponse.url.startswith(CONNEXION + "?next=")
    mot_de_passe(client, utilisateur.email, next="/mon-compte/")
    page_code(client, django_capture_on_commit_callbacks)
    assert saisir_code(client, code_du_courriel(mail.outbox[-1])).url == "/mon-compte/"


def test_une_redirection_vers_un_autre_site_est_ignoree(client, utilisateur, django_capture_on_commit_callbacks):
    mot_de_passe(client, utilisateur.email, next="https://pirate.example/")
    page_code(client, django_capture_on_commit_callbacks)
    assert saisir_code(client, code_du_courriel(mail.outbox[-1])).url == reverse("accueil")


def test_une_session_sans_second_facteur_est_fermee(client, utilisateur):
    client.force_login(utilisateur, backend="django.contrib.auth.backends.ModelBackend")
    reponse = client.get(reverse("organisation:mon_compte"))
    assert reponse.status_code == 302 and reponse.url.startswith(CONNEXION)
    assert "_auth_user_id" not in client.session


def test_la_session_expire_apres_30_minutes_d_inactivite(client, utilisateur):
    connecter(client, utilisateur)
    assert client.get(reverse("organisation:mon_compte")).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(minutes=29)):
        assert client.get(reverse("organisation:mon_compte")).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(minutes=29 + 31)):
        reponse = client.get(reverse("organisation:mon_compte"), follow=True)
        assert "Votre session a expiré" in reponse.content.decode()
        assert reponse.redirect_chain[0][0].startswith(CONNEXION)


def test_la_session_expire_apres_12_heures_meme_active(client, utilisateur):
    connecter(client, utilisateur)
    debut = timezone.now()
    for heures in range(1, 12):
        with time_machine.travel(debut + timedelta(hours=heures)):
            client.get(reverse("organisation:mon_compte"))  # regular activity
    with time_machine.travel(debut + timedelta(hours=12, minutes=5)):
        assert client.get(reverse("organisation:mon_compte")).status_code == 302


def test_la_deconnexion_ferme_la_session(client, utilisateur):
    connecter(client, utilisateur)
    reponse = client.post(reverse("organisation:deconnexion"), follow=True)
    assert "Vous êtes déconnecté." in reponse.content.decode()
    assert client.get(reverse("organisation:mon_compte")).status_code == 302


def test_sans_mot_de_passe_la_page_du_code_renvoie_a_la_connexion(client, db):
    assert client.get(CODE).url == CONNEXION


def test_un_identifiant_pigp_est_renvoye_vers_le_portail_de_la_gestion_publique(client, db):
    reponse = mot_de_passe(client, "jdupont-xt", "peu importe")
    assert "se connectent depuis le portail de la gestion publique (PIGP)" in reponse.content.decode()
    assert "preauth" not in client.session


def test_une_adresse_mal_formee_est_refusee_par_le_formulaire(client, db):
    reponse = mot_de_passe(client, "pas-une-adresse", "x")
    assert "n&#x27;est pas valide (format attendu : nom@domaine.fr)" in reponse.content.decode()
