"""Services, users and « espaces » of the structures (chorus-pro-api.md §2.3, §2.5): the CS17 services of
`transverses/v1/…` (`rechercher/serviceexecutant`, `recuperer/services/executantetat`, `recuperer/services/structure`,
`recuperer/utilisateurs/service`), `structures/v1/lister/rattachementsutilisateur` and `rechercherEspaces`.

A service is listed with the fields of `structures/v1/rechercher/services` (idService, codeService, libelleService,
estActif, statutService, dateDbtService, dateFinService). The structures read are those `rechercherStructure` finds
(public active ones, and the account's own); the users of a structure are read as its « Utilisateurs » page reads
them, with the « Organisation – consultation » profile: another structure, or a structure whose users the account may
not see, answers 404."""

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from organisation.enums import Application, Niveau, StatutRattachement, StatutStructure, TypeIdentifiant
from organisation.habilitations import objet_visible_ou_404, ouvertures
from organisation.models import Rattachement, Service
from organisation.selectors.utilisateurs import (
    identifiant_normalise,
    rattachements_du_compte,
    structures_consultables,
    utilisateurs_de_structure,
)
from raccordement.api import enveloppe
from raccordement.api.pagination import paginer
from raccordement.api.schema import PARAMETRES_RETOUR, liste, objet, pagination
from raccordement.api.structures import SERVICE, TRIS_SERVICES, _service, structures_accessibles
from raccordement.api.vues import ErreurDonnees, ServiceLecture, champ

# INSEE numbers the State's own legal persons (ministries and their services) with a SIREN starting with 1, the
# local authorities with 2: the « services exécutants de l'État » are the services of public structures of the first.
PREMIER_CHIFFRE_SIREN_ETAT = "1"

SERVICE_DATE = {
    **SERVICE,
    "dateDbtService": {"type": "string", "format": "date", "nullable": True},
    "dateFinService": {"type": "string", "format": "date", "nullable": True},
}
SERVICE_ET_STRUCTURE = {
    **SERVICE_DATE,
    "idStructure": {"type": "integer"},
    "identifiantStructure": {"type": "string"},
    "designationStructure": {"type": "string"},
}


def _service_et_structure(service):
    return {
        **_service(service),
        "idStructure": service.structure_id,
        "identifiantStructure": service.structure.identifiant,
        "designationStructure": service.structure.designation,
    }


def _jour(horodatage):
    return timezone.localdate(horodatage).isoformat() if horodatage else None


def _aucun_resultat(reponse, lignes):
    if not lignes:
        reponse.update(codeRetour=enveloppe.AUCUN_RESULTAT, libelle=enveloppe.LIBELLE_AUCUN_RESULTAT)
    return reponse


def _structure_accessible(user, corps, cle="idStructure"):
    return objet_visible_ou_404(structures_accessibles(user), pk=champ(corps, cle, type_=int, obligatoire=True))


def _booleen(corps, cle):
    valeur = corps.get(cle)
    if valeur is not None and not isinstance(valeur, bool):
        raise ErreurDonnees(f"{cle} : true ou false est attendu.", champ=cle)
    return valeur


TRIS_SERVICES_EXECUTANTS = {
    **TRIS_SERVICES,
    "IdentifiantStructure": ("structure__identifiant", "code"),
    "DesignationStructure": ("structure__raison_sociale", "code"),
}


class RechercherServiceExecutant(ServiceLecture):
    """Les services exécutants des structures que le compte peut lire (les structures publiques actives et les
    siennes), par structure (`idStructure` ou `identifiantStructure`), code, libellé (une partie) ou état."""

    requete = objet(
        {
            "idStructure": {"type": "integer"},
            "identifiantStructure": {"type": "string"},
            "codeServiceExecutant": {"type": "string"},
            "libelleServiceExecutant": {"type": "string"},
            "estActif": {"type": "boolean"},
            **pagination("parametresRecherche"),
        }
    )
    reponse = {"listeServices": liste(SERVICE_ET_STRUCTURE), **PARAMETRES_RETOUR}

    def traiter(self, request, corps):
        qs = Service.objects.filter(
            structure__in=structures_accessibles(request.user).values("pk"), structure__statut=StatutStructure.ACTIVE
        ).select_related("structure")
        if (id_structure := champ(corps, "idStructure", type_=int)) is not None:
            qs = qs.filter(structure_id=id_structure)
        if identifiant := champ(corps, "identifiantStructure", type_=str):
            qs = qs.filter(structure__identifiant=identifiant.replace(" ", ""))
        if code := champ(corps, "codeServiceExecutant", type_=str):
            qs = qs.filter(code__iexact=code.strip())
        if libelle := champ(corps, "libelleServiceExecutant", type_=str):
            qs = qs.filter(libelle__icontains=libelle.strip())
        if (actif := _booleen(corps, "estActif")) is not None:
            qs = qs.filter(actif=actif)
        lignes, parametres = paginer(corps, "parametresRecherche", qs, TRIS_SERVICES_EXECUTANTS, "CodeService")
        return _aucun_resultat(
            {"listeServices": [_service_et_structure(s) for s in lignes], "parametresRetour": parametres}, lignes
        )


class RecupererServicesExecutantEtat(ServiceLecture):
    """Les services exécutants actifs de l'État : ceux des structures publiques actives identifiées par un SIRET
    dont le SIREN commence par 1 (numérotation INSEE des personnes morales de l'État)."""

    requete = objet()
    reponse = {"listeServices": liste(SERVICE_ET_STRUCTURE)}

    def traiter(self, request, corps):
        services = (
            Service.objects.filter(
                actif=True,
                structure__est_publique=True,
                structure__statut=StatutStructure.ACTIVE,
                structure__type_identifiant=TypeIdentifiant.SIRET,
                structure__identifiant__startswith=PREMIER_CHIFFRE_SIREN_ETAT,
            )
            .select_related("structure")
            .order_by("structure__raison_sociale", "code", "pk")
        )
        lignes = [_service_et_structure(s) for s in services]
        return _aucun_resultat({"listeServices": lignes}, lignes)


class RecupererServicesParStructure(ServiceLecture):
    """Tous les services d'une structure que le compte peut lire, actifs ou non, par code."""

    requete = objet({"idStructure": {"type": "integer"}}, ["idStructure"])
    reponse = {"listeServices": liste(SERVICE_DATE)}

    def traiter(self, request, corps):
        structure = _structure_accessible(request.user, corps)
        lignes = [_service(s) for s in structure.services.order_by("code", "pk")]
        return _aucun_resultat({"listeServices": lignes}, lignes)


UTILISATEUR_DU_SERVICE = {
    "idUtilisateur": {"type": "integer"},
    "idRattachement": {"type": "integer"},
    "nomUtilisateur": {"type": "string"},
    "prenomUtilisateur": {"type": "string"},
    "emailUtilisateur": {"type": "string"},
    "telephoneUtilisateur": {"type": "string"},
    "statutRattachement": {"type": "string"},
    "estGestionnairePrincipal": {"type": "boolean"},
    "dateRattachement": {"type": "string", "format": "date"},
}
TRIS_UTILISATEURS = {
    "NomUtilisateur": ("utilisateur__nom", "utilisateur__prenom"),
    "EmailUtilisateur": ("utilisateur__email",),
    "DateRattachement": ("date_rattachement",),
}


def _structure_dont_on_voit_les_utilisateurs(user, corps):
    return objet_visible_ou_404(
        structures_consultables(user), pk=champ(corps, "idStructure", type_=int, obligatoire=True)
    )


class RecupererUtilisateursDuService(ServiceLecture):
    """Les utilisateurs qui travaillent pour un service, comme la page « Utilisateurs » de la structure les
    affiche par service : rattachés à toute la structure ou à ce service. Il faut le profil « Organisation –
    consultation » sur la structure."""

    requete = objet(
        {"idStructure": {"type": "integer"}, "idService": {"type": "integer"}, **pagination("parametresRecherche")},
        ["idStructure", "idService"],
    )
    reponse = {"listeUtilisateursDuService": liste(UTILISATEUR_DU_SERVICE), **PARAMETRES_RETOUR}

    def traiter(self, request, corps):
        structure = _structure_dont_on_voit_les_utilisateurs(request.user, corps)
        service = objet_visible_ou_404(
            structure.services.all(), pk=champ(corps, "idService", type_=int, obligatoire=True)
        )
        lignes, parametres = paginer(
            corps,
            "parametresRecherche",
            utilisateurs_de_structure(structure, services=[service]),
            TRIS_UTILISATEURS,
            "NomUtilisateur",
        )
        return _aucun_resultat(
            {
                "listeUtilisateursDuService": [
                    {
                        "idUtilisateur": r.utilisateur_id,
                        "idRattachement": r.pk,
                        "nomUtilisateur": r.utilisateur.nom,
                        "prenomUtilisateur": r.utilisateur.prenom,
                        "emailUtilisateur": r.utilisateur.email,
                        "telephoneUtilisateur": r.utilisateur.telephone,
                        "statutRattachement": r.statut,
                        "estGestionnairePrincipal": r.est_gestionnaire_principal,
                        "dateRattachement": _jour(r.date_rattachement),
                    }
                    for r in lignes
                ],
                "parametresRetour": parametres,
            },
            lignes,
        )


# --- listerRattachementsStructureUtilisateur -----------------------------------------------------------------------

TRIS_RATTACHEMENT = {"CodeService": ("code",), "NomService": ("libelle",)}
CLE_PAGINATION_RATTACHEMENT = "parametresListerRattachementsStructureUtilisateur"


def _structure_nommee(user, corps):
    """The structure by `idStructure`, or by `identifiantStructure` and `typeIdentifiantStructure`."""
    qs = structures_accessibles(user)
    if (id_structure := champ(corps, "idStructure", type_=int)) is not None:
        return objet_visible_ou_404(qs, pk=id_structure)
    identifiant = champ(corps, "identifiantStructure", type_=str)
    if not identifiant:
        raise ErreurDonnees(
            "idStructure : ce champ est obligatoire (ou identifiantStructure et typeIdentifiantStructure).",
            champ="idStructure",
        )
    type_identifiant = champ(corps, "typeIdentifiantStructure", type_=str, defaut=TypeIdentifiant.SIRET)
    if type_identifiant not in TypeIdentifiant.values:
        raise ErreurDonnees(
            f"typeIdentifiantStructure : « {type_identifiant} » inconnu.", champ="typeIdentifiantStructure"
        )
    return objet_visible_ou_404(
        qs, type_identifiant=type_identifiant, identifiant=identifiant_normalise(type_identifiant, identifiant)
    )


def _rattachement(user, structure, corps):
    """The attachment of the user named by `idUtilisateur` or `adresseEmailConnexionUtilisateur` (the calling
    account when neither is given) to `structure`. Another user's is read as the structure's « Utilisateurs » page
    reads it: with « Organisation – consultation » on the structure."""
    id_utilisateur = champ(corps, "idUtilisateur", type_=int)
    email = (champ(corps, "adresseEmailConnexionUtilisateur", type_=str) or "").strip()
    soi = (id_utilisateur in (None, 0) and not email) or id_utilisateur == user.pk
    if soi:
        return objet_visible_ou_404(rattachements_du_compte(user), structure=structure)
    if not structures_consultables(user).filter(pk=structure.pk).exists():
        raise Http404("structure")
    qui = Q(utilisateur_id=id_utilisateur) if id_utilisateur not in (None, 0) else Q(utilisateur__email__iexact=email)
    return objet_visible_ou_404(Rattachement.objects.filter(qui, structure=structure))


class ListerRattachementsStructureUtilisateur(ServiceLecture):
    """Les services auxquels un utilisateur est rattaché sur une structure (par défaut, le compte appelant) :
    `listeServices` et `premierService` (vrai quand le rattachement ne désigne encore aucun service : il vaut
    pour tous les services de la structure, listés alors). Le rattachement d'un autre utilisateur se lit avec le
    profil « Organisation – consultation » sur la structure."""

    requete = objet(
        {
            "idStructure": {"type": "integer"},
            "identifiantStructure": {"type": "string"},
            "typeIdentifiantStructure": {"type": "string"},
            "idUtilisateur": {"type": "integer"},
            "adresseEmailConnexionUtilisateur": {"type": "string"},
            **pagination(CLE_PAGINATION_RATTACHEMENT),
        }
    )
    reponse = {
        "idStructure": {"type": "integer"},
        "identifiantStructure": {"type": "string"},
        "designationStructure": {"type": "string"},
        "listeServices": liste(
            {
                "idService": {"type": "integer"},
                "codeService": {"type": "string"},
                "nomService": {"type": "string"},
                "statutRattachement": {"type": "string"},
                "dateDebut": {"type": "string", "format": "date", "nullable": True},
                "dateFin": {"type": "string", "format": "date", "nullable": True},
                "idRattachement": {"type": "integer"},
                "commentaire": {"type": "string"},
            }
        ),
        "premierService": {"type": "boolean"},
        **PARAMETRES_RETOUR,
    }

    def traiter(self, request, corps):
        structure = _structure_nommee(request.user, corps)
        rattachement = _rattachement(request.user, structure, corps)
        restreint = rattachement.services.all()
        premier_service = not restreint.exists()
        services = structure.services.all() if premier_service else restreint
        lignes, parametres = paginer(corps, CLE_PAGINATION_RATTACHEMENT, services, TRIS_RATTACHEMENT, "CodeService")
        # an attachment starts when approved and ends when terminated (its approval date is then overwritten)
        termine = rattachement.statut == StatutRattachement.TERMINE
        debut = _jour(rattachement.cree_le if termine else rattachement.traite_le or rattachement.cree_le)
        fin = _jour(rattachement.traite_le) if termine else None
        return {
            "idStructure": structure.pk,
            "identifiantStructure": structure.identifiant,
            "designationStructure": structure.designation,
            "listeServices": [
                {
                    "idService": s.pk,
                    "codeService": s.code,
                    "nomService": s.libelle,
                    "statutRattachement": rattachement.statut,
                    "dateDebut": debut,
                    "dateFin": fin,
                    "idRattachement": rattachement.pk,
                    "commentaire": rattachement.motif_refus or rattachement.message,
                }
                for s in lignes
            ],
            "premierService": premier_service,
            "parametresRetour": parametres,
        }


class RechercherEspaces(ServiceLecture):
    """Les espaces (applications du portail) qu'ouvrent les profils du compte, avec le niveau le plus haut :
    MODIFICATION ou CONSULTATION. Comptent les rattachements actifs à des structures actives qui utilisent
    l'espace, comme pour les menus du portail."""

    requete = objet()
    reponse = {
        "listeEspaces": liste(
            {
                "codeEspace": {"type": "string", "enum": list(Application.values)},
                "libelleEspace": {"type": "string"},
                "niveau": {"type": "string", "enum": list(Niveau.values)},
            }
        )
    }

    def traiter(self, request, corps):
        ouvert = ouvertures(request.user)
        lignes = [
            {
                "codeEspace": application.value,
                "libelleEspace": application.label,
                "niveau": Niveau.MODIFICATION
                if ouvert.ouvre(application, Niveau.MODIFICATION)
                else Niveau.CONSULTATION,
            }
            for application in Application
            if ouvert.ouvre(application)
        ]
        return _aucun_resultat({"listeEspaces": lignes}, lignes)


SERVICES = [
    (
        "cpro/transverses/v1/rechercher/serviceexecutant",
        RechercherServiceExecutant,
        "api_rechercher_service_executant",
    ),
    (
        "cpro/transverses/v1/recuperer/services/executantetat",
        RecupererServicesExecutantEtat,
        "api_recuperer_services_executant_etat",
    ),
    (
        "cpro/transverses/v1/recuperer/services/structure",
        RecupererServicesParStructure,
        "api_recuperer_services_structure",
    ),
    (
        "cpro/transverses/v1/recuperer/utilisateurs/service",
        RecupererUtilisateursDuService,
        "api_recuperer_utilisateurs_service",
    ),
    (
        "cpro/structures/v1/lister/rattachementsutilisateur",
        ListerRattachementsStructureUtilisateur,
        "api_lister_rattachements_utilisateur",
    ),
    # Path unverified (ZMOG names the method only): the `rechercher/<objet>` form of structures/v1/rechercher/services
    ("cpro/structures/v1/rechercher/espaces", RechercherEspaces, "api_rechercher_espaces"),
]
