"""Comptes techniques (chorus-pro-features.md row 91; chorus-pro-api.md §1, §4.7): the login and password a connected
software sends in `cpro-account`, acting for one structure.

- several per structure; the creation takes effect after the delayed-modification delay (tables/limites.csv
  creation_compte_technique_delai: 30 minutes; settings.MODIFICATIONS_DIFFEREES_DELAI, short in the demo): the
  account is saved at once with `actif_le` in the future, so nothing is pending that a lost task could lose;
- the password is generated here, stored hashed (make_password), returned once to be shown once, and expires;
  « Renouveler » gives a new one; « Désactiver » ends the account;
- `authentifier_compte` is what the API asks: it says which check failed (peers.md: connector users suffer from
  401/403 with an empty body), except between an unknown login and a wrong password (one answer: logins are
  predictable, telling them apart would list the accounts); repeated failures lock the login (verrouillage). The
  slow hasher runs once per few minutes and per account, not on every call (identifiants_memorises, issue #16);
  the lock-out and the account's state are checked on every call all the same.
"""

import re
import secrets
import string
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateformat import format as formater_date

from chorus.exceptions import ApplicationError
from organisation.enums import Application, Niveau
from organisation.habilitations import peut
from raccordement.models import CompteTechnique
from raccordement.services import identifiants_memorises as memoire
from raccordement.services import verrouillage
from raccordement.services.identifiants_memorises import PORTEE_COMPTE_TECHNIQUE

# The technical-account password expires (chorus-pro-api.md §4.7, `dateExpirationMotPasseCompteTech`), but neither
# the reference nor tables/limites.csv gives its validity: 12 months is a project choice.
VALIDITE_MOT_DE_PASSE = timedelta(days=365)
# « Dernière utilisation » is shown to the minute: writing it once a minute, not on every call, spares a batch of
# calls a write each and, since the row stays locked until the request's transaction ends (ATOMIC_REQUESTS), spares
# the parallel calls of one account from waiting for each other.
PRECISION_DERNIERE_UTILISATION = timedelta(minutes=1)
LONGUEUR_MOT_DE_PASSE = 24
# No ":" (the `cpro-account` header is base64(login:password)) and no look-alike characters (0/O, 1/l/I).
_LETTRES = "".join(c for c in string.ascii_letters if c not in "OIl")
_CHIFFRES = "23456789"
_SYMBOLES = "-_.!*+=@"
DOMAINE_LOGIN = "cpro.portail"
LIBELLE_LONGUEUR_MAX = 100
REFUS_HABILITATION = (
    "Vous n'êtes pas habilité à gérer le raccordement de cette structure : il faut le profil « Raccordement – "
    "modification ». Demandez-le à un gestionnaire de la structure."
)


def date_heure(valeur):
    """JJ/MM/AAAA à HH h MM, local time: how the pages and the messages give a moment."""
    return formater_date(timezone.localtime(valeur), r"d/m/Y à H \h i")


def exiger_modification(par, structure):
    if not peut(par, Application.RACCORDEMENT, Niveau.MODIFICATION, structure):
        raise ApplicationError(REFUS_HABILITATION)


def generer_mot_de_passe(longueur=LONGUEUR_MOT_DE_PASSE):
    """A random password from `secrets` with at least one lower case, upper case, digit and symbol."""
    alphabet = _LETTRES + _CHIFFRES + _SYMBOLES
    while True:
        mot = "".join(secrets.choice(alphabet) for _ in range(longueur))
        if (
            any(c.islower() for c in mot)
            and any(c.isupper() for c in mot)
            and any(c in _CHIFFRES for c in mot)
            and any(c in _SYMBOLES for c in mot)
        ):
            return mot


def _prefixe_login(structure):
    return f"TECH_{re.sub(r'[^A-Za-z0-9]', '', structure.identifiant).upper()}_"


def _login_libre(structure):
    prefixe = _prefixe_login(structure)
    rangs = [
        int(m.group(1))
        for login in CompteTechnique.objects.filter(login__startswith=prefixe).values_list("login", flat=True)
        if (m := re.fullmatch(re.escape(prefixe) + r"(\d+)@" + re.escape(DOMAINE_LOGIN), login))
    ]
    return f"{prefixe}{max(rangs, default=0) + 1}@{DOMAINE_LOGIN}"


def _libelle(libelle):
    libelle = (libelle or "").strip()
    if len(libelle) > LIBELLE_LONGUEUR_MAX:
        raise ApplicationError(f"Libellé : {LIBELLE_LONGUEUR_MAX} caractères au plus.", champ="libelle")
    return libelle


def compte_technique_creer(*, par, structure, libelle=""):
    """Create a technical account of `structure`; returns (compte, password in clear: to show once, never kept)."""
    exiger_modification(par, structure)
    libelle = _libelle(libelle)
    mot_de_passe = generer_mot_de_passe()
    maintenant = timezone.now()
    for _essai in range(3):
        try:
            with transaction.atomic():
                compte = CompteTechnique.objects.create(
                    structure=structure,
                    login=_login_libre(structure),
                    mot_de_passe=make_password(mot_de_passe),
                    mot_de_passe_expire_le=maintenant + VALIDITE_MOT_DE_PASSE,
                    libelle=libelle,
                    actif_le=maintenant + settings.MODIFICATIONS_DIFFEREES_DELAI,
                    cree_par=par,
                )
        except IntegrityError:
            continue  # two creations for the same structure took the same rank: take the next one
        return compte, mot_de_passe
    raise ApplicationError("Le compte technique n'a pas pu être créé : réessayez.")


def _verrouiller(compte):
    return CompteTechnique.objects.select_for_update().select_related("structure").get(pk=compte.pk)


def compte_technique_renouveler(*, par, compte):
    """A new password (the old one stops working at once) and a new expiry; returns (compte, password in clear)."""
    with transaction.atomic():
        compte = _verrouiller(compte)
        exiger_modification(par, compte.structure)
        if compte.desactive_le:
            raise ApplicationError(
                f"Le compte technique {compte.login} est désactivé depuis le {date_heure(compte.desactive_le)} : "
                "son mot de passe ne peut plus être renouvelé. Créez un nouveau compte technique."
            )
        mot_de_passe = generer_mot_de_passe()
        compte.mot_de_passe = make_password(mot_de_passe)
        compte.mot_de_passe_expire_le = timezone.now() + VALIDITE_MOT_DE_PASSE
        compte.save(update_fields=["mot_de_passe", "mot_de_passe_expire_le"])
    return compte, mot_de_passe


def compte_technique_desactiver(*, par, compte):
    with transaction.atomic():
        compte = _verrouiller(compte)
        exiger_modification(par, compte.structure)
        if compte.desactive_le:
            raise ApplicationError(
                f"Le compte technique {compte.login} est déjà désactivé (depuis le {date_heure(compte.desactive_le)})."
            )
        compte.desactive_le = timezone.now()
        compte.save(update_fields=["desactive_le"])
    return compte


class AuthentificationRefusee(ApplicationError):
    """`cpro-account` refused; `motif` is stable for the API (IDENTIFIANTS_INCORRECTS, COMPTE_VERROUILLE,
    MOT_DE_PASSE_EXPIRE, PAS_ENCORE_ACTIF, DESACTIVE) and the message says it in French."""

    def __init__(self, message, *, motif):
        super().__init__(message, champ="cpro-account")
        self.motif = motif


# A hash to check against when the login is unknown, so that an unknown login costs the same time as a wrong
# password (as django.contrib.auth's ModelBackend does).
_EMPREINTE_FACTICE = None


def _empreinte_factice():
    global _EMPREINTE_FACTICE
    if _EMPREINTE_FACTICE is None:
        _EMPREINTE_FACTICE = make_password(secrets.token_urlsafe(24))
    return _EMPREINTE_FACTICE


def authentifier_compte(login, mot_de_passe, *, jeton=None):
    """The technical account of `cpro-account`, or AuthentificationRefusee saying which check failed.

    With `jeton` (the API's bearer token, checked before the account as PISTE does), the token's validity is read by
    the account's own query: a call costs one query for both credentials and the technical user, and one round trip
    to the shared cache for the lock, the failures and the remembered password; the client's id is left on the
    account as `client_api_id`. A refused token raises clients_api.JetonRefuse, as jeton_verifier does."""
    from raccordement.services.clients_api import client_du_jeton_valide, jeton_verifier

    comptes = CompteTechnique.objects.select_related("utilisateur").filter(login=login or "")
    if jeton is not None:
        comptes = comptes.annotate(client_api_id=client_du_jeton_valide(jeton))
    # the technical user comes along (the API acts as it: utilisateur_technique); the structure is read when a
    # service needs it (a deposit, a management call), not on every call
    # the login is unique: no ORDER BY (first() would sort by the model's ordering, compiled on every call)
    compte = next(iter(comptes.order_by()[:1]), None)
    if jeton is not None and getattr(compte, "client_api_id", None) is None:
        client_id = jeton_verifier(jeton).pk  # the exact refusal (unknown, expired, client disabled)
        if compte is not None:
            compte.client_api_id = client_id
    cle_memoire = None
    if compte is not None:
        cle_memoire = memoire.cle(PORTEE_COMPTE_TECHNIQUE, login or "", mot_de_passe or "", compte.mot_de_passe)
    etat = verrouillage.etat_du_compte(login or "", cle_memoire)
    if etat.verrouille:
        raise AuthentificationRefusee(
            f"Compte technique verrouillé pour {verrouillage.MINUTES_VERROUILLAGE} minutes après "
            f"{verrouillage.ECHECS_AVANT_VERROUILLAGE} échecs d'authentification : réessayez plus tard.",
            motif="COMPTE_VERROUILLE",
        )
    if compte is None:
        check_password(mot_de_passe or "", _empreinte_factice())
    if compte is None or not (
        etat.memorise
        or memoire.mot_de_passe_correspond(PORTEE_COMPTE_TECHNIQUE, login, mot_de_passe, compte.mot_de_passe)
    ):
        verrouillage.compte_echec(login or "", compte)
        raise AuthentificationRefusee(
            "Compte technique refusé : identifiant ou mot de passe incorrect (en-tête cpro-account).",
            motif="IDENTIFIANTS_INCORRECTS",
        )
    if etat.echecs:
        verrouillage.compte_succes(login)
    # the account's state is told only to who knows its password
    maintenant = timezone.now()
    if compte.desactive_le:
        raise AuthentificationRefusee(
            f"Le compte technique {compte.login} est désactivé depuis le {date_heure(compte.desactive_le)}.",
            motif="DESACTIVE",
        )
    if compte.actif_le > maintenant:
        raise AuthentificationRefusee(
            f"Le compte technique {compte.login} n'est pas encore utilisable : sa création prend effet le "
            f"{date_heure(compte.actif_le)}.",
            motif="PAS_ENCORE_ACTIF",
        )
    if compte.mot_de_passe_expire_le <= maintenant:
        raise AuthentificationRefusee(
            f"Le mot de passe du compte technique {compte.login} a expiré le "
            f"{date_heure(compte.mot_de_passe_expire_le)} : renouvelez-le dans Raccordement, Comptes techniques.",
            motif="MOT_DE_PASSE_EXPIRE",
        )
    derniere = compte.derniere_utilisation_le
    if derniere is None or derniere <= maintenant - PRECISION_DERNIERE_UTILISATION:
        CompteTechnique.objects.filter(pk=compte.pk).update(derniere_utilisation_le=maintenant)
        compte.derniere_utilisation_le = maintenant
    return compte
