"""How often « mot de passe oublié » may mail: once per window to an address, a few requests per window from one
client (IP). The page answers the same whatever is decided here, so the throttle reveals no account."""

from datetime import timedelta

from chorus import debits

# The reset link is valid one hour; one mail a quarter of an hour lets a holder who lost it ask again soon, and keeps
# anyone from filling a box with them.
FENETRE_COURRIEL = timedelta(minutes=15)
# A client asking for many addresses is probing or flooding; 20 an hour still leaves room for one office behind a
# shared address (a ministry's NAT) on a bad morning.
DEMANDES_PAR_IP = 20
FENETRE_IP = timedelta(hours=1)


def reinitialisation_permise(adresse, ip):
    """Whether a reset mail may go to `adresse` for a request from `ip`; counts the request."""
    if debits.compter(debits.cle("reinitialisation-ip", ip), FENETRE_IP) > DEMANDES_PAR_IP:
        return False
    return debits.premiere_fois(debits.cle("reinitialisation-adresse", adresse.strip()), FENETRE_COURRIEL)
