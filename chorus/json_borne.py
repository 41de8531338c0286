"""One bounded JSON reader for every request body (the API's services, the security-key views): Python's json
module recurses once per nested array or object, so a body of a few thousand brackets raised RecursionError — a 500
instead of a refusal. The depth is measured first, without recursion, and the size is capped; any refusal is a
JsonRefuse with a French message that states the limit."""

import json
import re

from chorus.exceptions import ApplicationError

# The deepest real body (a supplier invoice: lignes → taxes, pièces jointes) nests under 10 levels; 64 leaves room
# for any client's shape and keeps far below the interpreter's recursion limit (1 000).
PROFONDEUR_MAX = 64

# A string (escapes included) is skipped whole, so that brackets inside it do not count; then one bracket.
_JETONS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.DOTALL)


class JsonRefuse(ApplicationError):
    def __init__(self, message):
        super().__init__(message, champ="corps")


def _octets(taille):
    return f"{taille:,}".replace(",", " ")


def _trop_profond(texte):
    profondeur = 0
    for jeton in _JETONS.finditer(texte):
        caractere = texte[jeton.start()]
        if caractere in "[{":
            profondeur += 1
            if profondeur > PROFONDEUR_MAX:
                return True
        elif caractere in "]}":
            profondeur -= 1
    return False


def lire_json(corps, *, taille_max):
    """The value of the JSON document `corps` (bytes), or JsonRefuse: larger than `taille_max` bytes, nested deeper
    than PROFONDEUR_MAX arrays or objects, not UTF-8, or not JSON."""
    if len(corps) > taille_max:
        raise JsonRefuse(f"JSON trop volumineux : {_octets(len(corps))} octets, {_octets(taille_max)} au plus.")
    try:
        texte = corps.decode("utf-8")
    except UnicodeDecodeError:
        raise JsonRefuse("JSON illisible : le corps doit être encodé en UTF-8.") from None
    if _trop_profond(texte):
        raise JsonRefuse(
            f"JSON trop imbriqué : {PROFONDEUR_MAX} niveaux de tableaux ou d'objets au plus (taille maximale "
            f"{_octets(taille_max)} octets)."
        )
    try:
        return json.loads(texte)
    except json.JSONDecodeError as erreur:
        raise JsonRefuse(
            f"JSON illisible : {erreur.msg} (ligne {erreur.lineno}, colonne {erreur.colno}) ; {PROFONDEUR_MAX} "
            "niveaux d'imbrication au plus."
        ) from None
    except RecursionError:
        # a document under the depth limit cannot get here; kept so that no body ever becomes a 500
        raise JsonRefuse(f"JSON trop imbriqué : {PROFONDEUR_MAX} niveaux de tableaux ou d'objets au plus.") from None


def lire_flux(flux, *, taille_max):
    """Like lire_json, reading at most one byte more than `taille_max` from a stream."""
    return lire_json(flux.read(taille_max + 1) if flux is not None else b"", taille_max=taille_max)
