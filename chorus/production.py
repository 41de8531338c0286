"""What must never reach production, checked at every start: Django's debug pages, the demo's tools (its mailbox
shows every login code and reset link to anyone) and a key everybody knows.

"Production" is a portal served beyond this machine: a host other than the local ones in ALLOWED_HOSTS, or cookies
reserved to HTTPS (only a deployment behind TLS sets them). The demo (`bin/run`) and the tests serve localhost over
plain http. These are system checks (runserver, migrate and `check --deploy` stop on them) and `chorus/wsgi.py`
runs them too, since a WSGI server such as gunicorn runs no system check.
"""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

HOTES_LOCAUX = {"127.0.0.1", "localhost", "::1", "[::1]", "testserver"}
# keys published with the code: the embedded DEBUG default and docker-compose's former placeholder
CLES_CONNUES = {"dev-insecure-key-only-for-the-embedded-default", "change-me"}


MESSAGE_CLE_ABSENTE = (
    "SECRET_KEY est obligatoire en production (DEBUG et DEMO désactivés) : fixez la variable d'environnement "
    "SECRET_KEY à une valeur aléatoire gardée secrète (par exemple python -c 'import secrets; "
    "print(secrets.token_urlsafe(50))')."
)


def cle_absente():
    # Django refuses to hand out an empty SECRET_KEY (ImproperlyConfigured on access)
    try:
        return not settings.SECRET_KEY
    except ImproperlyConfigured:
        return True


def _erreur_cle_absente():
    return checks.Error(MESSAGE_CLE_ABSENTE, id="chorus.E005")


def hotes_publics():
    return sorted(h for h in settings.ALLOWED_HOSTS if h and h not in HOTES_LOCAUX)


def est_production():
    return bool(hotes_publics()) or settings.SESSION_COOKIE_SECURE


def _ou():
    hotes = hotes_publics()
    return f"servi sur {', '.join(hotes)}" if hotes else "servi en HTTPS (COOKIES_SECURE)"


@checks.register(checks.Tags.security)
def verifier_production(app_configs=None, **kwargs):
    erreurs = []
    production = est_production()
    if settings.DEBUG and production:
        erreurs.append(
            checks.Error(
                f"DEBUG est activé alors que le portail est {_ou()} : les pages de débogage montrent le paramétrage "
                "et le code à tout visiteur.",
                hint="Retirez DEBUG=1 de l'environnement de production.",
                id="chorus.E001",
            )
        )
    if settings.DEMO and production:
        erreurs.append(
            checks.Error(
                f"DEMO est activé alors que le portail est {_ou()} : la boîte mail de démonstration publie les "
                "codes de connexion et les liens de réinitialisation de chaque utilisateur.",
                hint="DEMO=1 est réservé à la démonstration locale (bin/run) : retirez-le.",
                id="chorus.E002",
            )
        )
    if not cle_absente() and settings.SECRET_KEY in CLES_CONNUES and (production or not settings.DEBUG):
        erreurs.append(
            checks.Error(
                "SECRET_KEY est une clé publiée avec le code : n'importe qui peut signer des sessions et des liens.",
                hint="Tirez une clé au hasard : python -c 'import secrets; print(secrets.token_urlsafe(50))'.",
                id="chorus.E003",
            )
        )
    return erreurs


@checks.register(checks.Tags.security, deploy=True)
def verifier_deploiement(app_configs=None, **kwargs):
    """`check --deploy` describes production even when run from a local shell: DEMO has no place there, nor a
    missing key."""
    if cle_absente():
        return [_erreur_cle_absente()]
    if settings.DEMO and not est_production():
        return [
            checks.Error(
                "DEMO est activé : la boîte mail de démonstration publie les codes de connexion.",
                hint="DEMO=1 est réservé à la démonstration locale (bin/run).",
                id="chorus.E004",
            )
        ]
    return []


def refuser_si_production_dangereuse():
    """Stop a server's start (the WSGI application, the Celery worker and beat) on any error above, or without a
    key: better no portal than one that gives its accounts away or fails on its first request."""
    erreurs = ([_erreur_cle_absente()] if cle_absente() else []) + verifier_production()
    if erreurs:
        raise ImproperlyConfigured(" ; ".join(f"{e.id} : {e.msg}" for e in erreurs))
