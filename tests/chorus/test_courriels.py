from datetime import timedelta

import time_machine
from django.core import mail
from django.utils import timezone

from chorus import courriels
from chorus.mail import BoiteFichiersBackend, lire_boite
from chorus.models import Courriel
from chorus.tasks import relancer_courriels_en_souffrance
from tests.conftest import connecter
from tests.factories import UtilisateurFactory


def test_le_courriel_part_apres_le_commit_et_son_corps_est_efface(db, django_capture_on_commit_callbacks):
    utilisateur = UtilisateurFactory(prenom="Jeanne", nom="d'Arc")
    with django_capture_on_commit_callbacks(execute=True):
        courriels.courriel_programmer(
            gabarit="organisation/email/tentative_connexion",
            destinataire=utilisateur.email,
            contexte={"utilisateur": utilisateur},
        )
        assert mail.outbox == []  # nothing leaves before the commit
    (message,) = mail.outbox
    assert message.to == [utilisateur.email]
    assert message.subject == "Chorus Pro – Tentative de connexion à votre compte"
    assert "Bonjour Jeanne d'Arc," in message.body  # plain text, not HTML-escaped
    courriel = Courriel.objects.get()
    assert courriel.envoye_le is not None and courriel.corps == ""


def test_un_courriel_programme_dans_une_transaction_annulee_ne_part_pas(db, django_capture_on_commit_callbacks):
    utilisateur = UtilisateurFactory()
    with django_capture_on_commit_callbacks(execute=False) as rappels:
        courriels.courriel_programmer(
            gabarit="organisation/email/tentative_connexion",
            destinataire=utilisateur.email,
            contexte={"utilisateur": utilisateur},
        )
    assert len(rappels) == 1  # queued only through on_commit: a rollback drops it
    assert mail.outbox == []


def test_envoyer_deux_fois_n_envoie_qu_une_fois(db, django_capture_on_commit_callbacks):
    utilisateur = UtilisateurFactory()
    with django_capture_on_commit_callbacks(execute=False):
        courriel = courriels.courriel_programmer(
            gabarit="organisation/email/tentative_connexion",
            destinataire=utilisateur.email,
            contexte={"utilisateur": utilisateur},
        )
    assert courriels.courriel_envoyer(courriel_id=courriel.pk) is True
    assert courriels.courriel_envoyer(courriel_id=courriel.pk) is False
    assert len(mail.outbox) == 1


def test_le_balayeur_envoie_un_courriel_dont_la_tache_a_ete_perdue(db, django_capture_on_commit_callbacks):
    utilisateur = UtilisateurFactory()
    with django_capture_on_commit_callbacks(execute=False):  # the task message is lost
        courriels.courriel_programmer(
            gabarit="organisation/email/tentative_connexion",
            destinataire=utilisateur.email,
            contexte={"utilisateur": utilisateur},
        )
    relancer_courriels_en_souffrance()
    assert mail.outbox == []  # too recent: its task may still be on its way
    with time_machine.travel(timezone.now() + timedelta(minutes=3)):
        relancer_courriels_en_souffrance()
    assert len(mail.outbox) == 1


def test_la_boite_fichiers_se_relit_du_plus_recent_au_plus_ancien(tmp_path):
    from django.core.mail import EmailMessage

    backend = BoiteFichiersBackend(dossier=tmp_path)
    backend.send_messages([EmailMessage("Premier", "Corps é 1", "a@exemple.fr", ["b@exemple.fr"])])
    backend.send_messages([EmailMessage("Second", "Corps 2 : 123456", "a@exemple.fr", ["c@exemple.fr"])])
    boite = lire_boite(tmp_path)
    assert [m.objet for m in boite] == ["Second", "Premier"]
    assert boite[0].destinataires == "c@exemple.fr"
    assert "123456" in boite[0].corps
    assert boite[1].corps.strip() == "Corps é 1"


def _en_attente(adresses):
    with time_machine.travel(timezone.now() - timedelta(minutes=5)):
        for adresse in adresses:
            Courriel.objects.create(gabarit="g", destinataire=adresse, objet=f"Pour {adresse}", corps="Bonjour,\n")


def test_le_balayeur_s_arrete_quand_le_serveur_est_injoignable(db, monkeypatch):
    import smtplib

    _en_attente(["a@exemple.fr", "b@exemple.fr"])

    def injoignable(self, messages):
        raise smtplib.SMTPServerDisconnected("injoignable")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", injoignable)
    assert relancer_courriels_en_souffrance() == 0  # one try, then the next sweep
    assert Courriel.objects.filter(envoye_le__isnull=True).count() == 2


def test_une_adresse_refusee_n_arrete_pas_les_autres(db, monkeypatch):
    import smtplib

    from django.core.mail.backends.locmem import EmailBackend

    _en_attente(["refusee@exemple.fr", "ok@exemple.fr", "refusee@exemple.fr"])
    envoyer = EmailBackend.send_messages

    def refuser(self, messages):
        if messages[0].to == ["refusee@exemple.fr"]:
            raise smtplib.SMTPRecipientsRefused({"refusee@exemple.fr": (550, b"inconnue")})
        return envoyer(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", refuser)
    assert relancer_courriels_en_souffrance() == 1
    assert [m.to for m in mail.outbox] == [["ok@exemple.fr"]]


def test_un_courriel_part_apres_les_plus_anciens_de_la_meme_adresse(db):
    _en_attente(["a@exemple.fr", "b@exemple.fr", "a@exemple.fr"])
    dernier = Courriel.objects.order_by("pk").last()
    assert courriels.courriel_envoyer(courriel_id=dernier.pk) is True
    assert [m.to for m in mail.outbox] == [["a@exemple.fr"], ["a@exemple.fr"]]
    assert Courriel.objects.get(destinataire="b@exemple.fr").envoye_le is None


def _port_ferme():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_un_envoi_refuse_par_le_serveur_est_note_sur_le_courriel_puis_il_part(db, settings, client, admin_user):
    """A real SMTP connection to a closed port: the failure is on the row (and in the admin), not lost with the
    rolled-back attempt; once the server answers, the mail leaves and keeps the trace of its late start."""
    import pytest

    _en_attente(["retard@exemple.fr"])
    courriel = Courriel.objects.get()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", _port_ferme(), 2
    with pytest.raises(OSError):
        courriels.courriel_envoyer(courriel_id=courriel.pk)
    courriel.refresh_from_db()
    assert courriel.envoye_le is None and courriel.tentatives == 1
    assert courriel.derniere_erreur.startswith("ConnectionRefusedError")
    assert courriel.dernier_echec_le is not None

    connecter(client, admin_user)  # the admin is reached after the portal's second factor
    page = client.get("/admin/chorus/courriel/?envoi=echec")
    assert "retard@exemple.fr" in page.content.decode()
    assert "retard@exemple.fr" not in client.get("/admin/chorus/courriel/?envoi=envoye").content.decode()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert courriels.courriel_envoyer(courriel_id=courriel.pk) is True
    courriel.refresh_from_db()
    assert courriel.envoye_le is not None and courriel.tentatives == 2
    assert courriel.derniere_erreur.startswith("ConnectionRefusedError")  # why it left late
    assert [m.to for m in mail.outbox] == [["retard@exemple.fr"]]
