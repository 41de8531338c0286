"""Clients API, standing in for PISTE's OAuth2 applications (chorus-pro-api.md §1; chorus-pro-features.md row 92):
a client id and a secret (shown once, kept hashed) exchanged at the token endpoint for a bearer token valid one hour
(chorus/regles/limites.csv oauth_jeton_duree: 3600 s), of which only the SHA-256 is kept.

Each refusal says which credential failed and why (peers.md « Credentials confusion »). A bearer token is checked
by its SHA-256 (a random token of 32 bytes needs no slow hasher); the client secret goes through the slow hasher at
the token endpoint once per few minutes and per client, for the clients that ask a token per call
(identifiants_memorises, issue #16)."""

import hashlib
import secrets
import uuid
from datetime import timedelta

from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.db.models import Subquery
from django.utils import timezone

from chorus import limites
from chorus.exceptions import ApplicationError
from raccordement.models import ClientApi, JetonApi
from raccordement.services.comptes import date_heure, exiger_modification
from raccordement.services.identifiants_memorises import PORTEE_CLIENT_API, mot_de_passe_correspond

DUREE_JETON = int(limites.duree("oauth_jeton_duree").total_seconds())  # PISTE's expires_in, in seconds
NOM_LONGUEUR_MAX = 100


class IdentifiantsClientRefuses(ApplicationError):
    """The token endpoint refused the client id and secret; `motif`: IDENTIFIANTS_INCORRECTS,
    CLIENT_DESACTIVE (told only to who knows the secret)."""

    def __init__(self, message, *, motif):
        super().__init__(message, champ="client_id")
        self.motif = motif


class JetonRefuse(ApplicationError):
    """A bearer token refused; `motif`: JETON_INCONNU, JETON_EXPIRE, CLIENT_DESACTIVE."""

    def __init__(self, message, *, motif):
        super().__init__(message, champ="Authorization")
        self.motif = motif


def empreinte_jeton(jeton):
    return hashlib.sha256(jeton.encode()).hexdigest()


def client_api_creer(*, par, structure, nom):
    """Register an application for `structure`; returns (client, secret in clear: to show once, never kept)."""
    exiger_modification(par, structure)
    nom = (nom or "").strip()
    if not nom:
        raise ApplicationError("Nom de l'application : saisissez le nom de l'application cliente.", champ="nom")
    if len(nom) > NOM_LONGUEUR_MAX:
        raise ApplicationError(f"Nom de l'application : {NOM_LONGUEUR_MAX} caractères au plus.", champ="nom")
    secret = secrets.token_urlsafe(32)
    with transaction.atomic():
        client = ClientApi.objects.create(
            nom=nom, client_id=str(uuid.uuid4()), secret=make_password(secret), structure=structure, cree_par=par
        )
    return client, secret


def client_api_desactiver(*, par, client):
    """The client gets no more tokens and its tokens stop working; they are kept so that a call with one of them
    is told « client désactivé », not « jeton inconnu »."""
    with transaction.atomic():
        client = ClientApi.objects.select_for_update(of=("self",)).select_related("structure").get(pk=client.pk)
        if client.structure is None:
            raise ApplicationError("Ce client API n'appartient à aucune structure : il ne se gère pas ici.")
        exiger_modification(par, client.structure)
        if not client.actif:
            raise ApplicationError(f"Le client API « {client.nom} » est déjà désactivé.")
        client.actif = False
        client.save(update_fields=["actif"])
    return client


_SECRET_FACTICE = None


def _secret_factice():
    global _SECRET_FACTICE
    if _SECRET_FACTICE is None:
        _SECRET_FACTICE = make_password(secrets.token_urlsafe(32))
    return _SECRET_FACTICE


def jeton_emettre(*, client_id, secret):
    """The token endpoint: returns (token in clear, expires_in seconds); keeps only the token's SHA-256."""
    client = ClientApi.objects.filter(client_id=client_id or "").first()
    if client is None:
        check_password(secret or "", _secret_factice())  # same cost as a wrong secret
    if client is None or not mot_de_passe_correspond(PORTEE_CLIENT_API, client_id, secret, client.secret):
        # one answer for both: telling an unknown client id from a wrong secret would list the clients
        raise IdentifiantsClientRefuses(
            "Client API refusé : client_id ou client_secret incorrect.", motif="IDENTIFIANTS_INCORRECTS"
        )
    if not client.actif:
        raise IdentifiantsClientRefuses(
            f"Client désactivé : le client API {client.client_id} (« {client.nom} ») ne reçoit plus de jeton.",
            motif="CLIENT_DESACTIVE",
        )
    jeton = secrets.token_urlsafe(32)
    maintenant = timezone.now()
    with transaction.atomic():
        # the client's tokens expired for a day are of no use, even to explain a refusal
        JetonApi.objects.filter(client=client, expire_le__lt=maintenant - timedelta(days=1)).delete()
        JetonApi.objects.create(
            client=client, empreinte=empreinte_jeton(jeton), expire_le=maintenant + timedelta(seconds=DUREE_JETON)
        )
    return jeton, DUREE_JETON


def client_du_jeton_valide(jeton):
    """A subquery: the client id of `jeton` when it is valid now (known, not expired, its client active), else NULL.
    The API reads it in the technical account's own query (comptes.authentifier_compte), so that a call resolves its
    two credentials in one query; a NULL sends the caller to jeton_verifier for the exact refusal."""
    valide = JetonApi.objects.filter(
        empreinte=empreinte_jeton(jeton or ""), expire_le__gt=timezone.now(), client__actif=True
    )
    return Subquery(valide.values("client_id")[:1])


def jeton_verifier(jeton):
    """The client of a bearer token, or JetonRefuse saying why not."""
    trouve = JetonApi.objects.select_related("client").filter(empreinte=empreinte_jeton(jeton or "")).first()
    if trouve is None:
        raise JetonRefuse(
            "Jeton inconnu : ce jeton d'accès n'a pas été délivré ici ; demandez un jeton au point d'accès "
            "/api/oauth/token (grant_type=client_credentials).",
            motif="JETON_INCONNU",
        )
    if trouve.expire_le <= timezone.now():
        raise JetonRefuse(
            f"Jeton expiré le {date_heure(trouve.expire_le)} : demandez-en un nouveau au point d'accès "
            "/api/oauth/token.",
            motif="JETON_EXPIRE",
        )
    if not trouve.client.actif:
        raise JetonRefuse(
            f"Client désactivé : le client API {trouve.client.client_id} (« {trouve.client.nom} ») est désactivé, "
            "ses jetons ne sont plus acceptés.",
            motif="CLIENT_DESACTIVE",
        )
    return trouve.client
