"""`organisations/v1/…`, the Référentiel des organisations (chorus-pro-api.md §2.4): the newer REST group, whose
objects are named by UUID and whose methods are GET, POST and PATCH. Same credentials and envelope as the other
groups; reads through organisation.selectors.referentiel (a public structure is everyone's, a private one its own
users'), writes through organisation.services (delayed modifications, one permission policy).

creerService has no published path; it is served as `POST services`: creating a resource is a POST on its
collection in REST, the collection whose members `GET services/{uuid}` reads, and no other method of the group
uses that path (the search is `POST services/recherche`)."""

import base64
import uuid
from datetime import date, datetime
from pathlib import PurePosixPath

from django.db.models import Q, TextField
from django.db.models.functions import Cast, Lower
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, status

from chorus.exceptions import ApplicationError
from organisation.enums import Application, StatutStructure, TypeIdentifiant
from organisation.selectors import referentiel
from organisation.services.structures import service_creer, structure_parametrer_edi
from raccordement.api import enveloppe
from raccordement.api.pagination import paginer
from raccordement.api.schema import PARAMETRES_RETOUR, liste, objet, pagination
from raccordement.api.valeurs import date_api
from raccordement.api.vues import ErreurDonnees, ServiceCpro, _caractere_nul, champ

# --- the REST flavour of ServiceCpro ---------------------------------------------------------------------------------


class RessourceCpro(ServiceCpro):
    """A method of the REST group: `lire(request, **chemin)` for GET, `traiter(request, corps, **chemin)` for POST
    and PATCH. Everything else — credentials, rate, envelope, errors — is ServiceCpro's."""

    http_method_names = ["get", "options"]
    # query-string parameters of a GET, for the OpenAPI description
    parametres_requete = ()

    def get(self, request, **chemin):
        return enveloppe.succes(self.lire(request, **chemin))

    def post(self, request, **chemin):
        return enveloppe.succes(self.traiter(request, self._corps(request), **chemin))

    def patch(self, request, **chemin):
        return enveloppe.succes(self.traiter(request, self._corps(request), **chemin))

    def _corps(self, request):
        corps = request.data if request.data is not None else {}
        if not isinstance(corps, dict):
            raise ErreurDonnees("Le corps de la requête doit être un objet JSON.", champ="corps")
        if chemin := _caractere_nul(corps):
            raise ErreurDonnees(f"{chemin} : le caractère NUL (\\u0000) n'est pas admis.", champ=chemin)
        return corps

    def handle_exception(self, exc):
        if isinstance(exc, exceptions.MethodNotAllowed):
            permises = [m.upper() for m in self.http_method_names if m != "options"]
            reponse = enveloppe.erreur(
                enveloppe.DONNEES_INVALIDES,
                f"Méthode {exc.args[0] if exc.args else ''} non admise : cette ressource s'appelle en "
                f"{' ou '.join(permises)}.",
                status.HTTP_405_METHOD_NOT_ALLOWED,
            )
            reponse["Allow"] = ", ".join(self._allowed_methods())
            return reponse
        return super().handle_exception(exc)


def _uuid(valeur, nom):
    try:
        return uuid.UUID(str(valeur))
    except ValueError:
        raise ErreurDonnees(f"{nom} : un UUID est attendu, pas « {valeur} ».", champ=nom) from None


def _booleen(corps, nom):
    valeur = corps.get(nom)
    if valeur is not None and not isinstance(valeur, bool):
        raise ErreurDonnees(f"{nom} : vrai ou faux (true, false) est attendu.", champ=nom)
    return valeur


def _paginer_requete(request, qs, tris, tri_defaut):
    """The pagination of a GET list, read from the query string (same names as the searches' `parametres`)."""
    try:
        return paginer({"q": dict(request.query_params.items())}, "q", qs, tris, tri_defaut)
    except ErreurDonnees as erreur:
        raise ErreurDonnees(erreur.message.removeprefix("q."), champ=(erreur.champ or "").removeprefix("q.")) from None


def _page(cle, lignes, parametres, en_json):
    reponse = {cle: [en_json(x) for x in lignes], "parametresRetour": parametres}
    if not lignes:
        reponse.update(codeRetour=enveloppe.AUCUN_RESULTAT, libelle=enveloppe.LIBELLE_AUCUN_RESULTAT)
    return reponse


PAGINATION_REQUETE = (
    OpenApiParameter("nbResultatsParPage", OpenApiTypes.INT, description="Lignes par page (500 au plus servies)."),
    OpenApiParameter("pageResultatDemandee", OpenApiTypes.INT),
    OpenApiParameter("triColonne", OpenApiTypes.STR),
    OpenApiParameter("triSens", OpenApiTypes.STR, enum=["Ascendant", "Descendant"]),
)

# --- JSON of a structure and of a service ----------------------------------------------------------------------------

STATUTS_STRUCTURE = {
    StatutStructure.ACTIVE: "active",
    StatutStructure.EN_ATTENTE_VALIDATION: "activation in progress",
    StatutStructure.INACTIVE: "inactive",
    StatutStructure.REFUSEE: "inactive",
}
STATUTS_RECHERCHE = {
    "active": [StatutStructure.ACTIVE],
    "activation in progress": [StatutStructure.EN_ATTENTE_VALIDATION],
    "inactive": [StatutStructure.INACTIVE, StatutStructure.REFUSEE],
}
TYPES_ORGANISATION = {"public": True, "private": False}


def _coordonnees(o):
    return {
        "adresse": o.adresse,
        "complementAdresse1": o.complement_1,
        "complementAdresse2": o.complement_2,
        "codePostal": o.code_postal,
        "ville": o.ville,
        "pays": o.pays,
        "telephone": o.telephone,
    }


def _structure(s):
    return {
        "uuid": str(s.uuid),
        "idStructureCPP": s.pk,
        "identifiant": s.identifiant,
        "typeIdentifiant": s.type_identifiant,
        "libelleOrganisation": s.designation,
        "raisonSociale": s.raison_sociale,
        "typeOrganisation": "public" if s.est_publique else "private",
        "status": STATUTS_STRUCTURE.get(s.statut, "inactive"),
        "numeroTvaIntracommunautaire": s.numero_tva,
        **_coordonnees(s),
        "adresseElectronique": s.email,
        "numeroEjDoitEtreRenseigne": s.engagement_obligatoire,
        "codeServiceDoitEtreRenseigne": s.code_service_obligatoire,
        "gestionNumeroEJOuCodeService": s.engagement_ou_service,
        "statutMiseEnPaiementNestPasRemonte": s.statut_mise_en_paiement_non_remonte,
        "estMOAUniquement": s.moa_uniquement,
        "avecMOA": s.moa_uniquement or (s.est_publique and s.utilise(Application.FACTURES_TRAVAUX)),
        "recevoirCyclesViesEdi": s.reception_edi,
        "emetteurFluxEdi": s.connexion_edi,
        # the portal keeps no INSEE diffusion status; a private person's identity is never published
        "nonDiffusibleInsee": s.type_identifiant == TypeIdentifiant.PARTICULIER,
        "parametresEdi": {"reception_edi": s.reception_edi, "connexion_edi": s.connexion_edi},
        "derniereMaj": s.modifie_le.isoformat(),
    }


def _service(x):
    return {
        "uuid": str(x.uuid),
        "idService": x.pk,
        "codeService": x.code,
        "libelleService": x.libelle,
        "description": x.description,
        "statut": "ACTIF" if x.actif else "INACTIF",
        "estActif": x.actif,
        "structure": {
            "uuid": str(x.structure.uuid),
            "idStructureCPP": x.structure_id,
            "identifiant": x.structure.identifiant,
            "libelleOrganisation": x.structure.designation,
        },
        **_coordonnees(x),
        "dateDebutValidite": date_api(x.date_debut_validite),
        "dateFinValidite": date_api(x.date_fin_validite),
        "numeroEjDoitEtreRenseigne": x.engagement_obligatoire,
        "gestionStatutMiseEnPaiement": x.mise_en_paiement,
        "dateCreation": x.cree_le.isoformat() if x.cree_le else None,
    }


CHAINE = {"type": "string"}
BOOLEEN = {"type": "boolean"}
UUID = {"type": "string", "format": "uuid"}
COORDONNEES = dict.fromkeys(
    ("adresse", "complementAdresse1", "complementAdresse2", "codePostal", "ville", "pays", "telephone"), CHAINE
)
PARAMETRES_EDI = {"reception_edi": BOOLEEN, "connexion_edi": BOOLEEN}
STRUCTURE = {
    "uuid": UUID,
    "derniereMaj": {"type": "string", "format": "date-time"},
    "idStructureCPP": {"type": "integer"},
    "identifiant": CHAINE,
    "typeIdentifiant": {"type": "string", "enum": list(TypeIdentifiant.values)},
    "libelleOrganisation": CHAINE,
    "raisonSociale": CHAINE,
    "typeOrganisation": {"type": "string", "enum": list(TYPES_ORGANISATION)},
    "status": {"type": "string", "enum": list(STATUTS_RECHERCHE)},
    "numeroTvaIntracommunautaire": CHAINE,
    **COORDONNEES,
    "adresseElectronique": CHAINE,
    **dict.fromkeys(
        (
            "numeroEjDoitEtreRenseigne",
            "codeServiceDoitEtreRenseigne",
            "gestionNumeroEJOuCodeService",
            "statutMiseEnPaiementNestPasRemonte",
            "estMOAUniquement",
            "avecMOA",
            "recevoirCyclesViesEdi",
            "emetteurFluxEdi",
            "nonDiffusibleInsee",
        ),
        BOOLEEN,
    ),
    "parametresEdi": objet(PARAMETRES_EDI),
}
STATUTS_SERVICE = ["ACTIF", "INACTIF", "SUPPRIME"]
SERVICE = {
    "uuid": UUID,
    "idService": {"type": "integer"},
    "codeService": CHAINE,
    "libelleService": CHAINE,
    "description": CHAINE,
    "statut": {"type": "string", "enum": STATUTS_SERVICE},
    "estActif": BOOLEEN,
    "structure": objet(
        {"uuid": UUID, "idStructureCPP": {"type": "integer"}, "identifiant": CHAINE, "libelleOrganisation": CHAINE}
    ),
    **COORDONNEES,
    "dateDebutValidite": {"type": "string", "format": "date", "nullable": True},
    "dateFinValidite": {"type": "string", "format": "date", "nullable": True},
    "numeroEjDoitEtreRenseigne": BOOLEEN,
    "gestionStatutMiseEnPaiement": BOOLEEN,
    "dateCreation": {"type": "string", "format": "date-time", "nullable": True},
}
PIECE_JOINTE = {
    "uuid": UUID,
    "pieceJointeId": {"type": "integer"},
    "pieceJointeNom": CHAINE,
    "pieceJointeExtension": CHAINE,
    "pieceJointeTypeMime": CHAINE,
    "pieceJointeTaille": {"type": "integer"},
    "dateAjout": {"type": "string", "format": "date-time"},
}
MODIFICATION_EN_ATTENTE = {"effectiveLe": {"type": "string", "format": "date-time"}, "libelle": CHAINE}


def _en_attente(modification):
    return {"effectiveLe": modification.effective_le.isoformat(), "libelle": modification.libelle}


# --- the methods -------------------------------------------------------------------------------------------------


class HealthCheck(RessourceCpro):
    """GET organisations/v1/healthcheck : le référentiel répond."""

    reponse = {"statut": {"type": "string", "enum": ["OK"]}}

    def lire(self, request):
        return {"statut": "OK"}


class ConsulterStructure(RessourceCpro):
    """GET structures/{uuid} : une structure publique, ou une structure privée du compte technique."""

    reponse = STRUCTURE

    def lire(self, request, uuid_structure):
        s = referentiel.structure_du_referentiel_ou_404(request.user, _uuid(uuid_structure, "uuid"))
        return _structure(s)


TRIS_SERVICES = {"CodeService": ("code",), "LibelleService": ("libelle",)}


class ServicesDeLaStructure(RessourceCpro):
    """GET structures/{uuid}/services : les services d'une structure, par pages."""

    parametres_requete = PAGINATION_REQUETE
    reponse = {"listeServices": liste(SERVICE), **PARAMETRES_RETOUR}

    def lire(self, request, uuid_structure):
        s = referentiel.structure_du_referentiel_ou_404(request.user, _uuid(uuid_structure, "uuid"))
        lignes, parametres = _paginer_requete(request, s.services.all(), TRIS_SERVICES, "CodeService")
        for ligne in lignes:
            ligne.structure = s  # the page's services are all the structure's: no query per row
        return _page("listeServices", lignes, parametres, _service)


TRIS_PIECES = {"Nom": ("nom",), "DateAjout": ("ajoutee_le",)}


def _piece(p):
    return {
        "uuid": str(p.uuid),
        "pieceJointeId": p.pk,
        "pieceJointeNom": p.nom,
        "pieceJointeExtension": PurePosixPath(p.nom).suffix.lstrip(".").lower(),
        "pieceJointeTypeMime": p.type_mime,
        "pieceJointeTaille": p.taille,
        "dateAjout": p.ajoutee_le.isoformat(),
    }


class PiecesJointesDeLaStructure(RessourceCpro):
    """GET structures/{uuid}/pieces_jointes : les pièces jointes réutilisables de la structure (RIB, Kbis…), vues
    de ses seuls comptes, même pour une structure publique."""

    parametres_requete = PAGINATION_REQUETE
    reponse = {"listePiecesJointes": liste(PIECE_JOINTE), **PARAMETRES_RETOUR}

    def lire(self, request, uuid_structure):
        s = referentiel.structure_propre_ou_404(request.user, _uuid(uuid_structure, "uuid"))
        qs = referentiel.pieces_jointes_propres(request.user, s)
        lignes, parametres = _paginer_requete(request, qs, TRIS_PIECES, "Nom")
        return _page("listePiecesJointes", lignes, parametres, _piece)


class ConsulterPieceJointe(RessourceCpro):
    """GET structures/{uuid}/pieces_jointes/{uuid} : une pièce jointe de la structure et son contenu (base64)."""

    reponse = {**PIECE_JOINTE, "pieceJointeFichier": {"type": "string", "format": "byte"}}

    def lire(self, request, uuid_structure, uuid_piece):
        s = referentiel.structure_propre_ou_404(request.user, _uuid(uuid_structure, "uuid"))
        piece = referentiel.piece_jointe_propre_ou_404(request.user, s, _uuid(uuid_piece, "uuidPieceJointe"))
        with piece.fichier.open("rb") as fichier:
            contenu = fichier.read()
        return {**_piece(piece), "pieceJointeFichier": base64.b64encode(contenu).decode("ascii")}


class ParametresEdi(RessourceCpro):
    """PATCH structures/{uuid}/parametres-edi : réception des données et connexion par EDI de la structure du
    compte technique (profil « Raccordement – modification »). Effectif après le délai des modifications de
    structure : la réponse donne l'heure."""

    http_method_names = ["patch", "options"]
    requete = objet(PARAMETRES_EDI)
    reponse = {
        "uuid": UUID,
        "parametresEdi": objet(PARAMETRES_EDI),
        "modificationEnAttente": objet({**MODIFICATION_EN_ATTENTE, "parametresEdi": objet(PARAMETRES_EDI)}),
    }

    def traiter(self, request, corps, uuid_structure):
        s = referentiel.structure_propre_ou_404(request.user, _uuid(uuid_structure, "uuid"))
        demandes = {nom: _booleen(corps, nom) for nom in PARAMETRES_EDI}
        demandes = {nom: valeur for nom, valeur in demandes.items() if valeur is not None}
        if not demandes:
            raise ErreurDonnees("reception_edi : donnez reception_edi ou connexion_edi.", champ="reception_edi")
        modification = structure_parametrer_edi(structure=s, par=request.user, **demandes)
        return {
            "uuid": str(s.uuid),
            "parametresEdi": {"reception_edi": s.reception_edi, "connexion_edi": s.connexion_edi},
            "modificationEnAttente": {**_en_attente(modification), "parametresEdi": modification.donnees},
        }


TRIS_STRUCTURES = {
    "LibelleOrganisation": ("raison_sociale",),
    "RaisonSociale": ("raison_sociale",),
    "Identifiant": ("identifiant",),
}
# searchable fields the portal does not record: a structure matches a « no » (false), none matches a « yes » or
# a value (the portal has no agricultural management centre, no PACAGE number, no INSEE categories)
BOOLEENS_NON_ENREGISTRES = ("estCentreGestionAgricole",)
VALEURS_NON_ENREGISTREES = (
    "numeroPacage",
    "categorieFournisseurMemoireId",
    "categorieBeneficiaireId",
    "categorieJuridique",
    "categorieEntreprise",
    "organisationParent",
)
BOOLEENS_STRUCTURE = {
    "numeroEjDoitEtreRenseigne": "engagement_obligatoire",
    "codeServiceDoitEtreRenseigne": "code_service_obligatoire",
    "gestionNumeroEJOuCodeService": "engagement_ou_service",
    "statutMiseEnPaiementNestPasRemonte": "statut_mise_en_paiement_non_remonte",
    "estMOAUniquement": "moa_uniquement",
    "recevoirCyclesViesEdi": "reception_edi",
    "emetteurFluxEdi": "connexion_edi",
}
EGALITES_STRUCTURE = {
    "codePostal": "code_postal",
    "pays": "pays",
    "telephone": "telephone",
}
EGALITES_SANS_CASSE_STRUCTURE = {"ville": "ville", "adresseElectronique": "email"}


def _commence_par(qs, colonne, texte):
    """A case-insensitive « starts with », written LOWER(col) LIKE 'abc%' so that the LOWER(col) indexes serve it
    (organisation migration 0007) — a « contains » would read the whole national table."""
    return qs.alias(**{f"_{colonne}_min": Lower(colonne)}).filter(**{f"_{colonne}_min__startswith": texte.lower()})


def _enumere(corps, nom, valeurs):
    valeur = champ(corps, nom, type_=str)
    if valeur is not None and valeur not in valeurs:
        raise ErreurDonnees(f"{nom} : « {valeur} » inconnu ({', '.join(valeurs)}).", champ=nom)
    return valeur


def _depuis(corps, nom):
    """An instant from a date (its midnight in the portal's time zone) or an ISO date-time (without an offset: the
    portal's time zone); the index on modifie_le serves the « >= » (organisation migration 0008)."""
    valeur = champ(corps, nom, type_=str)
    if valeur is None or not valeur.strip():
        return None
    texte = valeur.strip()
    try:
        instant = datetime.fromisoformat(texte.replace("Z", "+00:00"))
    except ValueError:
        raise ErreurDonnees(
            f"{nom} : une date AAAA-MM-JJ ou une date-heure AAAA-MM-JJTHH:MM:SS est attendue, pas « {valeur} ».",
            champ=nom,
        ) from None
    if timezone.is_naive(instant):
        instant = timezone.make_aware(instant)
    return instant


class RechercherStructures(RessourceCpro):
    """POST structures/recherche : les structures publiques actives et celles du compte technique, filtrées par les
    critères donnés (tous facultatifs, combinés). libelleOrganisation et raisonSociale cherchent les libellés qui
    commencent par le texte donné, sans tenir compte de la casse ; derniereMaj retient les structures modifiées
    depuis une date ou une date-heure ; les autres critères textuels sont exacts."""

    http_method_names = ["post", "options"]
    requete = objet(
        {
            "uuid": UUID,
            "identifiant": CHAINE,
            "typeIdentifiant": {"type": "string", "enum": list(TypeIdentifiant.values)},
            "libelleOrganisation": CHAINE,
            "raisonSociale": CHAINE,
            "numeroTvaIntracommunautaire": CHAINE,
            "typeOrganisation": {"type": "string", "enum": list(TYPES_ORGANISATION)},
            "status": {"type": "string", "enum": list(STATUTS_RECHERCHE)},
            "adresse": CHAINE,
            # « modifiées depuis » : a date (from that day's midnight, Paris time) or a date-time
            "derniereMaj": CHAINE,
            **dict.fromkeys((*EGALITES_STRUCTURE, *EGALITES_SANS_CASSE_STRUCTURE), CHAINE),
            **dict.fromkeys(
                (*BOOLEENS_STRUCTURE, "avecMOA", "nonDiffusibleInsee", *BOOLEENS_NON_ENREGISTRES), BOOLEEN
            ),
            **dict.fromkeys(VALEURS_NON_ENREGISTREES, CHAINE),
            **pagination("parametres"),
        }
    )
    reponse = {"listeStructures": liste(STRUCTURE), **PARAMETRES_RETOUR}

    def traiter(self, request, corps):
        qs = referentiel.structures_du_referentiel(request.user)
        if (valeur := champ(corps, "uuid", type_=str)) is not None:
            qs = qs.filter(uuid=_uuid(valeur, "uuid"))
        if identifiant := champ(corps, "identifiant", type_=str):
            qs = qs.filter(identifiant=identifiant.replace(" ", ""))
        if type_identifiant := _enumere(corps, "typeIdentifiant", TypeIdentifiant.values):
            qs = qs.filter(type_identifiant=type_identifiant)
        for nom in ("libelleOrganisation", "raisonSociale"):
            if texte := champ(corps, nom, type_=str):
                qs = _commence_par(qs, "raison_sociale", texte.strip())
        if tva := champ(corps, "numeroTvaIntracommunautaire", type_=str):
            qs = qs.filter(numero_tva=tva.replace(" ", "").upper())
        if type_organisation := _enumere(corps, "typeOrganisation", list(TYPES_ORGANISATION)):
            qs = qs.filter(est_publique=TYPES_ORGANISATION[type_organisation])
        if statut := _enumere(corps, "status", list(STATUTS_RECHERCHE)):
            qs = qs.filter(statut__in=STATUTS_RECHERCHE[statut])
        if adresse := champ(corps, "adresse", type_=str):
            qs = qs.filter(adresse__icontains=adresse)
        if (depuis := _depuis(corps, "derniereMaj")) is not None:
            qs = qs.filter(modifie_le__gte=depuis)
        for nom, colonne in EGALITES_STRUCTURE.items():
            if (valeur := champ(corps, nom, type_=str)) is not None:
                qs = qs.filter(**{colonne: valeur})
        for nom, colonne in EGALITES_SANS_CASSE_STRUCTURE.items():
            if (valeur := champ(corps, nom, type_=str)) is not None:
                qs = qs.filter(**{f"{colonne}__iexact": valeur})
        for nom, colonne in BOOLEENS_STRUCTURE.items():
            if (valeur := _booleen(corps, nom)) is not None:
                qs = qs.filter(**{colonne: valeur})
        qs = self._criteres_calcules(corps, qs)
        lignes, parametres = paginer(corps, "parametres", qs, TRIS_STRUCTURES, "LibelleOrganisation")
        return _page("listeStructures", lignes, parametres, _structure)

    def _criteres_calcules(self, corps, qs):
        """The criteria answered from what the portal derives (MOA, INSEE diffusion) or does not record."""
        if (valeur := _booleen(corps, "nonDiffusibleInsee")) is not None:
            particulier = Q(type_identifiant=TypeIdentifiant.PARTICULIER)
            qs = qs.filter(particulier if valeur else ~particulier)
        if (valeur := _booleen(corps, "avecMOA")) is not None:
            # as _structure's avecMOA: MOA only, or public and open to works invoices (« espaces » empty: every
            # application; the JSON list read as text, the one way both databases compare it)
            travaux = f'"{Application.FACTURES_TRAVAUX}"'
            moa = Q(moa_uniquement=True) | Q(est_publique=True) & (Q(espaces=[]) | Q(_espaces_texte__contains=travaux))
            qs = qs.alias(_espaces_texte=Cast("espaces", TextField()))
            qs = qs.filter(moa) if valeur else qs.exclude(moa)
        for nom in BOOLEENS_NON_ENREGISTRES:
            if _booleen(corps, nom):
                qs = qs.none()
        for nom in VALEURS_NON_ENREGISTREES:
            if champ(corps, nom, type_=str) is not None:
                qs = qs.none()
        return qs


class ConsulterService(RessourceCpro):
    """GET services/{uuid} : un service d'une structure publique, ou d'une structure du compte technique."""

    reponse = SERVICE

    def lire(self, request, uuid_service):
        return _service(referentiel.service_du_referentiel_ou_404(request.user, _uuid(uuid_service, "uuid")))


TRIS_SERVICES_RECHERCHE = {
    "CodeService": ("code",),
    "LibelleService": ("libelle",),
}


class RechercherServices(RessourceCpro):
    """POST services/recherche : les services des structures publiques actives et des structures du compte
    technique. statut : ACTIF, INACTIF ou SUPPRIME (le portail désactive un service, il ne le supprime pas : aucun
    service n'est SUPPRIME). libelleService cherche les libellés qui commencent par le texte donné."""

    http_method_names = ["post", "options"]
    requete = objet(
        {
            "uuid": UUID,
            "codeService": CHAINE,
            "libelleService": CHAINE,
            "statut": {"type": "string", "enum": STATUTS_SERVICE},
            "uuidStructure": UUID,
            "identifiantStructure": CHAINE,
            "typeIdentifiantStructure": {"type": "string", "enum": list(TypeIdentifiant.values)},
            "codePostal": CHAINE,
            "ville": CHAINE,
            **pagination("parametres"),
        }
    )
    reponse = {"listeServices": liste(SERVICE), **PARAMETRES_RETOUR}

    def traiter(self, request, corps):
        qs = referentiel.services_du_referentiel(request.user).select_related("structure")
        if (valeur := champ(corps, "uuid", type_=str)) is not None:
            qs = qs.filter(uuid=_uuid(valeur, "uuid"))
        if code := champ(corps, "codeService", type_=str):
            qs = qs.filter(code=code.strip().upper())
        if texte := champ(corps, "libelleService", type_=str):
            qs = _commence_par(qs, "libelle", texte.strip())
        if statut := _enumere(corps, "statut", STATUTS_SERVICE):
            qs = qs.none() if statut == "SUPPRIME" else qs.filter(actif=statut == "ACTIF")
        if (valeur := champ(corps, "uuidStructure", type_=str)) is not None:
            qs = qs.filter(structure__uuid=_uuid(valeur, "uuidStructure"))
        if identifiant := champ(corps, "identifiantStructure", type_=str):
            qs = qs.filter(structure__identifiant=identifiant.replace(" ", ""))
        if type_identifiant := _enumere(corps, "typeIdentifiantStructure", TypeIdentifiant.values):
            qs = qs.filter(structure__type_identifiant=type_identifiant)
        if (valeur := champ(corps, "codePostal", type_=str)) is not None:
            qs = qs.filter(code_postal=valeur)
        if (valeur := champ(corps, "ville", type_=str)) is not None:
            qs = qs.filter(ville__iexact=valeur)
        lignes, parametres = paginer(corps, "parametres", qs, TRIS_SERVICES_RECHERCHE, "CodeService")
        return _page("listeServices", lignes, parametres, _service)


def _date(corps, nom):
    valeur = champ(corps, nom, type_=str)
    if valeur is None:
        return None
    try:
        return date.fromisoformat(valeur)
    except ValueError:
        raise ErreurDonnees(f"{nom} : une date AAAA-MM-JJ est attendue, pas « {valeur} ».", champ=nom) from None


# creerService's fields → organisation.services.structures.service_creer's
CHAMPS_TEXTE_SERVICE = {
    "libelleService": "libelle",
    "description": "description",
    "adresse": "adresse",
    "complementAdresse1": "complement_1",
    "complementAdresse2": "complement_2",
    "codePostal": "code_postal",
    "ville": "ville",
    "pays": "pays",
    "telephone": "telephone",
}
CHAMPS_BOOLEENS_SERVICE = {
    "estActif": "actif",
    "numeroEjDoitEtreRenseigne": "engagement_obligatoire",
    "gestionStatutMiseEnPaiement": "mise_en_paiement",
}
NOMS_API_SERVICE = {
    "code": "codeService",
    "date_debut_validite": "dateDebutValidite",
    "date_fin_validite": "dateFinValidite",
    **{cible: nom for nom, cible in (CHAMPS_TEXTE_SERVICE | CHAMPS_BOOLEENS_SERVICE).items()},
}
LONGUEURS_SERVICE = {
    "codeService": 100, "libelleService": 255, "adresse": 255, "complementAdresse1": 255, "complementAdresse2": 255,
    "codePostal": 20, "ville": 100, "pays": 2, "telephone": 30,
}  # fmt: skip


class CreerService(RessourceCpro):
    """POST services (creerService) : crée un service dans une structure du compte technique, qui doit avoir le
    profil « Organisation – modification » (donné par un gestionnaire de la structure). Comme sur le portail, la
    création est effective après le délai des modifications de structure : la réponse donne l'UUID du futur service
    et l'heure à laquelle GET services/{uuid} le trouvera."""

    http_method_names = ["post", "options"]
    requete = objet(
        {
            "uuidStructure": UUID,
            "codeService": {"type": "string", "maxLength": 100},
            **dict.fromkeys(CHAMPS_TEXTE_SERVICE, CHAINE),
            "dateDebutValidite": {"type": "string", "format": "date"},
            "dateFinValidite": {"type": "string", "format": "date"},
            **dict.fromkeys(CHAMPS_BOOLEENS_SERVICE, BOOLEEN),
        },
        ["uuidStructure", "codeService", "libelleService"],
    )
    reponse = {
        "uuid": UUID,
        "codeService": CHAINE,
        "uuidStructure": UUID,
        "modificationEnAttente": objet(MODIFICATION_EN_ATTENTE),
    }

    def traiter(self, request, corps):
        valeur = champ(corps, "uuidStructure", type_=str, obligatoire=True)
        s = referentiel.structure_propre_ou_404(request.user, _uuid(valeur, "uuidStructure"))
        code = champ(corps, "codeService", type_=str, obligatoire=True)
        champ(corps, "libelleService", type_=str, obligatoire=True)
        champs = {}
        for nom, cible in CHAMPS_TEXTE_SERVICE.items():
            if (texte := champ(corps, nom, type_=str)) is not None:
                champs[cible] = texte
        for nom, longueur in LONGUEURS_SERVICE.items():
            if len(str(corps.get(nom) or "")) > longueur:
                raise ErreurDonnees(f"{nom} : {longueur} caractères au plus.", champ=nom)
        for nom, cible in CHAMPS_BOOLEENS_SERVICE.items():
            if (booleen := _booleen(corps, nom)) is not None:
                champs[cible] = booleen
        champs["date_debut_validite"] = _date(corps, "dateDebutValidite")
        champs["date_fin_validite"] = _date(corps, "dateFinValidite")
        try:
            modification = service_creer(structure=s, par=request.user, code=code, **champs)
        except ApplicationError as refus:
            # the portal's rule names its form's field: the client reads the name it sent
            if refus.champ in NOMS_API_SERVICE:
                raise ErreurDonnees(refus.message, champ=NOMS_API_SERVICE[refus.champ]) from None
            raise
        return {
            "uuid": modification.donnees["uuid"],
            "codeService": modification.donnees["code"],
            "uuidStructure": str(s.uuid),
            "modificationEnAttente": _en_attente(modification),
        }


RACINE = "cpro/organisations/v1"
SERVICES = [
    (f"{RACINE}/healthcheck", HealthCheck, "api_organisations_healthcheck"),
    (f"{RACINE}/structures/recherche", RechercherStructures, "api_organisations_structures_recherche"),
    (f"{RACINE}/structures/<str:uuid_structure>", ConsulterStructure, "api_organisations_structure"),
    (
        f"{RACINE}/structures/<str:uuid_structure>/services",
        ServicesDeLaStructure,
        "api_organisations_structure_services",
    ),
    (
        f"{RACINE}/structures/<str:uuid_structure>/pieces_jointes",
        PiecesJointesDeLaStructure,
        "api_organisations_structure_pieces_jointes",
    ),
    (
        f"{RACINE}/structures/<str:uuid_structure>/pieces_jointes/<str:uuid_piece>",
        ConsulterPieceJointe,
        "api_organisations_structure_piece_jointe",
    ),
    (
        f"{RACINE}/structures/<str:uuid_structure>/parametres-edi",
        ParametresEdi,
        "api_organisations_structure_parametres_edi",
    ),
    (f"{RACINE}/services", CreerService, "api_organisations_creer_service"),
    (f"{RACINE}/services/recherche", RechercherServices, "api_organisations_services_recherche"),
    (f"{RACINE}/services/<str:uuid_service>", ConsulterService, "api_organisations_service"),
]
