"""Signed links for requesters without an account: nothing is stored, the signature is the proof.

The confirmation link opens a ticket filed logged out; the follow-up link (sent in every mail of the thread) lets
its requester read, answer, close and reopen it. Each mail carries a fresh follow-up link."""

from django.conf import settings
from django.core import signing
from django.urls import reverse

from support.workflow import DELAI_REOUVERTURE

VALIDITE_CONFIRMATION = 24 * 3600  # as the login-address change link
# long enough for the last mail's link to serve the whole reopening window, with a fortnight to spare
VALIDITE_SUIVI = int(DELAI_REOUVERTURE.total_seconds()) + 15 * 24 * 3600

SEL_CONFIRMATION = "support.sollicitation.confirmation"
SEL_SUIVI = "support.sollicitation.suivi"


class LienRefuse(Exception):
    def __init__(self, message, *, expire=False):
        super().__init__(message)
        self.message = message
        self.expire = expire


def _signer(sel):
    return signing.TimestampSigner(salt=sel)


def jeton(sollicitation, sel):
    return _signer(sel).sign_object({"s": sollicitation.pk, "e": sollicitation.demandeur_email.lower()})


def lire(jeton_recu, sel, validite):
    """(ticket id, e-mail) from a link, or LienRefuse saying why."""
    try:
        donnees = _signer(sel).unsign_object(jeton_recu, max_age=validite)
    except signing.SignatureExpired:
        raise LienRefuse(
            "Ce lien a expiré. Utilisez le lien du dernier courriel reçu pour cette sollicitation.", expire=True
        ) from None
    except signing.BadSignature:
        raise LienRefuse("Ce lien n'est pas valide. Vérifiez qu'il a été copié en entier.") from None
    return donnees["s"], donnees["e"]


def url_confirmation(sollicitation):
    chemin = reverse("support:demande_confirmer", args=[jeton(sollicitation, SEL_CONFIRMATION)])
    return settings.URL_PORTAIL + chemin


def url_suivi(sollicitation):
    """Where the requester follows the ticket: the signed page without an account, the « émises » page with one."""
    if sollicitation.demandeur_id:
        chemin = reverse("support:emise", args=[sollicitation.pk])
    else:
        chemin = reverse("support:demande_suivi", args=[jeton(sollicitation, SEL_SUIVI)])
    return settings.URL_PORTAIL + chemin


def url_traitement(sollicitation):
    if sollicitation.pour_le_support:
        chemin = reverse("support:agent_sollicitation", args=[sollicitation.pk])
    else:
        chemin = reverse("support:recue", args=[sollicitation.pk])
    return settings.URL_PORTAIL + chemin
