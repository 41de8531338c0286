"""The rejection pop-up « at login » (row 41): shown once per login, on the first page that includes it, when the
user has rejections to acknowledge.

Whether there are any is asked once, when the user logs in (signal user_logged_in), and kept in the session: the
pages that follow pay no query for a pop-up that has nothing to show.
"""

from facturation.selectors.emises import rejets_a_acquitter

CLE_POPUP_REJETS = "facturation_popup_rejets"
# the window lists the oldest ones; « Tout acquitter et fermer » acknowledges every one of them
REJETS_MONTRES_MAX = 50


def marquer_a_la_connexion(sender, request, user, **kwargs):
    session = getattr(request, "session", None)
    if session is not None and rejets_a_acquitter(user).exists():
        session[CLE_POPUP_REJETS] = True


def rejets_a_montrer(request):
    """The rejections to list now, or [] ; the pop-up is then shown for this login."""
    user = getattr(request, "user", None)
    session = getattr(request, "session", None)
    if user is None or session is None or not user.is_authenticated:
        return []
    if not session.pop(CLE_POPUP_REJETS, False):
        return []
    return list(rejets_a_acquitter(user)[: REJETS_MONTRES_MAX + 1])


def montrer_a_nouveau(request):
    """After acknowledging some of them, the remaining rejections come back on the next page."""
    request.session[CLE_POPUP_REJETS] = True
