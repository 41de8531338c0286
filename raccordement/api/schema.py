"""The OpenAPI description of the API, served by the app (`/cpro/openapi.json`) and read by the offline
documentation page and by schemathesis in the tests.

drf-spectacular walks the routes; each service describes its JSON itself (`requete`, `reponse`: JSON Schema
properties with Chorus Pro's field names), and every service documents the same envelope and the same errors, so
that what the documentation says is what the API does (tests/raccordement/test_api_schema.py)."""

from drf_spectacular.openapi import AutoSchema

from chorus.json_borne import PROFONDEUR_MAX

# the largest page a search serves (raccordement/api/pagination.py): national-scale tables stay bounded queries
PAR_PAGE_MAX = 500

ENVELOPPE = {
    "codeRetour": {"type": "integer", "description": "0 si tout va bien ; 20000 : aucun résultat."},
    "libelle": {"type": "string"},
}
ERREUR = {
    "type": "object",
    "required": ["codeRetour", "libelle"],
    "properties": {
        **ENVELOPPE,
        "champ": {"type": "string", "description": "Le champ de la requête en cause."},
        "identifiantRefuse": {"type": "string", "description": "Authorization ou cpro-account."},
        "motif": {"type": "string"},
    },
}
ERREURS = {
    "400": "Requête invalide : le champ en cause est nommé (codeRetour 20002) ; JSON illisible ou imbriqué sur "
    f"plus de {PROFONDEUR_MAX} niveaux.",
    "401": "Jeton (Authorization) ou compte technique (cpro-account) refusé : lequel, et pourquoi (20010).",
    "404": "Objet introuvable ou invisible de ce compte technique ; adresse inconnue (20003).",
    "405": "Méthode non prise en charge (20002).",
    "409": "Transition de statut interdite (20005).",
    "415": "Type de contenu non pris en charge (20002).",
    "422": "Traitement refusé par une règle de gestion (20005).",
    "413": "Requête ou fichier trop volumineux (20001).",
    "429": "Trop d'appels pour ce compte technique (20011) ; en-tête Retry-After.",
    "500": "Erreur technique du portail : réessayer plus tard (20099).",
}


def objet(proprietes=None, obligatoires=()):
    schema = {"type": "object", "properties": proprietes or {}, "additionalProperties": True}
    if obligatoires:
        schema["required"] = list(obligatoires)
    return schema


def liste(proprietes):
    return {"type": "array", "items": objet(proprietes)}


def pagination(cle):
    return {
        cle: objet(
            {
                "nbResultatsParPage": {
                    "type": "integer",
                    "minimum": 1,
                    "description": f"Au plus {PAR_PAGE_MAX} lignes par page : une valeur plus grande est servie "
                    f"avec {PAR_PAGE_MAX} lignes (parametresRetour.nbResultatsParPage), sans erreur.",
                },
                "pageResultatDemandee": {"type": "integer", "minimum": 1},
                "triColonne": {"type": "string"},
                "triSens": {"type": "string", "enum": ["Ascendant", "Descendant"]},
            }
        )
    }


PARAMETRES_RETOUR = {
    "parametresRetour": objet(
        {
            "nbResultatsParPage": {"type": "integer", "description": "Le nombre de lignes par page servi."},
            "nbResultatsParPageDemande": {
                "type": "integer",
                "description": f"Présent quand la demande dépassait {PAR_PAGE_MAX} : le nombre demandé.",
            },
            "pageCourante": {"type": "integer"},
            "pages": {"type": "integer"},
            "total": {"type": "integer"},
        }
    )
}


class SchemaCpro(AutoSchema):
    """Reads the service's `requete`/`reponse` and adds the envelope, the errors and the two credentials."""

    def _get_serializer(self):
        # the services describe their JSON themselves (requete/reponse): there is no serializer to guess, and
        # drf-spectacular would log an error for each service trying
        return None

    def _get_request_body(self, direction="request"):
        if self.method not in ("POST", "PATCH"):
            return None
        requete = getattr(self.view, "requete", None) or objet()
        return {"required": True, "content": {"application/json": {"schema": requete}}}

    def _get_response_bodies(self, direction="response"):
        reponse = getattr(self.view, "reponse", None) or {}
        succes = {
            "type": "object",
            "required": ["codeRetour", "libelle"],
            "properties": {**ENVELOPPE, **reponse},
            "additionalProperties": True,
        }
        corps = {"200": {"description": "Succès", "content": {"application/json": {"schema": succes}}}}
        for code, description in ERREURS.items():
            corps[code] = {"description": description, "content": {"application/json": {"schema": ERREUR}}}
        return corps

    def get_override_parameters(self):
        # the query-string parameters of the REST group's GET lists (raccordement/api/organisations.py)
        return list(getattr(self.view, "parametres_requete", ()))

    def get_description(self):
        return (self.view.__class__.__doc__ or "").strip()

    def get_operation_id(self):
        # drf-spectacular drops path parameters from the id: a REST collection and its item (organisations/v1
        # …/pieces_jointes and …/pieces_jointes/{uuid_piece}) would share one; the item's id names its parameter
        identifiant = super().get_operation_id()
        if self.path.rstrip("/").endswith("}"):
            identifiant += "_par_" + self.path.rstrip("/").rsplit("{", 1)[1].rstrip("}")
        return identifiant

    def get_tags(self):
        return [self.path.split("/")[2]] if self.path.startswith("/cpro/") else ["oauth"]

    def get_auth(self):
        return [{"jetonPiste": [], "compteTechnique": []}]
