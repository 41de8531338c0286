"""Guessing held back at the API's two doors. A technical account (`cpro-account`) is locked after repeated
failures, its structure's gestionnaires told once per lock; the token endpoint refuses, for a while, a client id or
an IP that failed too often. An unknown login or client id is counted and locked exactly like a real one, so that
neither the answers nor the locks tell which exist. Counts in the shared cache (chorus.debits)."""

from datetime import timedelta
from typing import NamedTuple

from django.core.cache import cache

from chorus import debits
from chorus.courriels import courriel_programmer

# Ten failures then fifteen minutes, as the portal's own login (settings.AXES_FAILURE_LIMIT, AXES_COOLOFF_TIME): a
# software with a stale password notices within a few calls, and ten guesses a quarter of an hour are nothing
# against a generated password of 20+ characters. The lock is per login and logins are predictable, so anyone may
# lock an account: 15 minutes bounds that harm, and the mail tells the gestionnaires who can renew the password.
ECHECS_AVANT_VERROUILLAGE = 10
DUREE_VERROUILLAGE = timedelta(minutes=15)

# Token endpoint: the same ten failures a quarter of an hour per client id; per IP, as many as a hundred (one
# integrator's servers behind one address may hold many clients; settings.VERROUILLAGE_IP_ECHECS for the portal).
ECHECS_JETON_PAR_CLIENT = 10
ECHECS_JETON_PAR_IP = 100
FENETRE_JETON = timedelta(minutes=15)

MINUTES_VERROUILLAGE = int(DUREE_VERROUILLAGE.total_seconds() // 60)


def _verrou(login):
    return debits.cle("compte-technique-verrou", login)


def compte_verrouille(login):
    return bool(debits.compte(_verrou(login)))


class EtatDuCompte(NamedTuple):
    verrouille: bool
    echecs: int
    memorise: bool


def etat_du_compte(login, cle_memoire=None):
    """What an API call needs from the shared cache before it checks a password, read in one round trip: the lock,
    the failures counted (a success forgets them, and only then writes), and whether identifiants_memorises holds
    this very password (`cle_memoire`, None for an unknown login)."""
    verrou, echecs = _verrou(login), debits.cle("compte-technique-echecs", login)
    valeurs = cache.get_many([verrou, echecs, *([cle_memoire] if cle_memoire else [])])
    return EtatDuCompte(bool(valeurs.get(verrou)), valeurs.get(echecs, 0), valeurs.get(cle_memoire) is True)


def compte_echec(login, compte):
    """Count a failure for `login` (`compte`: its CompteTechnique, None if unknown); lock it at the threshold and
    mail the structure's gestionnaires, once per lock, when the transaction commits."""
    echecs = debits.compter(debits.cle("compte-technique-echecs", login), DUREE_VERROUILLAGE)
    if echecs < ECHECS_AVANT_VERROUILLAGE or not debits.premiere_fois(_verrou(login), DUREE_VERROUILLAGE):
        return
    debits.oublier(debits.cle("compte-technique-echecs", login))
    if compte is None:
        return
    from organisation.services.rattachements import gestionnaires

    for gestionnaire in gestionnaires(compte.structure):
        courriel_programmer(
            gabarit="raccordement/email/compte_technique_verrouille",
            destinataire=gestionnaire.email,
            contexte={
                "gestionnaire": gestionnaire,
                "compte": compte,
                "structure": compte.structure,
                "echecs": ECHECS_AVANT_VERROUILLAGE,
                "minutes": MINUTES_VERROUILLAGE,
            },
        )


def compte_succes(login):
    debits.oublier(debits.cle("compte-technique-echecs", login))


def _cles_jeton(client_id, ip):
    return (
        (debits.cle("jeton-echecs-client", client_id or ""), ECHECS_JETON_PAR_CLIENT),
        (debits.cle("jeton-echecs-ip", ip or ""), ECHECS_JETON_PAR_IP),
    )


def jeton_freine(client_id, ip):
    """Whether the token endpoint holds back this client id or this IP (too many failures in the window)."""
    return any(debits.compte(cle) >= seuil for cle, seuil in _cles_jeton(client_id, ip))


def jeton_echec(client_id, ip):
    for cle, _seuil in _cles_jeton(client_id, ip):
        debits.compter(cle, FENETRE_JETON)
