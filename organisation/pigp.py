"""PIGP accounts (chorus-pro-features.md row 6; release notes V3.9, §1.1 and §1.2).

Agents of public bodies may reach Chorus Pro through the DGFiP's "portail internet de la gestion publique" (PIGP).
Their accounts are created by the DGFiP, carry a login ending in "-xt", a contact e-mail and the SIRETs they act
for, and are injected into Chorus Pro (`manage.py injecter_pigp fichier.csv`, see `injecter_compte`). They have no
Chorus Pro password and are not asked Chorus Pro's second factor: they authenticate on the PIGP portal.

Entry point from the PIGP portal — organisation:pigp_connexion, ``/pigp/connexion/``
-----------------------------------------------------------------------------------
Once the PIGP portal has authenticated the agent, it sends the browser to ``/pigp/connexion/?assertion=<jeton>``
(or posts a form with the field ``assertion``; a cross-site post, hence exempt from CSRF: the assertion is the
proof). The assertion is::

    TimestampSigner(key=PIGP_CLE_PARTAGEE, salt="pigp", fallback_keys=[]).sign(login)
    # "<login>:<horodatage en base 62>:<signature HMAC-SHA256>"

- ``PIGP_CLE_PARTAGEE`` is a secret shared by the two portals only (never SECRET_KEY nor its fallbacks). While it
  is not configured, the entry point does not exist: 404.
- The signature must be valid and the assertion less than 2 minutes old (`VALIDITE_ASSERTION`).
- Single use: the account keeps the time of the last assertion it accepted (``ComptePigp.derniere_assertion``) and
  refuses any assertion that is not strictly newer — a replay, or an older assertion arriving late. The check and
  the update are made under a row lock. (Consequence: the portal cannot issue two assertions for the same login in
  the same second; the second would be refused.)
- The login must be that of an injected, active PIGP account.

An accepted assertion opens the session exactly as Chorus Pro's two-step login ends
(`organisation.authentification.connexion_terminer`: new session key, `connecte_le` for the 12-hour limit,
"Dernière connexion" kept), with the account's `ComptePigp` as the verified django-otp device: it records that the
second factor happened upstream, and `SecondFacteurObligatoireMiddleware` accepts the session. That device never
verifies a code. Any refusal is the same for the browser (a French message, nothing logged in); the reason goes to
the security log.
"""

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from chorus.exceptions import ApplicationError
from organisation import authentification, identifiants
from organisation.enums import StatutRattachement, TypeIdentifiant
from organisation.models import ComptePigp, Habilitation, Rattachement, Structure, Utilisateur
from organisation.services.rattachements import profils_par_defaut

journal = logging.getLogger("chorus.securite")

SUFFIXE_LOGIN = "-xt"
SEL = "pigp"
VALIDITE_ASSERTION = timedelta(minutes=2)
NOM_APPAREIL = "Authentification par le portail de la gestion publique (PIGP)"
MESSAGE_ASSERTION_REFUSEE = (
    "La connexion depuis le portail de la gestion publique n'a pas abouti. Reconnectez-vous depuis ce portail."
)


class AssertionRefusee(ApplicationError):
    def __init__(self, raison):
        super().__init__(MESSAGE_ASSERTION_REFUSEE)
        self.raison = raison  # for the security log only: "signature", "expiree", "rejouee", "inconnu"


def est_login_pigp(login):
    return (login or "").strip().lower().endswith(SUFFIXE_LOGIN)


# --- The entry point ---------------------------------------------------------------------------------------------


def cle_partagee():
    return getattr(settings, "PIGP_CLE_PARTAGEE", None)


def _signataire():
    cle = cle_partagee()
    if not cle:
        raise Http404("Connexion PIGP non configurée.")
    return signing.TimestampSigner(key=cle, salt=SEL, fallback_keys=[])


def assertion_creer(login):
    """What the PIGP portal does (tests, demonstration)."""
    return _signataire().sign(login.strip().lower())


@transaction.atomic
def assertion_verifier(jeton):
    """The PIGP account the assertion vouches for, or AssertionRefusee. Consumes the assertion."""
    signataire = _signataire()
    jeton = (jeton or "").strip()
    try:
        login = signataire.unsign(jeton, max_age=VALIDITE_ASSERTION)
    except signing.SignatureExpired:
        raise AssertionRefusee("expiree") from None
    except signing.BadSignature:
        raise AssertionRefusee("signature") from None
    horodatage = signing.b62_decode(jeton.rsplit(signataire.sep, 2)[1])
    compte = (
        ComptePigp.objects.select_for_update()
        .select_related("user")
        .filter(login=login, confirmed=True, user__is_active=True, user__est_pigp=True)
        .first()
    )
    if compte is None:
        raise AssertionRefusee("inconnu")
    if compte.derniere_assertion is not None and horodatage <= compte.derniere_assertion:
        raise AssertionRefusee("rejouee")
    compte.derniere_assertion = horodatage
    compte.save(update_fields=["derniere_assertion"])
    return compte


def connecter(request, jeton):
    """Log in the PIGP account behind `jeton`; raises AssertionRefusee (and Http404 when PIGP is not configured)."""
    try:
        compte = assertion_verifier(jeton)
    except AssertionRefusee as refus:
        journal.info("assertion PIGP refusée", extra={"raison": refus.raison, "ip": request.META.get("REMOTE_ADDR")})
        raise
    authentification.connexion_terminer(request, compte.user, compte)
    journal.info("connexion PIGP", extra={"login": compte.login})
    return compte.user


# --- Injection by the DGFiP ----------------------------------------------------------------------------------------


@dataclass
class ResultatInjection:
    login: str
    cree: bool = False
    rattachees: list = field(default_factory=list)  # structures newly attached
    deja_rattachees: list = field(default_factory=list)
    sans_structure: list = field(default_factory=list)  # SIRETs with no active public structure
    invalides: list = field(default_factory=list)  # (SIRET, reason)


def _sirets(valeur):
    """The ";"-separated SIRETs of a line: (valid SIRETs, [(value, reason)])."""
    valides, invalides = [], []
    for brut in (valeur or "").split(";"):
        if not brut.strip():
            continue
        try:
            numero = identifiants.verifier_siret(brut)
        except ApplicationError as erreur:
            invalides.append((brut.strip(), erreur.message))
        else:
            if numero not in valides:
                valides.append(numero)
    return valides, invalides


def _compte_enregistrer(login, email, prenom, nom, sirets):
    compte = ComptePigp.objects.select_for_update().select_related("user").filter(login=login).first()
    homonyme = Utilisateur.objects.filter(email__iexact=email)
    if compte is not None:
        homonyme = homonyme.exclude(pk=compte.user_id)
    if homonyme.exists():
        raise ApplicationError(f"l'adresse de contact {email} est déjà celle d'un autre compte du portail.")
    if compte is None:
        utilisateur = Utilisateur.objects.create_user(
            email=email, password=None, prenom=prenom, nom=nom or login, is_active=True, est_pigp=True
        )
        compte = ComptePigp.objects.create(user=utilisateur, login=login, name=NOM_APPAREIL, sirets=sirets)
        return compte, True
    utilisateur = compte.user
    utilisateur.email = email
    utilisateur.is_active = utilisateur.est_pigp = True
    if prenom:
        utilisateur.prenom = prenom
    if nom:
        utilisateur.nom = nom
    if utilisateur.has_usable_password():  # a PIGP account logs in upstream only
        utilisateur.set_unusable_password()
    utilisateur.save()
    compte.sirets, compte.injecte_le, compte.confirmed = sirets, timezone.now(), True
    compte.save(update_fields=["sirets", "injecte_le", "confirmed"])
    return compte, False


def _rattacher(utilisateur, structure):
    """Attach with the default profiles, as an approved request would; False if already attached."""
    rattachement = (
        Rattachement.objects.select_for_update().filter(utilisateur=utilisateur, structure=structure).first()
    )
    if rattachement is not None and rattachement.statut == StatutRattachement.ACTIF:
        return False
    rattachement = rattachement or Rattachement(utilisateur=utilisateur, structure=structure)
    rattachement.statut = StatutRattachement.ACTIF
    rattachement.traite_le, rattachement.traite_par, rattachement.motif_refus = timezone.now(), None, ""
    rattachement.message = "Rattachement automatique d'un compte PIGP injecté par la DGFiP."
    rattachement.save()
    rattachement.services.clear()
    rattachement.habilitations.all().delete()
    Habilitation.objects.bulk_create(
        Habilitation(rattachement=rattachement, application=a, niveau=n, service=s) for a, n, s in profils_par_defaut()
    )
    return True


@transaction.atomic
def injecter_compte(*, login, email, sirets, prenom="", nom=""):
    """Create or update one PIGP account and attach it to the active public structures whose SIRET it declares.

    Raises ApplicationError (nothing written) for a login without "-xt" or an unusable contact e-mail. SIRETs that
    match no public structure are reported, not fatal: the account then exists without structure and sees the
    first-login panel. Attachments are never removed here: ending one stays a gestionnaire's decision."""
    login = (login or "").strip().lower()
    if not login:
        raise ApplicationError("identifiant PIGP manquant.")
    if not est_login_pigp(login):
        raise ApplicationError(f"l'identifiant « {login} » ne se termine pas par « {SUFFIXE_LOGIN} ».")
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ApplicationError(
            f"l'adresse de contact « {email} » n'est pas une adresse électronique valide."
        ) from None
    valides, invalides = _sirets(sirets)
    compte, cree = _compte_enregistrer(login, email, (prenom or "").strip(), (nom or "").strip(), valides)
    resultat = ResultatInjection(login=login, cree=cree, invalides=invalides)
    structures = {
        s.identifiant: s
        for s in Structure.objects.publiques_actives().filter(type_identifiant=TypeIdentifiant.SIRET,
                                                               identifiant__in=valides)
    }  # fmt: skip
    for siret in valides:
        structure = structures.get(siret)
        if structure is None:
            resultat.sans_structure.append(siret)
        elif _rattacher(compte.user, structure):
            resultat.rattachees.append(structure)
        else:
            resultat.deja_rattachees.append(structure)
    return resultat
