"""What every service of the API shares: the two credentials, the per-account rate, JSON in, the envelope out, and
errors that say what went wrong with the right HTTP status (chorus-pro-api.md §1; peers.md)."""

from django.core.cache import cache
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle
from rest_framework.views import APIView

from chorus.cache import compter_dans_fenetre
from chorus.chiffres import que_des_chiffres
from chorus.exceptions import ApplicationError
from chorus.workflow import TransitionInterdite
from organisation.habilitations import une_lecture_par_requete
from raccordement.api import enveloppe
from raccordement.api.authentification import CproAuthentification, IdentifiantsRefuses
from raccordement.api.parseur import JsonBorneParser
from raccordement.api.schema import SchemaCpro

# Project choice (no published figure for Chorus Pro's own quota): 1 200 calls a minute per technical account,
# enough for a software vendor's batch, low enough that one runaway client cannot starve the others.
DEBIT_PAR_COMPTE = "1200/min"


class DebitParCompteTechnique(BaseThrottle):
    """At most `rate` calls per technical account in a window opened by its first call: one counter in the shared
    cache, one write per call (chorus.cache.compter_dans_fenetre). DRF's SimpleRateThrottle kept the time of every
    call of the last minute and rewrote that list on each call (a file rewritten with up to 1 200 pickled floats on
    the embedded cache, a GET and a SET on Redis). A fixed window lets a client make up to twice the rate across a
    window's end; the limit is there to stop a runaway client, which it still does."""

    rate = DEBIT_PAR_COMPTE

    def __init__(self):
        self.nombre, self.secondes = SimpleRateThrottle.parse_rate(None, self.rate)
        self.reste = None

    def allow_request(self, request, view):
        compte = getattr(request, "auth", None)
        ident = getattr(compte, "pk", None) or self.get_ident(request)
        appels, self.reste = compter_dans_fenetre(cache, f"throttle_compte_technique_{ident}", self.secondes)
        return appels <= self.nombre

    def wait(self):
        return max(self.reste or 0, 1)


class ServiceCpro(APIView):
    """A Chorus Pro service: POST with a JSON object; `traiter(request, corps)` returns the response's fields."""

    authentication_classes = [CproAuthentification]
    permission_classes = [IsAuthenticated]
    throttle_classes = [DebitParCompteTechnique]
    parser_classes = [JsonBorneParser]
    renderer_classes = [JSONRenderer]
    http_method_names = ["post", "options"]
    schema = SchemaCpro()
    # JSON Schema of the request and of the response's own fields (the envelope is added): the OpenAPI description
    requete = None
    reponse = None
    # A service that only reads runs outside the request's transaction (ATOMIC_REQUESTS): it spares BEGIN and COMMIT,
    # two round trips of a call's five or six on PostgreSQL, and on SQLite the BEGIN IMMEDIATE that makes a read wait
    # for any writer (the worker integrating a flux). Its few writes each commit alone: « Dernière utilisation » of the
    # account, the technical user created at its first call (in its own transaction).
    lecture_seule = False

    def traiter(self, request, corps):
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        # the call reads its technical user's profiles once, as a page does (habilitations.profils): a search asks
        # them for its page and for its total; a write to a profile during the call forgets them (signals)
        with une_lecture_par_requete():
            return super().dispatch(request, *args, **kwargs)

    def post(self, request):
        corps = request.data if request.data is not None else {}
        if not isinstance(corps, dict):
            return enveloppe.erreur(
                enveloppe.DONNEES_INVALIDES,
                "Le corps de la requête doit être un objet JSON.",
                status.HTTP_400_BAD_REQUEST,
            )
        if chemin := _caractere_nul(corps):
            # PostgreSQL refuses NUL in text: say so rather than fail deep in a query
            raise ErreurDonnees(f"{chemin} : le caractère NUL (\\u0000) n'est pas admis.", champ=chemin)
        return enveloppe.succes(self.traiter(request, corps))

    def handle_exception(self, exc):
        if isinstance(exc, IdentifiantsRefuses):
            reponse = enveloppe.erreur(
                enveloppe.AUTHENTIFICATION,
                str(exc.detail),
                status.HTTP_401_UNAUTHORIZED,
                identifiantRefuse=exc.identifiant,
                motif=exc.motif,
            )
            reponse["WWW-Authenticate"] = (
                f'Bearer realm="cpro", error="invalid_token", error_description="{exc.motif}"'
                if exc.schema == "Bearer"
                else f'cpro-account realm="cpro", error="{exc.motif}"'
            )
            return reponse
        if isinstance(exc, exceptions.NotAuthenticated):
            return enveloppe.erreur(enveloppe.AUTHENTIFICATION, str(exc.detail), status.HTTP_401_UNAUTHORIZED)
        if isinstance(exc, exceptions.Throttled):
            reponse = enveloppe.erreur(
                enveloppe.TROP_DE_REQUETES,
                f"Trop d'appels pour ce compte technique ({DEBIT_PAR_COMPTE.replace('/min', ' par minute')}) : "
                f"réessayez dans {int(exc.wait or 1)} s.",
                status.HTTP_429_TOO_MANY_REQUESTS,
            )
            reponse["Retry-After"] = str(int(exc.wait or 1))
            return reponse
        if isinstance(exc, exceptions.ParseError):
            # the bounded parser's message names the fault and states the limits
            return enveloppe.erreur(enveloppe.DONNEES_INVALIDES, str(exc.detail), status.HTTP_400_BAD_REQUEST)
        if isinstance(exc, exceptions.UnsupportedMediaType):
            return enveloppe.erreur(
                enveloppe.DONNEES_INVALIDES,
                "Type de contenu non pris en charge : envoyez « Content-Type: application/json;charset=utf-8 ».",
                status.HTTP_415_UNSUPPORTED_MEDIA_TYPE,
            )
        if isinstance(exc, exceptions.MethodNotAllowed):
            return enveloppe.erreur(
                enveloppe.DONNEES_INVALIDES,
                f"Méthode {exc.detail} : ce service s'appelle en POST.",
                status.HTTP_405_METHOD_NOT_ALLOWED,
            )
        if isinstance(exc, Http404 | exceptions.NotFound):
            return enveloppe.erreur(
                enveloppe.INTROUVABLE,
                "Objet introuvable : il n'existe pas ou n'est pas visible de ce compte technique.",
                status.HTTP_404_NOT_FOUND,
            )
        if isinstance(exc, TransitionInterdite):
            return enveloppe.erreur(enveloppe.TRAITEMENT_REFUSE, str(exc), status.HTTP_409_CONFLICT)
        if isinstance(exc, ErreurDonnees):
            return enveloppe.erreur(
                enveloppe.DONNEES_INVALIDES, exc.message, status.HTTP_400_BAD_REQUEST, champ=exc.champ
            )
        if isinstance(exc, ApplicationError):
            # a refusal that names a field is bad input (400); one that does not is a rule of the process (422)
            if getattr(exc, "champ", None):
                return enveloppe.erreur(
                    enveloppe.DONNEES_INVALIDES, exc.message, status.HTTP_400_BAD_REQUEST, champ=exc.champ
                )
            return enveloppe.erreur(enveloppe.TRAITEMENT_REFUSE, exc.message, status.HTTP_422_UNPROCESSABLE_ENTITY)
        if isinstance(exc, DjangoPermissionDenied | exceptions.PermissionDenied):
            return enveloppe.erreur(
                enveloppe.NON_AUTORISE,
                "Ce compte technique n'a pas le droit de faire cette opération pour cette structure.",
                status.HTTP_403_FORBIDDEN,
            )
        return super().handle_exception(exc)


class ServiceLecture(ServiceCpro):
    """A service that only reads (a referential, a consultation, a search): outside the request's transaction, as
    `lecture_seule` says."""

    lecture_seule = True


def est_identifiant(valeur):
    """Whether `valeur` can be an identifier (idStructureCPP, idFacture…): a 64-bit integer, as the databases store
    them — a larger one would make the query fail instead of finding nothing."""
    return isinstance(valeur, int) and not isinstance(valeur, bool) and -(2**63) <= valeur < 2**63


def _caractere_nul(valeur, chemin=""):
    """The path of the first key or string value of the JSON body that holds a NUL character, or ""."""
    if isinstance(valeur, str):
        return chemin or "corps" if "\x00" in valeur else ""
    if isinstance(valeur, dict):
        for cle, sous in valeur.items():
            ici = f"{chemin}.{cle}" if chemin else str(cle)
            if "\x00" in str(cle) or (trouve := _caractere_nul(sous, ici)):
                return ici if "\x00" in str(cle) else trouve
    if isinstance(valeur, list):
        for rang, sous in enumerate(valeur):
            if trouve := _caractere_nul(sous, f"{chemin}[{rang}]"):
                return trouve
    return ""


class ErreurDonnees(ApplicationError):
    """A request field is missing or malformed: 400, naming the field with Chorus Pro's name."""


def champ(corps, nom, *, type_=None, obligatoire=False, defaut=None):
    """A field of the request (`a.b` for nested objects), checked for presence and type."""
    valeur = corps
    for partie in nom.split("."):
        valeur = valeur.get(partie) if isinstance(valeur, dict) else None
    if valeur is None or valeur == "":
        if obligatoire:
            raise ErreurDonnees(f"{nom} : ce champ est obligatoire.", champ=nom)
        return defaut
    if type_ is int:
        texte = str(valeur) if isinstance(valeur, int | str) and not isinstance(valeur, bool) else ""
        # ASCII digits only: « ٣ » is a digit to Python, and int() would read it as 3
        if not que_des_chiffres(texte.removeprefix("-")):
            raise ErreurDonnees(f"{nom} : un nombre entier est attendu, pas « {valeur} ».", champ=nom)
        entier = int(valeur)
        if not est_identifiant(entier):
            raise ErreurDonnees(f"{nom} : nombre hors limites.", champ=nom)
        return entier
    if type_ is str and not isinstance(valeur, str | int):
        raise ErreurDonnees(f"{nom} : une chaîne de caractères est attendue.", champ=nom)
    if type_ is list and not isinstance(valeur, list):
        raise ErreurDonnees(f"{nom} : une liste est attendue.", champ=nom)
    return str(valeur) if type_ is str else valeur
