"""« Mes messages » (menu COMMUNICATION, chorus-pro-features.md row 102): the user's notifications, read or not,
each linked to its object. Reads: communication.selectors; writes: communication.services."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from communication import selectors
from communication.forms import MesMessagesForm
from communication.services import lien_local, notification_marquer_lue, toutes_marquer_lues

PAR_PAGE = 20


def _retour(request):
    """Back to the list as it was (filters, page), from the hidden field of the forms: re-encoded as a query string
    of the list, so nothing else can be followed."""
    parametres = QueryDict(request.POST.get("parametres", "")).urlencode()
    url = reverse("communication:mes_messages")
    return f"{url}?{parametres}" if parametres else url


@require_GET
def mes_messages(request):
    form = MesMessagesForm(request.GET or None)
    c = form.criteres()
    qs = form.filtrer(
        selectors.notifications_liste(request.user, etat=c["etat"], categorie=c["categorie"], tri=c["tri"])
    )
    page = Paginator(qs, PAR_PAGE).get_page(request.GET.get("page"))
    contexte = {
        "form": form,
        "page_obj": page,
        "parametres_page": request.GET.urlencode(),
        "non_lus": selectors.non_lues_compte(request.user),
    }
    return render(request, "communication/mes_messages.html", contexte)


@require_GET
def ouvrir(request, pk):
    """A link, so that it opens like any other (new tab, keyboard): marking one's own message read is harmless to
    repeat. Goes to the message's object, only ever a path of the portal."""
    notification = selectors.notification_ou_404(request.user, pk)
    notification_marquer_lue(notification=notification, par=request.user)
    if notification.lien and lien_local(notification.lien):
        return redirect(notification.lien)
    return redirect("communication:mes_messages")


@require_POST
def marquer_lue(request, pk):
    notification = selectors.notification_ou_404(request.user, pk)
    notification_marquer_lue(notification=notification, par=request.user)
    messages.success(request, f"Le message « {notification.titre} » est marqué comme lu.")
    return redirect(_retour(request))


@require_POST
def tout_marquer_lu(request):
    nombre = toutes_marquer_lues(par=request.user)
    if nombre:
        pluriel = "s" if nombre > 1 else ""
        messages.success(request, f"{nombre} message{pluriel} marqué{pluriel} comme lu{pluriel}.")
    else:
        messages.info(request, "Vous n'avez aucun message non lu.")
    return redirect(_retour(request))


@never_cache
@require_GET
def non_lus(request):
    """The unread count for the header's script: pages themselves pay no query for it."""
    return JsonResponse({"non_lus": selectors.non_lues_compte(request.user)})
