from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, Http404
from django.shortcuts import render

from chorus.mail import lire_boite
from organisation.matelas import CHEMIN_MATELAS


@login_not_required
def boite_mail(request):
    """The demo mailbox: the mails the portal sent, newest first, so links and codes can be followed."""
    if not settings.DEMO:
        raise Http404
    return render(request, "demo/boite_mail.html", {"messages_recus": lire_boite()})


@login_not_required
def matelas(request):
    """The demo accounts table, as the qualification portal provides it."""
    if not settings.DEMO or not CHEMIN_MATELAS().exists():
        raise Http404
    return FileResponse(CHEMIN_MATELAS().open("rb"), as_attachment=True, filename="matelas.csv")
