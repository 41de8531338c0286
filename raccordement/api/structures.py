"""`structures/v1/…` and the structure lists of `transverses/v1/…` (chorus-pro-api.md §2.3, §2.5): read through the
same policy as the portal. A search returns every public structure and the private ones the account belongs to
(`restreindreStructuresPrivees`, default true); a private structure the account does not belong to is not found."""

from django.db.models import Q
from django.http import Http404

from organisation.enums import Application, StatutStructure, TypeIdentifiant
from organisation.habilitations import structures_consultables, structures_visibles
from organisation.models import Service, Structure
from raccordement.api import enveloppe
from raccordement.api.pagination import paginer
from raccordement.api.schema import PARAMETRES_RETOUR, liste, objet, pagination
from raccordement.api.valeurs import date_api
from raccordement.api.vues import ErreurDonnees, ServiceCpro, champ

STATUTS_API = {StatutStructure.ACTIVE: "ACTIF"}
TRIS_STRUCTURES = {
    "IdentifiantStructure": ("identifiant",),
    "RaisonSociale": ("raison_sociale",),
    "LibelleStructure": ("raison_sociale",),
}


def _statut(structure):
    return STATUTS_API.get(structure.statut, "INACTIF")


def structures_accessibles(user):
    """Public active structures, and the private ones the technical user belongs to."""
    return Structure.objects.filter(
        Q(est_publique=True, statut=StatutStructure.ACTIVE)
        | Q(pk__in=structures_consultables(user).values("pk"))
        | Q(pk__in=structures_visibles(user, Application.FACTURES_EMISES).values("pk"))
    )


STRUCTURE_LISTEE = {
    "idStructureCPP": {"type": "integer"},
    "identifiantStructure": {"type": "string"},
    "typeIdentifiantStructure": {"type": "string"},
    "designationStructure": {"type": "string"},
}
ADRESSE = objet({c: {"type": "string"} for c in ("adresse", "codePostal", "ville", "pays")})
SERVICE = {
    "idService": {"type": "integer"},
    "codeService": {"type": "string"},
    "libelleService": {"type": "string"},
    "estActif": {"type": "boolean"},
    "statutService": {"type": "string"},
}


def _structure(user, identifiant, cle="idStructureCPP"):
    trouvee = structures_accessibles(user).filter(pk=identifiant).first()
    if trouvee is None:
        raise Http404(f"{cle} {identifiant}")
    return trouvee


class RechercherStructure(ServiceCpro):
    """Les structures publiques actives, et les structures privées du compte technique."""

    requete = objet(
        {
            "structure": objet(
                {
                    "identifiantStructure": {"type": "string"},
                    "typeIdentifiantStructure": {"type": "string"},
                    "raisonSocialeStructure": {"type": "string"},
                    "libelleStructure": {"type": "string"},
                    "statutStructure": {"type": "string"},
                    "estMOA": {"type": "boolean"},
                    "estMOAUniquement": {"type": "boolean"},
                    "adresseCodePostal": {"type": "string"},
                    "adresseVille": {"type": "string"},
                }
            ),
            "restreindreStructuresPrivees": {"type": "boolean"},
            **pagination("parametres"),
        }
    )
    reponse = {"listeStructures": liste({**STRUCTURE_LISTEE, "statut": {"type": "string"}}), **PARAMETRES_RETOUR}

    def traiter(self, request, corps):
        criteres = corps.get("structure") or {}
        if not isinstance(criteres, dict):
            raise ErreurDonnees("structure : un objet est attendu.", champ="structure")
        # restreindreStructuresPrivees: true or absent gives what it says; false cannot widen it (a private
        # structure is visible only to who belongs to it)
        qs = structures_accessibles(request.user)
        if identifiant := champ(criteres, "identifiantStructure", type_=str):
            qs = qs.filter(identifiant=identifiant.replace(" ", ""))
        if type_identifiant := champ(criteres, "typeIdentifiantStructure", type_=str):
            if type_identifiant not in TypeIdentifiant.values:
                raise ErreurDonnees(
                    f"structure.typeIdentifiantStructure : « {type_identifiant} » inconnu.",
                    champ="structure.typeIdentifiantStructure",
                )
            qs = qs.filter(type_identifiant=type_identifiant)
        for cle in ("raisonSocialeStructure", "libelleStructure"):
            if texte := champ(criteres, cle, type_=str):
                qs = qs.filter(raison_sociale__icontains=texte)
        if champ(criteres, "statutStructure", type_=str) == "ACTIF":
            qs = qs.filter(statut=StatutStructure.ACTIVE)
        if (est_moa := criteres.get("estMOA")) is not None:
            qs = qs.filter(est_publique=bool(est_moa))
        if criteres.get("estMOAUniquement"):
            qs = qs.filter(moa_uniquement=True)
        if code_postal := champ(criteres, "adresseCodePostal", type_=str):
            qs = qs.filter(code_postal=code_postal)
        if ville := champ(criteres, "adresseVille", type_=str):
            qs = qs.filter(ville__iexact=ville)
        lignes, parametres = paginer(corps, "parametres", qs, TRIS_STRUCTURES, "RaisonSociale")
        reponse = {
            "listeStructures": [
                {
                    "idStructureCPP": s.pk,
                    "identifiantStructure": s.identifiant,
                    "typeIdentifiantStructure": s.type_identifiant,
                    "designationStructure": s.designation,
                    "statut": _statut(s),
                }
                for s in lignes
            ],
            "parametresRetour": parametres,
        }
        if not lignes:
            reponse.update(codeRetour=enveloppe.AUCUN_RESULTAT, libelle=enveloppe.LIBELLE_AUCUN_RESULTAT)
        return reponse


def _adresse(o):
    return {
        "adresse": o.adresse,
        "complementAdresse1": o.complement_1,
        "complementAdresse2": o.complement_2,
        "codePostal": o.code_postal,
        "ville": o.ville,
        "pays": o.pays,
        "telephone": o.telephone,
    }


class ConsulterStructure(ServiceCpro):
    """Une structure : informations générales, adresse du siège, paramètres de réception."""

    requete = objet({"idStructureCPP": {"type": "integer"}, "codeLangue": {"type": "string"}}, ["idStructureCPP"])
    reponse = {
        "informationGenerales": objet(
            {"idStructureCPP": {"type": "integer"}, "identifiantStructure": {"type": "string"}}
        ),
        "adressePostaleDuSiege": ADRESSE,
        "parametres": objet(),
    }

    def traiter(self, request, corps):
        s = _structure(request.user, champ(corps, "idStructureCPP", type_=int, obligatoire=True))
        return {
            "informationGenerales": {
                "idStructureCPP": s.pk,
                "identifiantStructure": s.identifiant,
                "typeIdentifiantStructure": s.type_identifiant,
                "libelleStructure": s.designation,
                "raisonSocialeStructure": s.raison_sociale,
                "nomStructure": s.nom,
                "prenomStructure": s.prenom,
                "numeroTVA": s.numero_tva,
                "numeroRcsStructure": s.numero_rcs,
                "emailStructure": s.email,
                "structurePriveePublique": "PUBLIQUE" if s.est_publique else "PRIVEE",
                "idStructureOrigine": s.structure_origine_id,
            },
            "adressePostaleDuSiege": _adresse(s),
            "parametres": {
                "codeServiceDoitEtreRenseigne": s.code_service_obligatoire,
                "numeroEJDoitEtreRenseigne": s.engagement_obligatoire,
                "gestionNumeroEJOuCodeService": s.engagement_ou_service,
                "statutMiseEnPaiementNestPasRemonte": s.statut_mise_en_paiement_non_remonte,
                "estMOAUniquement": s.moa_uniquement,
                "delaiGlobalPaiement": s.delai_global_paiement,
            },
        }


TRIS_SERVICES = {"CodeService": ("code",), "LibelleService": ("libelle",)}


def _service(service):
    return {
        "idService": service.pk,
        "codeService": service.code,
        "libelleService": service.libelle,
        "estActif": service.actif,
        "statutService": "ACTIF" if service.actif else "INACTIF",
        "dateDbtService": service.date_debut_validite.isoformat() if service.date_debut_validite else None,
        "dateFinService": service.date_fin_validite.isoformat() if service.date_fin_validite else None,
    }


class RechercherServicesStructure(ServiceCpro):
    """Les services d'une structure."""

    requete = objet(
        {"idStructure": {"type": "integer"}, **pagination("parametresRechercherServicesStructure")}, ["idStructure"]
    )
    reponse = {"listeServices": liste(SERVICE), **PARAMETRES_RETOUR}

    def traiter(self, request, corps):
        s = _structure(request.user, champ(corps, "idStructure", type_=int, obligatoire=True), "idStructure")
        lignes, parametres = paginer(
            corps, "parametresRechercherServicesStructure", s.services.all(), TRIS_SERVICES, "CodeService"
        )
        reponse = {"listeServices": [_service(x) for x in lignes], "parametresRetour": parametres}
        if not lignes:
            reponse.update(codeRetour=enveloppe.AUCUN_RESULTAT, libelle=enveloppe.LIBELLE_AUCUN_RESULTAT)
        return reponse


class ConsulterServiceStructure(ServiceCpro):
    """Un service d'une structure et ses paramètres (engagement obligatoire, mise en paiement)."""

    requete = objet(
        {"idStructure": {"type": "integer"}, "idService": {"type": "integer"}}, ["idStructure", "idService"]
    )
    reponse = {"informationsGenerales": objet({"codeService": {"type": "string"}}), "adressePostale": ADRESSE}

    def traiter(self, request, corps):
        s = _structure(request.user, champ(corps, "idStructure", type_=int, obligatoire=True), "idStructure")
        service = Service.objects.filter(
            structure=s, pk=champ(corps, "idService", type_=int, obligatoire=True)
        ).first()
        if service is None:
            raise Http404("idService")
        return {
            "informationsGenerales": {
                "codeService": service.code,
                "nomService": service.libelle,
                "descriptionService": service.description,
            },
            "adressePostale": _adresse(service),
            "parametres": {
                "numeroEngagement": service.engagement_obligatoire,
                "miseEnPaiement": service.mise_en_paiement,
                "dateCreation": service.cree_le.isoformat() if service.cree_le else None,
                "dateDebutValidite": date_api(service.date_debut_validite),
                "dateFinValidite": date_api(service.date_fin_validite),
            },
        }


class RecupererStructuresActives(ServiceCpro):
    """Les structures pour lesquelles le compte technique émet des factures (idFournisseur de soumettre)."""

    application = Application.FACTURES_EMISES
    requete = objet()
    reponse = {"listeStructures": liste(STRUCTURE_LISTEE)}

    def traiter(self, request, corps):
        structures = structures_visibles(request.user, self.application).order_by("raison_sociale", "pk")
        return {
            "listeStructures": [
                {
                    "idStructureCPP": s.pk,
                    "identifiantStructure": s.identifiant,
                    "typeIdentifiantStructure": s.type_identifiant,
                    "designationStructure": s.designation,
                }
                for s in structures
            ]
        }


class RecupererStructuresActivesDestinataire(RecupererStructuresActives):
    """Les structures pour lesquelles le compte technique reçoit des factures."""

    application = Application.FACTURES_RECUES
