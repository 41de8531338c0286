"""`structures/v1/…` and the structure lists of `transverses/v1/…` (chorus-pro-api.md §2.3, §2.5): read through the
same policy as the portal. A search returns every public structure and the private ones the account belongs to
(`restreindreStructuresPrivees`, default true); a private structure the account does not belong to is not found."""

import csv
import re
from pathlib import Path

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from facturation.models import DelegationFactures
from organisation.enums import Application, StatutStructure, TypeIdentifiant
from organisation.habilitations import structures_consultables, structures_visibles
from organisation.models import Service, Structure
from raccordement.api import enveloppe
from raccordement.api.pagination import paginer
from raccordement.api.schema import PARAMETRES_RETOUR, liste, objet, pagination
from raccordement.api.valeurs import date_api
from raccordement.api.vues import ErreurDonnees, ServiceLecture, champ
from raccordement.enums import TypeRaccordement
from raccordement.models import FicheRaccordement

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


class RechercherStructure(ServiceLecture):
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


def _indicatifs():
    with open(Path(__file__).resolve().parents[1] / "regles" / "indicatifs.csv", encoding="utf-8", newline="") as f:
        return {ligne["pays"]: ligne["indicatif"] for ligne in csv.DictReader(f)}


# The calling code of the countries where the portal's structures are (raccordement/regles/indicatifs.csv)
INDICATIFS = _indicatifs()


def indicatif(numero, pays):
    """indicatifTelephone: the prefix an international number carries (« +33 1 23… »), else the country's code."""
    numero = (numero or "").strip()
    if not numero:
        return ""
    if numero.startswith("+"):
        if tete := re.match(r"\+(\d{1,3})(?:[\s.\-(]|$)", numero):
            return f"+{tete.group(1)}"
        # written without a separator: the longest known code it starts with
        compact = re.sub(r"[\s.\-()]", "", numero)
        return max((i for i in INDICATIFS.values() if compact.startswith(i)), key=len, default="")
    return INDICATIFS.get(pays, "")


def _adresse(o):
    return {
        "adresse": o.adresse,
        "complementAdresse1": o.complement_1,
        "complementAdresse2": o.complement_2,
        "codePostal": o.code_postal,
        "ville": o.ville,
        "pays": o.pays,
        "telephone": o.telephone,
        "indicatifTelephone": indicatif(o.telephone, o.pays),
        # the portal keeps no fax number (its forms never asked for one)
        "fax": "",
        "indicatifFax": "",
    }


def _raccordement_edi(structure):
    """(connexionEDI, recevoirDonneesViaEDI): an EDI connection in use, and whether it carries flux to the
    structure (formats reçus: the cycle de vie, received invoices)."""
    fiches = FicheRaccordement.objects.filter(
        structure=structure, type_raccordement=TypeRaccordement.EDI, desactivee_le__isnull=True
    )
    formats = list(fiches.values_list("formats_recus", flat=True))  # one query for both answers
    return bool(formats), any(formats)


def _est_valideur_delegue(structure):
    return DelegationFactures.objects.filter(delegue=structure, active=True).exists()


def _a_moa(structure):
    """A structure acts as MOA when it is MOA only, or a public structure open to works invoices."""
    return structure.moa_uniquement or (structure.est_publique and structure.utilise(Application.FACTURES_TRAVAUX))


def _expiration_mot_de_passe(compte, structure):
    """The calling technical account's password expiry, on its own structure only: another structure's accounts
    are none of its business."""
    if compte is None or compte.structure_id != structure.pk:
        return None
    # a date, as Chorus Pro's « date… » fields (its timestamps are « dateHeure… »); OCA keeps it in a Date field
    return timezone.localdate(compte.mot_de_passe_expire_le).isoformat()


class ConsulterStructure(ServiceLecture):
    """Une structure : informations générales, adresse du siège, paramètres de réception. La date d'expiration du
    mot de passe est celle du compte technique appelant, pour sa propre structure."""

    requete = objet({"idStructureCPP": {"type": "integer"}, "codeLangue": {"type": "string"}}, ["idStructureCPP"])
    reponse = {
        "informationGenerales": objet(
            {
                "idStructureCPP": {"type": "integer"},
                "identifiantStructure": {"type": "string"},
                "typeIdentifiantStructure": {"type": "string"},
                "libelleStructure": {"type": "string"},
                "raisonSocialeStructure": {"type": "string"},
                "structurePriveePublique": {"type": "string", "enum": ["PRIVEE", "PUBLIQUE"]},
                "dateExpirationMotPasseCompteTech": {"type": "string", "format": "date", "nullable": True},
                "estValideurDeleguee": {"type": "boolean"},
                "listeStructureDupliquees": liste({"structureDupliquee": {"type": "integer"}}),
            }
        ),
        "adressePostaleDuSiege": objet(
            {
                c: {"type": "string"}
                for c in (
                    "adresse",
                    "complementAdresse1",
                    "complementAdresse2",
                    "codePostal",
                    "ville",
                    "pays",
                    "telephone",
                    "indicatifTelephone",
                    "fax",
                    "indicatifFax",
                )
            }
        ),
        "parametres": objet(
            {
                c: {"type": "boolean"}
                for c in (
                    "codeServiceDoitEtreRenseigne",
                    "numeroEJDoitEtreRenseigne",
                    "gestionNumeroEJOuCodeService",
                    "statutMiseEnPaiementNestPasRemonte",
                    "estMoaUniquement",
                    "aMoa",
                    "connexionEDI",
                    "recevoirDonneesViaEDI",
                    "estValideurDelegue",
                    "nonDiffusibleInsee",
                )
            }
        ),
    }

    def traiter(self, request, corps):
        s = _structure(request.user, champ(corps, "idStructureCPP", type_=int, obligatoire=True))
        connexion_edi, recevoir_via_edi = _raccordement_edi(s)
        valideur_delegue = _est_valideur_delegue(s)
        dupliquees = structures_accessibles(request.user).filter(structure_origine=s).order_by("pk")
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
                "dateExpirationMotPasseCompteTech": _expiration_mot_de_passe(request.auth, s),
                "estValideurDeleguee": valideur_delegue,
                "listeStructureDupliquees": [
                    {"structureDupliquee": pk} for pk in dupliquees.values_list("pk", flat=True)
                ],
            },
            "adressePostaleDuSiege": _adresse(s),
            "parametres": {
                "codeServiceDoitEtreRenseigne": s.code_service_obligatoire,
                "numeroEJDoitEtreRenseigne": s.engagement_obligatoire,
                "gestionNumeroEJOuCodeService": s.engagement_ou_service,
                "statutMiseEnPaiementNestPasRemonte": s.statut_mise_en_paiement_non_remonte,
                "estMoaUniquement": s.moa_uniquement,
                "aMoa": _a_moa(s),
                "connexionEDI": connexion_edi,
                "recevoirDonneesViaEDI": recevoir_via_edi,
                "estValideurDelegue": valideur_delegue,
                # the portal keeps no INSEE diffusion status; a private person's identity is never published
                "nonDiffusibleInsee": s.type_identifiant == TypeIdentifiant.PARTICULIER,
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


class RechercherServicesStructure(ServiceLecture):
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


class ConsulterServiceStructure(ServiceLecture):
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


class RecupererStructuresActives(ServiceLecture):
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
