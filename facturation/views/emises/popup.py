"""The rejection pop-up « at login » (row 41): shown once per login, on the first page that includes it, when the
user has rejections to acknowledge. The session remembers the login it was shown for (CLE_CONNECTE_LE), so a new
login shows it again and the following pages of the same session do not."""

from facturation.selectors.emises import rejets_a_acquitter
from organisation.middleware import CLE_CONNECTE_LE

CLE_POPUP_REJETS = "facturation_popup_rejets_montre_pour"


def rejets_a_montrer(request):
    """The rejections to list now, or [] ; marks the pop-up as shown for this login."""
    user = getattr(request, "user", None)
    session = getattr(request, "session", None)
    if user is None or session is None or not user.is_authenticated:
        return []
    connexion = session.get(CLE_CONNECTE_LE)
    if connexion is None or session.get(CLE_POPUP_REJETS) == connexion:
        return []
    session[CLE_POPUP_REJETS] = connexion
    return list(rejets_a_acquitter(user))


def montrer_a_nouveau(request):
    """After acknowledging some of them, the remaining rejections come back on the next page."""
    request.session.pop(CLE_POPUP_REJETS, None)
