from datetime import datetime, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.utils import timezone

from organisation.habilitations import une_lecture_par_requete

CLE_CONNECTE_LE = "connecte_le"
CLE_DERNIERE_ACTIVITE = "derniere_activite"


class SecondFacteurObligatoireMiddleware:
    """No session is authenticated without a verified second factor: a session that is (admin login, an old
    cookie) is ended and sent back to the login page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not user.is_verified():
            logout(request)
            return redirect(settings.LOGIN_URL)
        return self.get_response(request)


class ExpirationSessionMiddleware:
    """30 minutes of inactivity or 12 hours in all end a session."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = timezone.now()
            connecte_le = request.session.get(CLE_CONNECTE_LE)
            derniere = request.session.get(CLE_DERNIERE_ACTIVITE)
            expiree = (
                connecte_le is None
                or now - datetime.fromisoformat(connecte_le) > settings.SESSION_ABSOLUE_MAX
                or (derniere and now - datetime.fromisoformat(derniere) > settings.SESSION_INACTIVITE_MAX)
            )
            if expiree:
                logout(request)
                messages.info(request, "Votre session a expiré. Veuillez vous reconnecter.")
                return redirect_to_login(request.get_full_path())
            # written at most once a minute: a session write on every request would cost a query each time
            if derniere is None or now - datetime.fromisoformat(derniere) > timedelta(minutes=1):
                request.session[CLE_DERNIERE_ACTIVITE] = now.isoformat()
        return self.get_response(request)


class LecturesParRequeteMiddleware:
    """A GET or HEAD request reads the user's attachments and profiles once (organisation.habilitations.profils):
    the header, the list's rows, its counters and its form share them. Only these methods, which write no profile; a
    write that happens anyway (signals) forgets what was read. An API call (a POST) enters the same memo in its view
    (raccordement.api.vues.ServiceCpro.dispatch)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        with une_lecture_par_requete():
            return self.get_response(request)
