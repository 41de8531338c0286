"""The two-step login. Between the password and the code, the session holds a "pre-authentication" (the user's
id, when, how many wrong codes); the user is logged in, with a new session key, only once the code is right."""

from datetime import datetime, timedelta

from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import login
from django.db.models import Sum
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login

from organisation.middleware import CLE_CONNECTE_LE, CLE_DERNIERE_ACTIVITE
from organisation.models import Utilisateur

CLE_PREAUTH = "preauth"
PREAUTH_VALIDITE = timedelta(minutes=15)


def adresse_ip_verrouillee(request):
    """Has the client's address failed VERROUILLAGE_IP_ECHECS logins within the cool-off, whatever the names tried?
    (django-axes counts per name; its rows also carry the address, so one sum answers for the address.)"""
    ip = get_client_ip_address(request)
    if not ip:
        return False
    depuis = timezone.now() - settings.AXES_COOLOFF_TIME
    echecs = AccessAttempt.objects.filter(ip_address=ip, attempt_time__gte=depuis).aggregate(
        n=Sum("failures_since_start")
    )
    return (echecs["n"] or 0) >= settings.VERROUILLAGE_IP_ECHECS


def suivant_sur(request, suivant):
    if suivant and url_has_allowed_host_and_scheme(suivant, {request.get_host()}, require_https=request.is_secure()):
        return suivant
    return None


def preauth_commencer(request, utilisateur, suivant=None):
    request.session.cycle_key()
    request.session[CLE_PREAUTH] = {
        "uid": utilisateur.pk,
        "le": timezone.now().isoformat(),
        "essais": 0,
        "suivant": suivant_sur(request, suivant),
    }


def preauth_lire(request):
    """The user who gave the right password in this browser less than 15 minutes ago, or None."""
    preauth = request.session.get(CLE_PREAUTH)
    if not preauth:
        return None
    if timezone.now() - datetime.fromisoformat(preauth["le"]) > PREAUTH_VALIDITE:
        request.session.pop(CLE_PREAUTH, None)
        return None
    return Utilisateur.objects.filter(pk=preauth["uid"], is_active=True).first()


def preauth_compter_erreur(request):
    """Count a wrong code; returns True when the attempt must start over at the password step."""
    preauth = request.session[CLE_PREAUTH]
    preauth["essais"] += 1
    request.session[CLE_PREAUTH] = preauth
    if preauth["essais"] >= settings.CODE_ESSAIS_MAX:
        request.session.pop(CLE_PREAUTH, None)
        return True
    return False


def preauth_abandonner(request):
    request.session.pop(CLE_PREAUTH, None)


def connexion_terminer(request, utilisateur, appareil):
    """Log in for real: new session key, verified second factor, "Dernière connexion le …" kept."""
    suivant = request.session.get(CLE_PREAUTH, {}).get("suivant")
    precedente = utilisateur.last_login
    preauth_abandonner(request)
    login(request, utilisateur, backend="django.contrib.auth.backends.ModelBackend")
    otp_login(request, appareil)
    Utilisateur.objects.filter(pk=utilisateur.pk).update(connexion_precedente=precedente)
    utilisateur.connexion_precedente = precedente
    now = timezone.now().isoformat()
    request.session[CLE_CONNECTE_LE] = now
    request.session[CLE_DERNIERE_ACTIVITE] = now
    return suivant
