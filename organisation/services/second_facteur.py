"""Second factor: the code by mail while no application is declared, then the TOTP application (one per
account), and security keys (organisation.services.cle_securite). Replacing or removing the application needs a
fresh code from it.

A code is checked outside the write's transaction: django-otp records a wrong code (its throttling delay) in the
database, and a rollback would erase that record and let codes be tried at full speed."""

import base64

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from chorus.chiffres import que_des_chiffres
from chorus.courriels import courriel_programmer
from chorus.exceptions import ApplicationError
from organisation.models import CodeCourriel

NOM_APPAREIL_DEFAUT = "Application d'authentification"


class CodeRefuse(ApplicationError):
    pass


def application_declaree(utilisateur):
    return TOTPDevice.objects.filter(user=utilisateur, confirmed=True).first()


def appareil_code_courriel(utilisateur):
    appareil, _ = CodeCourriel.objects.get_or_create(
        user=utilisateur, defaults={"name": "Adresse électronique de connexion", "confirmed": True}
    )
    return appareil


def facteur_de_connexion(utilisateur):
    """The factor login asks for: the declared application, otherwise the code by mail."""
    return application_declaree(utilisateur) or appareil_code_courriel(utilisateur)


@transaction.atomic
def code_courriel_envoyer(*, utilisateur, forcer=False):
    """Mail a fresh code unless one still valid was sent less than a minute ago. Returns True if one was sent."""
    appareil = CodeCourriel.objects.select_for_update().get(pk=appareil_code_courriel(utilisateur).pk)
    recent = appareil.envoye_le and timezone.now() - appareil.envoye_le < settings.CODE_COURRIEL_DELAI_RENVOI
    if appareil.code_en_cours and (recent or not forcer):
        return False
    code = appareil.nouveau_code()
    courriel_programmer(
        gabarit="organisation/email/code_connexion",
        destinataire=utilisateur.email,
        contexte={
            "utilisateur": utilisateur,
            "code": code,
            "minutes": int(settings.CODE_COURRIEL_VALIDITE.total_seconds() // 60),
        },
    )
    return True


def _totp(cle_hex):
    return TOTP(bytes.fromhex(cle_hex), step=30, t0=0, digits=6, drift=0)


def code_verifier(*, appareil, code):
    """Check a code against the factor; on refusal, say why in French."""
    code = "".join(str(code).split())
    if not (que_des_chiffres(code) and len(code) == 6):
        raise CodeRefuse("Le code doit comporter 6 chiffres.", champ="code")
    allowed, _ = appareil.verify_is_allowed()
    if not allowed:
        raise CodeRefuse("Trop de codes erronés : patientez quelques secondes avant de réessayer.", champ="code")
    if isinstance(appareil, TOTPDevice):
        if appareil.verify_token(code):
            return
        # Refused although it matches the current time step: django-otp saw it already (no replay allowed).
        if _totp(appareil.key).verify(int(code), tolerance=appareil.tolerance):
            raise CodeRefuse(
                "Ce code a déjà été utilisé. Attendez le code suivant affiché par votre application.", champ="code"
            )
        raise CodeRefuse("Le code saisi est incorrect ou a expiré.", champ="code")
    if appareil.correspond(code) and not appareil.code_en_cours:
        raise CodeRefuse("Ce code a expiré (il est valable 10 minutes). Demandez un nouveau code.", champ="code")
    if not appareil.verify_token(code):
        raise CodeRefuse("Le code saisi est incorrect.", champ="code")


def nouvelle_cle():
    """160 random bits, shown once to the user while declaring an application."""
    return random_hex(20)


def cle_en_base32(cle_hex):
    return base64.b32encode(bytes.fromhex(cle_hex)).decode().rstrip("=")


def url_configuration(*, utilisateur, cle_hex):
    appareil = TOTPDevice(user=utilisateur, key=cle_hex, name=NOM_APPAREIL_DEFAUT)
    return appareil.config_url


def verifier_facteur_actuel(*, utilisateur, code):
    """Replacing or removing the application needs a fresh code from it."""
    appareil = application_declaree(utilisateur)
    if appareil is None:
        raise ApplicationError("Aucune application n'est déclarée.")
    code_verifier(appareil=appareil, code=code)
    return appareil


def application_declarer(*, utilisateur, cle_hex, code, nom, code_actuel=None):
    """Declare (or replace, with a code from the current one) the account's single application."""
    actuelle = application_declaree(utilisateur)
    if actuelle is not None:
        if not code_actuel:
            raise ApplicationError(
                "Une application est déjà déclarée : saisissez un code de l'application actuelle pour la remplacer.",
                champ="code_actuel",
            )
        try:
            verifier_facteur_actuel(utilisateur=utilisateur, code=code_actuel)
        except CodeRefuse as erreur:
            raise CodeRefuse(erreur.message, champ="code_actuel") from None
    nouvelle = TOTPDevice(user=utilisateur, key=cle_hex, name=(nom or "").strip() or NOM_APPAREIL_DEFAUT)
    nouvelle.confirmed = False
    code = "".join(str(code).split())
    if not (que_des_chiffres(code) and len(code) == 6):
        raise CodeRefuse("Le code doit comporter 6 chiffres.", champ="code")
    totp = _totp(cle_hex)
    if not totp.verify(int(code), tolerance=1):
        raise CodeRefuse(
            "Le code saisi ne correspond pas à l'application : vérifiez l'heure de votre téléphone et saisissez "
            "le code affiché.",
            champ="code",
        )
    with transaction.atomic():
        TOTPDevice.objects.filter(user=utilisateur).delete()
        nouvelle.confirmed = True
        nouvelle.last_t = totp.t()  # this code is spent: login will need the next one
        nouvelle.save()
        courriel_programmer(
            gabarit="organisation/email/facteur_ajoute",
            destinataire=utilisateur.email,
            contexte={"utilisateur": utilisateur, "nom": nouvelle.name, "remplacement": actuelle is not None},
        )
    return nouvelle


def application_supprimer(*, utilisateur, code):
    appareil = verifier_facteur_actuel(utilisateur=utilisateur, code=code)
    nom = appareil.name
    with transaction.atomic():
        appareil.delete()
        courriel_programmer(
            gabarit="organisation/email/facteur_supprime",
            destinataire=utilisateur.email,
            contexte={"utilisateur": utilisateur, "nom": nom},
        )
