"""Security keys (WebAuthn, FIDO2): another second factor, next to the code by mail or from the application.

Adding one happens in a verified session; removing one needs a fresh code of the login factor, as for the
application, so that a session left open is not enough to strip the account of a factor."""

from django_otp_webauthn.utils import get_credential_model

from chorus.courriels import courriel_programmer
from chorus.exceptions import ApplicationError
from organisation.services import second_facteur

NOM_CLE_DEFAUT = "Clé de sécurité"
NOM_CLE_LONGUEUR_MAX = 64  # django_otp's Device.name

WebAuthnCredential = get_credential_model()


def cles_de(utilisateur):
    return WebAuthnCredential.objects.filter(user=utilisateur, confirmed=True).order_by("created_at", "pk")


def a_une_cle(utilisateur):
    return cles_de(utilisateur).exists()


def nom_de_cle(nom):
    nom = " ".join(str(nom or "").split())
    if len(nom) > NOM_CLE_LONGUEUR_MAX:
        raise ApplicationError(
            f"Le nom de la clé ne doit pas dépasser {NOM_CLE_LONGUEUR_MAX} caractères.", champ="nom"
        )
    return nom or NOM_CLE_DEFAUT


def cle_ajoutee(*, utilisateur, cle, nom):
    """Name the key the registration ceremony has just saved, and tell the holder."""
    cle.name = nom
    cle.save(update_fields=["name"])
    courriel_programmer(
        gabarit="organisation/email/cle_ajoutee",
        destinataire=utilisateur.email,
        contexte={"utilisateur": utilisateur, "nom": cle.name},
    )
    return cle


def cle_supprimer(*, utilisateur, cle, code):
    """Remove a key once a fresh code of the login factor is given; returns that factor, now the session's.

    Not atomic on purpose: a wrong code must still count for django-otp's throttling, which a rolled-back
    savepoint would undo."""
    if cle.user_id != utilisateur.pk:
        raise ApplicationError("Cette clé de sécurité n'est pas enregistrée sur votre compte.")
    appareil = second_facteur.facteur_de_connexion(utilisateur)
    second_facteur.code_verifier(appareil=appareil, code=code)
    nom = cle.name
    cle.delete()
    courriel_programmer(
        gabarit="organisation/email/cle_supprimee",
        destinataire=utilisateur.email,
        contexte={"utilisateur": utilisateur, "nom": nom},
    )
    return appareil
