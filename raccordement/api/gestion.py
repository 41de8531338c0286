"""The management services: a structure, its services, its users and their attachment requests, managed by API.

Source: these services are known only by their 2017 path, before PISTE (chorus-pro-api.md §2.3 end and §2.6, tag
CS17: github CPP-2017/ChorusPro, `ChorusProAPI/API/Structures/*` and `ChorusProAPI/API/Utilisateurs/*`); no PISTE
client calls them, so their v1 path is **unverified**. They are served as the other services of the same group are
on PISTE: `<groupe>/<rest>` becomes `cpro/<groupe>/v1/<rest>`, as chorus-pro-api.md §2.2 maps the works services:

- `structures/saisir/generalites` → `cpro/structures/v1/saisir/generalites`
- `structures/saisir/generalites/service` → `cpro/structures/v1/saisir/generalites/service`
- `structures/rechercher/utilisateurs/structure` → `cpro/structures/v1/rechercher/utilisateurs/structure`
- `structures/rechercher/utilisateurs/service` → `cpro/structures/v1/rechercher/utilisateurs/service`
- `utilisateurs/gestionnaire/saisir/generalites/nouvelutilisateur`
  → `cpro/utilisateurs/v1/gestionnaire/saisir/generalites/nouvelutilisateur`
- `utilisateurs/gestionnaire/modifier` → `cpro/utilisateurs/v1/gestionnaire/modifier`
- `utilisateurs/structures/valider/rattachements` → `cpro/utilisateurs/v1/structures/valider/rattachements`

CS17 keeps only the class names (its bodies are stubs): `informationsGenerales` and `adressePostaleDuSiege` for a
structure, `informationsGenerales` and `adressePostale` for a user, `parametresRecherche` → `parametresRetour` and a
user list for the searches. The fields inside are those `structures/v1/consulter` and `consulter/service` answer
(what a client reads, it writes back), and the portal's own forms check them: the same messages, the same limits.

Who may: the technical account acts as its technical user (raccordement/services/utilisateur_technique.py), which has
the invoice profiles of its structure but not « Organisation ». Managing is the gestionnaire's right, « Organisation –
modification » (organisation.habilitations.peut): a gestionnaire of the structure grants it to the technical account
on the portal's user page, as to any user, and may take it back. Without it the account is refused (403); a
structure the account is not attached to, or a user or request of another structure, is not found (404).

Every write goes through the portal's services (organisation.services.*) in one transaction: the structure's and the
services' changes and the users' profiles take effect after the delay (DESIGN.md « Delayed modifications »), and the
answer says what is pending and when it takes effect (`modificationEnAttente`); a structure created, a user created, a
request approved or refused, an attachment ended are immediate, as on the portal."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from chorus.exceptions import ApplicationError
from organisation.enums import Application, Niveau, StatutRattachement, StatutStructure, TypeIdentifiant
from organisation.forms import InformationsForm, InscriptionForm
from organisation.forms_structures import PRIVEE, PUBLIQUE, FicheForm, ServiceForm, StructureCreationForm
from organisation.habilitations import peut
from organisation.selectors import structures as selecteurs_structures
from organisation.selectors import utilisateurs as selecteurs_utilisateurs
from organisation.services import gestionnaire as services_gestionnaire
from organisation.services import rattachements as services_rattachements
from organisation.services import structures as services_structures
from raccordement.api import enveloppe
from raccordement.api.pagination import paginer
from raccordement.api.schema import ERREUR, PAR_PAGE_MAX, PARAMETRES_RETOUR, SchemaCpro, liste, objet, pagination
from raccordement.api.vues import ErreurDonnees, ServiceCpro, champ

REFUS_GESTIONNAIRE = (
    "Ce compte technique n'est pas gestionnaire de la structure : il lui faut le profil « Organisation – "
    "modification », qu'un gestionnaire de la structure lui donne sur la page de ses utilisateurs."
)
REFUS_CONSULTATION = (
    "Ce compte technique ne voit pas les utilisateurs de la structure : il lui faut le profil « Organisation – "
    "consultation », qu'un gestionnaire de la structure lui donne sur la page de ses utilisateurs."
)
STATUTS_STRUCTURE = {StatutStructure.ACTIVE: "ACTIF", StatutStructure.INACTIVE: "INACTIF"}
CHAINE = {"type": "string"}
BOOLEEN = {"type": "boolean"}
ENTIER = {"type": "integer"}
DATE_HEURE = {"type": "string", "format": "date-time"}

# --- the portal's fields under the API's names ---------------------------------------------------------------------

ADRESSE_API = {
    "adresse": "adresse",
    "complement_1": "complementAdresse1",
    "complement_2": "complementAdresse2",
    "code_postal": "codePostal",
    "ville": "ville",
    "pays": "pays",
    "telephone": "telephone",
}
STRUCTURE_API = {
    "type_identifiant": "informationsGenerales.typeIdentifiantStructure",
    "identifiant": "informationsGenerales.identifiantStructure",
    "raison_sociale": "informationsGenerales.raisonSocialeStructure",
    "nom": "informationsGenerales.nomStructure",
    "prenom": "informationsGenerales.prenomStructure",
    "numero_tva": "informationsGenerales.numeroTVA",
    "numero_rcs": "informationsGenerales.numeroRcsStructure",
    "email": "informationsGenerales.emailStructure",
    "type_structure": "informationsGenerales.structurePriveePublique",
    "est_publique": "informationsGenerales.structurePriveePublique",
    **{portail: f"adressePostaleDuSiege.{api}" for portail, api in ADRESSE_API.items()},
}
SERVICE_API = {
    "code": "informationsGenerales.codeService",
    "libelle": "informationsGenerales.nomService",
    "description": "informationsGenerales.descriptionService",
    "engagement_obligatoire": "parametres.numeroEngagement",
    "mise_en_paiement": "parametres.miseEnPaiement",
    "date_debut_validite": "parametres.dateDebutValidite",
    "date_fin_validite": "parametres.dateFinValidite",
    "actif": "parametres.estActif",
    **{portail: f"adressePostale.{api}" for portail, api in ADRESSE_API.items()},
}
SERVICE_BOOLEENS = {"engagement_obligatoire", "mise_en_paiement", "actif"}
UTILISATEUR_API = {
    "email": "informationsGenerales.email",
    "prenom": "informationsGenerales.prenom",
    "nom": "informationsGenerales.nom",
    "telephone": "informationsGenerales.telephone",
}


def _schema_de(correspondance, booleens=(), exclus=()):
    """{bloc: objet({champ: type})} from a portal → API mapping (the request's JSON Schema)."""
    blocs = {}
    for portail, chemin in correspondance.items():
        if portail in exclus:
            continue
        bloc, nom = chemin.split(".")
        blocs.setdefault(bloc, {})[nom] = BOOLEEN if portail in booleens else {"type": "string"}
    return {bloc: objet(proprietes) for bloc, proprietes in blocs.items()}


# --- reading the request -------------------------------------------------------------------------------------------


def _bloc(corps, nom, *alias):
    """A nested object of the request ({} when absent); `alias`: other spellings read too."""
    for cle in (nom, *alias):
        valeur = corps.get(cle)
        if valeur is not None:
            if not isinstance(valeur, dict):
                raise ErreurDonnees(f"{cle} : un objet est attendu.", champ=cle)
            return valeur
    return {}


def _donnees(corps, correspondance, booleens=(), alias=None):
    """{portal field: value} of the fields the request carries (absent ones are not in it)."""
    alias = alias or {}
    donnees, lus = {}, set()
    for portail, chemin in correspondance.items():
        if chemin in lus:  # two portal names for one API field (type_structure / est_publique): read once
            continue
        lus.add(chemin)
        bloc_nom, nom = chemin.split(".")
        bloc = _bloc(corps, bloc_nom, *alias.get(bloc_nom, ()))
        if nom not in bloc or bloc[nom] is None:
            continue
        valeur = bloc[nom]
        if portail in booleens:
            if not isinstance(valeur, bool):
                raise ErreurDonnees(f"{chemin} : true ou false est attendu.", champ=chemin)
        elif isinstance(valeur, bool) or not isinstance(valeur, str | int):
            raise ErreurDonnees(f"{chemin} : une chaîne de caractères est attendue.", champ=chemin)
        else:
            valeur = str(valeur)
        donnees[portail] = valeur
    return donnees


def _valider(form, correspondance):
    """The form's cleaned data, or a 400 naming the first wrong field with its API name (every error is said)."""
    if form.is_valid():
        return form.cleaned_data
    erreurs = []
    for nom, messages in form.errors.items():
        chemin = correspondance.get(nom, "corps")
        erreurs.extend((chemin, message) for message in messages)
    raise ErreurDonnees(" ; ".join(f"{c} : {m}" for c, m in erreurs), champ=erreurs[0][0])


def _au_nom_de_l_api(correspondance):
    """Run a portal service: a refusal that names a portal field names the API field instead."""

    def appeler(fonction, **arguments):
        try:
            return fonction(**arguments)
        except ApplicationError as erreur:
            if erreur.champ and erreur.champ in correspondance:
                chemin = correspondance[erreur.champ]
                raise ErreurDonnees(f"{chemin} : {erreur.message}", champ=chemin) from None
            raise

    return appeler


# --- who may -------------------------------------------------------------------------------------------------------


def _structure_du_compte(user, identifiant, cle):
    """A structure the technical account is attached to; any other one is not found."""
    rattachement = selecteurs_structures.mes_structures(user).filter(structure_id=identifiant).first()
    if rattachement is None:
        raise Http404(cle)
    return rattachement.structure


def _exiger(user, structure, niveau=Niveau.MODIFICATION):
    if not peut(user, Application.ORGANISATION, niveau, structure):
        raise PermissionDenied(REFUS_GESTIONNAIRE if niveau == Niveau.MODIFICATION else REFUS_CONSULTATION)


def _structure_geree(request, corps, cle, niveau=Niveau.MODIFICATION):
    structure = _structure_du_compte(request.user, champ(corps, cle, type_=int, obligatoire=True), cle)
    _exiger(request.user, structure, niveau)
    return structure


# --- what the answers carry ----------------------------------------------------------------------------------------

MODIFICATION_EN_ATTENTE = {
    "type": "object",
    "nullable": True,
    "description": "La modification enregistrée, qui prend effet après un délai pouvant atteindre 30 minutes ; "
    "null si l'opération est immédiate.",
    "properties": {
        "idModification": ENTIER,
        "libelle": CHAINE,
        "statut": {"type": "string", "enum": ["EN_ATTENTE"]},
        "dateHeureDemande": DATE_HEURE,
        "dateHeureEffet": DATE_HEURE,
        "champsModifies": {"type": "array", "items": CHAINE},
    },
}


def _moment(valeur):
    return timezone.localtime(valeur).isoformat() if valeur else None


def _en_attente(modification, correspondance=None):
    if modification is None:
        return None
    correspondance = correspondance or {}
    return {
        "idModification": modification.pk,
        "libelle": modification.libelle,
        "statut": modification.statut,
        "dateHeureDemande": _moment(modification.demandee_le),
        "dateHeureEffet": _moment(modification.effective_le),
        "champsModifies": sorted(correspondance.get(c, c) for c in modification.donnees),
    }


class SchemaGestion(SchemaCpro):
    """These services also answer 403: an account of the structure that is not its gestionnaire."""

    def _get_response_bodies(self, direction="response"):
        corps = super()._get_response_bodies(direction)
        corps["403"] = {
            "description": "Le compte technique n'a pas le profil « Organisation » requis sur la structure (20004).",
            "content": {"application/json": {"schema": ERREUR}},
        }
        return corps


class ServiceGestion(ServiceCpro):
    """A refusal of the gestionnaire's right says which profile is missing and who grants it."""

    schema = SchemaGestion()

    def handle_exception(self, exc):
        if isinstance(exc, PermissionDenied) and exc.args:
            return enveloppe.erreur(enveloppe.NON_AUTORISE, str(exc.args[0]), 403)
        return super().handle_exception(exc)


# --- structures ----------------------------------------------------------------------------------------------------

ALIAS_STRUCTURE = {"informationsGenerales": ("informationGenerales",)}  # consulterStructure's spelling


def _gestionnaire_principal(structure):
    gestionnaire = selecteurs_utilisateurs.gestionnaire_principal(structure)
    if gestionnaire is None:
        raise ApplicationError(
            "La structure du compte technique n'a pas de gestionnaire principal : il deviendrait celui de la "
            "structure créée. Désignez-le sur le portail, puis recommencez."
        )
    return gestionnaire


class SaisirGeneralitesStructure(ServiceGestion):
    """Créer une structure (sans idStructureCPP) ou modifier la fiche d'une structure (avec idStructureCPP).

    Création : réservée à un compte technique gestionnaire de sa structure. Sur le portail, le créateur devient
    gestionnaire principal de la nouvelle structure ; un compte technique ne se connecte pas au portail, donc c'est le
    gestionnaire principal de la structure du compte (une personne) qui le devient, pour que la structure créée reste
    administrable. Une structure publique attend la validation du support.

    Modification : les champs absents gardent leur valeur ; le type d'identifiant et l'identifiant ne se modifient
    pas ; la modification prend effet après un délai pouvant atteindre 30 minutes (modificationEnAttente)."""

    requete = objet(
        {
            "idStructureCPP": {"type": "integer", "description": "Absent : création d'une structure."},
            **_schema_de(STRUCTURE_API, exclus={"est_publique"}),
        }
    )
    requete["properties"]["informationsGenerales"]["properties"]["structurePriveePublique"] = {
        "type": "string",
        "enum": [PRIVEE, PUBLIQUE],
    }
    requete["properties"]["informationsGenerales"]["properties"]["typeIdentifiantStructure"] = {
        "type": "string",
        "enum": TypeIdentifiant.values,
    }
    reponse = {
        "idStructureCPP": ENTIER,
        "identifiantStructure": CHAINE,
        "typeIdentifiantStructure": CHAINE,
        "statutStructure": CHAINE,
        "modificationEnAttente": MODIFICATION_EN_ATTENTE,
    }

    def traiter(self, request, corps):
        identifiant = champ(corps, "idStructureCPP", type_=int)
        donnees = _donnees(corps, STRUCTURE_API, alias=ALIAS_STRUCTURE)
        appeler = _au_nom_de_l_api(STRUCTURE_API)
        with transaction.atomic():
            if identifiant is None:
                _exiger(request.user, request.auth.structure)
                form = StructureCreationForm(data={"pays": "FR", "type_structure": PRIVEE, **donnees})
                _valider(form, STRUCTURE_API)
                structure = appeler(
                    services_structures.structure_creer,
                    par=_gestionnaire_principal(request.auth.structure),
                    **form.arguments_du_service(),
                )
                modification = None
            else:
                structure = _structure_du_compte(request.user, identifiant, "idStructureCPP")
                _exiger(request.user, structure)
                for fixe in ("type_identifiant", "identifiant", "type_structure"):
                    if fixe in donnees:
                        raise ErreurDonnees(
                            f"{STRUCTURE_API[fixe]} : ne se modifie pas sur une structure existante.",
                            champ=STRUCTURE_API[fixe],
                        )
                form = FicheForm(data=_avec_l_actuel(structure, FicheForm.field_order, donnees), structure=structure)
                modification = appeler(
                    services_structures.structure_modifier,
                    structure=structure,
                    par=request.user,
                    **_valider(form, STRUCTURE_API),
                )
        return {
            "idStructureCPP": structure.pk,
            "identifiantStructure": structure.identifiant,
            "typeIdentifiantStructure": structure.type_identifiant,
            "statutStructure": STATUTS_STRUCTURE.get(structure.statut, structure.statut),
            "modificationEnAttente": _en_attente(modification, STRUCTURE_API),
        }


def _avec_l_actuel(objet_, champs, donnees):
    """The form's data: the object's current values, overwritten by what the request carries."""
    actuel = {nom: getattr(objet_, nom) for nom in champs if hasattr(objet_, nom)}
    return {**{k: ("" if v is None else v) for k, v in actuel.items()}, **donnees}


class SaisirGeneralitesServiceStructure(ServiceGestion):
    """Créer un service (sans idService) ou modifier un service (avec idService) d'une structure. Création et
    modification prennent effet après un délai pouvant atteindre 30 minutes (modificationEnAttente) : un service créé
    n'a son idService qu'alors (structures/v1/rechercher/services). Les champs absents gardent leur valeur ; le code
    du service ne se modifie pas."""

    requete = objet(
        {
            "idStructure": ENTIER,
            "idService": {"type": "integer", "description": "Absent : création d'un service."},
            **_schema_de(SERVICE_API, booleens=SERVICE_BOOLEENS),
        },
        ["idStructure"],
    )
    for _date in ("dateDebutValidite", "dateFinValidite"):
        requete["properties"]["parametres"]["properties"][_date] = {"type": "string", "format": "date"}
    reponse = {
        "idStructure": ENTIER,
        "idService": {"type": "integer", "nullable": True, "description": "null tant qu'un service créé attend."},
        "codeService": CHAINE,
        "modificationEnAttente": MODIFICATION_EN_ATTENTE,
    }

    def traiter(self, request, corps):
        structure = _structure_geree(request, corps, "idStructure")
        identifiant = champ(corps, "idService", type_=int)
        donnees = _donnees(corps, SERVICE_API, booleens=SERVICE_BOOLEENS)
        appeler = _au_nom_de_l_api(SERVICE_API)
        with transaction.atomic():
            if identifiant is None:
                form = ServiceForm(data={"actif": True, "mise_en_paiement": True, "pays": "FR", **donnees})
                cleaned = _valider(form, SERVICE_API)
                modification = appeler(
                    services_structures.service_creer, structure=structure, par=request.user, **cleaned
                )
                service, code = None, modification.donnees["code"]
            else:
                service = structure.services.filter(pk=identifiant).first()
                if service is None:
                    raise Http404("idService")
                if "code" in donnees and donnees["code"] != service.code:
                    raise ErreurDonnees(
                        f"{SERVICE_API['code']} : le code du service ne se modifie pas.", champ=SERVICE_API["code"]
                    )
                donnees.pop("code", None)
                form = ServiceForm(data=_avec_l_actuel(service, ServiceForm.field_order, donnees), service=service)
                modification = appeler(
                    services_structures.service_modifier,
                    service=service,
                    par=request.user,
                    **_valider(form, SERVICE_API),
                )
                code = service.code
        return {
            "idStructure": structure.pk,
            "idService": service.pk if service else None,
            "codeService": code,
            "modificationEnAttente": _en_attente(modification, SERVICE_API),
        }


# --- users of a structure ------------------------------------------------------------------------------------------

PROFIL = {
    "espace": {"type": "string", "enum": Application.values},
    "niveau": {"type": "string", "enum": Niveau.values},
    "codeService": {"type": "string", "nullable": True, "description": "null : toute la structure."},
}
UTILISATEUR_LISTE = {
    "idUtilisateur": ENTIER,
    "idRattachementStructure": ENTIER,
    "email": CHAINE,
    "nom": CHAINE,
    "prenom": CHAINE,
    "telephone": CHAINE,
    "statutUtilisateur": {"type": "string", "enum": ["ACTIF", "INACTIF"]},
    "statutRattachementStructure": {"type": "string", "enum": ["ACTIF", "EN_ATTENTE"]},
    "estGestionnairePrincipal": BOOLEEN,
    "dateRattachement": {"type": "string", "format": "date-time", "nullable": True},
    "listeProfils": liste(PROFIL),
    "listeServicesDemandes": {"type": "array", "items": CHAINE},
}
TRIS_UTILISATEURS = {
    "Nom": ("utilisateur__nom", "utilisateur__prenom"),
    "Email": ("utilisateur__email",),
    "DateRattachement": ("cree_le",),
}


def _profils(rattachement):
    return [
        {"espace": h.application, "niveau": h.niveau, "codeService": h.service.code if h.service_id else None}
        for h in rattachement.habilitations.all()
    ]


def _utilisateur(rattachement, en_attente=False):
    u = rattachement.utilisateur
    return {
        "idUtilisateur": u.pk,
        "idRattachementStructure": rattachement.pk,
        "email": u.email,
        "nom": u.nom,
        "prenom": u.prenom,
        "telephone": u.telephone,
        "statutUtilisateur": "ACTIF" if u.is_active else "INACTIF",
        "statutRattachementStructure": rattachement.statut,
        "estGestionnairePrincipal": rattachement.est_gestionnaire_principal,
        "dateRattachement": _moment(rattachement.cree_le if en_attente else rattachement.date_rattachement),
        "listeProfils": [] if en_attente else _profils(rattachement),
        "listeServicesDemandes": [s.code for s in rattachement.services.all()] if en_attente else [],
    }


class RechercherUtilisateursRattachesStructure(ServiceGestion):
    """Les utilisateurs rattachés à une structure, avec leurs profils (profil « Organisation – consultation »), ou
    les demandes de rattachement en attente d'approbation (statutRattachement EN_ATTENTE, profil « Organisation –
    modification ») : leur idRattachementStructure est ce qu'approuve utilisateurs/v1/structures/valider/rattachements.
    rechercheUtilisateur cherche dans le nom, le prénom et l'adresse électronique des utilisateurs rattachés."""

    requete = objet(
        {
            "idStructure": ENTIER,
            "statutRattachement": {"type": "string", "enum": ["ACTIF", "EN_ATTENTE"]},
            "rechercheUtilisateur": CHAINE,
            **pagination("parametresRecherche"),
        },
        ["idStructure"],
    )
    reponse = {"listeUtilisateurs": liste(UTILISATEUR_LISTE), **PARAMETRES_RETOUR}

    def services(self, structure, corps):
        return ()

    def traiter(self, request, corps):
        statut = champ(corps, "statutRattachement", type_=str, defaut=StatutRattachement.ACTIF)
        if statut not in (StatutRattachement.ACTIF, StatutRattachement.EN_ATTENTE):
            raise ErreurDonnees("statutRattachement : ACTIF ou EN_ATTENTE.", champ="statutRattachement")
        en_attente = statut == StatutRattachement.EN_ATTENTE
        niveau = Niveau.MODIFICATION if en_attente else Niveau.CONSULTATION
        structure = _structure_geree(request, corps, "idStructure", niveau)
        services = self.services(structure, corps)
        recherche = champ(corps, "rechercheUtilisateur", type_=str, defaut="")
        if en_attente:
            qs = selecteurs_utilisateurs.rattachements_a_approuver(request.user).filter(structure=structure)
            if services:
                qs = qs.filter(services__in=services).distinct()
        else:
            qs = selecteurs_utilisateurs.utilisateurs_de_structure(structure, services=services, recherche=recherche)
        lignes, parametres = paginer(corps, "parametresRecherche", qs, TRIS_UTILISATEURS, "Nom")
        reponse = {
            "listeUtilisateurs": [_utilisateur(r, en_attente) for r in lignes],
            "parametresRetour": parametres,
        }
        if not lignes:
            reponse.update(codeRetour=enveloppe.AUCUN_RESULTAT, libelle=enveloppe.LIBELLE_AUCUN_RESULTAT)
        return reponse


class RechercherUtilisateursRattachesService(RechercherUtilisateursRattachesStructure):
    """Les utilisateurs qui travaillent pour un service : rattachés à toute la structure, ou à ce service, ou avec
    un profil sur ce service (le filtre « par service » de la page des utilisateurs) ; ou les demandes de rattachement
    en attente qui visent ce service (statutRattachement EN_ATTENTE)."""

    requete = objet(
        {**RechercherUtilisateursRattachesStructure.requete["properties"], "idService": ENTIER},
        ["idStructure", "idService"],
    )

    def services(self, structure, corps):
        service = structure.services.filter(pk=champ(corps, "idService", type_=int, obligatoire=True)).first()
        if service is None:
            raise Http404("idService")
        return [service]


# --- users: creation, modification, approvals ---------------------------------------------------------------------


class _NouvelUtilisateurForm(forms.Form):
    """The sign-up form's checks of the account's fields (organisation.forms)."""

    email = InscriptionForm.base_fields["email"]
    prenom = InformationsForm.base_fields["prenom"]
    nom = InformationsForm.base_fields["nom"]
    telephone = InformationsForm.base_fields["telephone"]


class SaisirGeneralitesNouvelUtilisateurParGestionnaire(ServiceGestion):
    """Un gestionnaire crée un utilisateur de sa structure. Le compte est créé inactif : la personne reçoit le
    courriel d'activation et choisit son mot de passe. Elle est rattachée aussitôt, avec tous les profils sauf
    « Organisation – modification ». Une adresse déjà connue est refusée : la personne demande elle-même son
    rattachement depuis « Mon compte ». Le portail ne garde pas d'adresse postale des utilisateurs : adressePostale
    n'est pas lu."""

    requete = objet({"idStructure": ENTIER, **_schema_de(UTILISATEUR_API)}, ["idStructure"])
    requete["properties"]["informationsGenerales"]["required"] = ["email", "nom", "prenom"]
    reponse = {
        "idUtilisateur": ENTIER,
        "idRattachementStructure": ENTIER,
        "email": CHAINE,
        "statutUtilisateur": {"type": "string", "enum": ["INACTIF"]},
        "listeProfils": liste(PROFIL),
    }

    def traiter(self, request, corps):
        structure = _structure_geree(request, corps, "idStructure")
        form = _NouvelUtilisateurForm(data=_donnees(corps, UTILISATEUR_API))
        with transaction.atomic():
            rattachement = _au_nom_de_l_api(UTILISATEUR_API)(
                services_gestionnaire.utilisateur_creer_par_gestionnaire,
                par=request.user,
                structure=structure,
                **_valider(form, UTILISATEUR_API),
            )
        return {
            "idUtilisateur": rattachement.utilisateur.pk,
            "idRattachementStructure": rattachement.pk,
            "email": rattachement.utilisateur.email,
            "statutUtilisateur": "INACTIF",
            "listeProfils": _profils(rattachement),
        }


TERMINE = "TERMINE"


def _profils_demandes(corps, structure):
    profils = corps.get("listeProfils")
    if not isinstance(profils, list):
        raise ErreurDonnees("listeProfils : une liste est attendue.", champ="listeProfils")
    if len(profils) > PAR_PAGE_MAX:
        raise ErreurDonnees(f"listeProfils : {PAR_PAGE_MAX} profils au plus.", champ="listeProfils")
    services = {s.code: s for s in structure.services.all()}
    triplets = []
    for rang, profil in enumerate(profils):
        ici = f"listeProfils[{rang}]"
        if not isinstance(profil, dict):
            raise ErreurDonnees(f"{ici} : un objet est attendu.", champ=ici)
        espace = champ(profil, "espace", type_=str, obligatoire=False)
        if espace not in Application.values:
            raise ErreurDonnees(f"{ici}.espace : espace inconnu « {espace} ».", champ=f"{ici}.espace")
        niveau = champ(profil, "niveau", type_=str)
        if niveau not in Niveau.values:
            raise ErreurDonnees(f"{ici}.niveau : CONSULTATION ou MODIFICATION.", champ=f"{ici}.niveau")
        code = champ(profil, "codeService", type_=str)
        if code is not None and code not in services:
            raise ErreurDonnees(
                f"{ici}.codeService : la structure n'a pas de service « {code} ».", champ=f"{ici}.codeService"
            )
        triplets.append((espace, niveau, services.get(code) if code is not None else None))
    return triplets


class ModifierUtilisateurParGestionnaire(ServiceGestion):
    """Un gestionnaire modifie un utilisateur de sa structure : ses profils (listeProfils remplace tous ses profils,
    effectif après un délai pouvant atteindre 30 minutes : modificationEnAttente), ou la fin de son rattachement
    (statutRattachement TERMINE, immédiate). Les informations personnelles (nom, prénom, téléphone) ne se modifient
    que par l'utilisateur lui-même, sur le portail."""

    requete = objet(
        {
            "idStructure": ENTIER,
            "idUtilisateur": ENTIER,
            "listeProfils": liste(PROFIL),
            "statutRattachement": {"type": "string", "enum": [TERMINE]},
        },
        ["idStructure", "idUtilisateur"],
    )
    reponse = {
        "idUtilisateur": ENTIER,
        "idRattachementStructure": ENTIER,
        "statutRattachementStructure": CHAINE,
        "modificationEnAttente": MODIFICATION_EN_ATTENTE,
    }

    def traiter(self, request, corps):
        structure = _structure_geree(request, corps, "idStructure")
        identifiant = champ(corps, "idUtilisateur", type_=int, obligatoire=True)
        rattachement = (
            selecteurs_utilisateurs.utilisateurs_de_structure(structure).filter(utilisateur_id=identifiant).first()
        )
        if rattachement is None:
            raise Http404("idUtilisateur")
        statut = champ(corps, "statutRattachement", type_=str)
        for personnel in ("nom", "prenom", "telephone", "email", "informationsGenerales"):
            if personnel in corps:
                raise ErreurDonnees(
                    f"{personnel} : les informations personnelles ne se modifient que par l'utilisateur lui-même.",
                    champ=personnel,
                )
        if statut is not None and statut != TERMINE:
            raise ErreurDonnees("statutRattachement : seule la valeur TERMINE est admise.", champ="statutRattachement")
        if statut is not None and "listeProfils" in corps:
            raise ErreurDonnees(
                "listeProfils : sans objet quand le rattachement prend fin (statutRattachement TERMINE).",
                champ="listeProfils",
            )
        modification = None
        with transaction.atomic():
            if statut == TERMINE:
                rattachement = services_rattachements.rattachement_terminer(
                    rattachement=rattachement, par=request.user
                )
            else:
                if "listeProfils" not in corps:
                    raise ErreurDonnees(
                        "listeProfils : ce champ est obligatoire (ou statutRattachement TERMINE).",
                        champ="listeProfils",
                    )
                modification = _au_nom_de_l_api({"habilitations": "listeProfils"})(
                    services_rattachements.habilitations_modifier,
                    rattachement=rattachement,
                    par=request.user,
                    habilitations=_profils_demandes(corps, structure),
                )
        return {
            "idUtilisateur": rattachement.utilisateur_id,
            "idRattachementStructure": rattachement.pk,
            "statutRattachementStructure": rattachement.statut,
            "modificationEnAttente": _en_attente(modification, {"habilitations": "listeProfils"}),
        }


VALIDER, REFUSER = "VALIDER", "REFUSER"


class ValiderRattachementsUtilisateur(ServiceGestion):
    """Un gestionnaire approuve (VALIDER) ou refuse (REFUSER, avec motifRefus communiqué au demandeur) des demandes de
    rattachement à sa structure (structures/v1/rechercher/utilisateurs/structure avec statutRattachement EN_ATTENTE
    les liste). Tout ou rien : si une décision est refusée, aucune n'est enregistrée. Immédiat ; l'utilisateur
    approuvé reçoit tous les profils sauf « Organisation – modification »."""

    requete = objet(
        {
            "idStructure": ENTIER,
            "listeRattachements": {
                "type": "array",
                "minItems": 1,
                "maxItems": PAR_PAGE_MAX,
                "items": objet(
                    {
                        "idRattachementStructure": ENTIER,
                        "decision": {"type": "string", "enum": [VALIDER, REFUSER]},
                        "motifRefus": CHAINE,
                    },
                    ["idRattachementStructure", "decision"],
                ),
            },
        },
        ["idStructure", "listeRattachements"],
    )
    reponse = {
        "listeRattachements": liste(
            {
                "idRattachementStructure": ENTIER,
                "idUtilisateur": ENTIER,
                "statutRattachementStructure": {"type": "string", "enum": ["ACTIF", "REFUSE"]},
            }
        )
    }

    def traiter(self, request, corps):
        structure = _structure_geree(request, corps, "idStructure")
        decisions = champ(corps, "listeRattachements", type_=list, obligatoire=True)
        if len(decisions) > PAR_PAGE_MAX:
            raise ErreurDonnees(f"listeRattachements : {PAR_PAGE_MAX} demandes au plus.", champ="listeRattachements")
        lues = []
        for rang, decision in enumerate(decisions):
            ici = f"listeRattachements[{rang}]"
            if not isinstance(decision, dict):
                raise ErreurDonnees(f"{ici} : un objet est attendu.", champ=ici)
            identifiant = champ(decision, "idRattachementStructure", type_=int, obligatoire=True)
            choix = champ(decision, "decision", type_=str, obligatoire=True)
            if choix not in (VALIDER, REFUSER):
                raise ErreurDonnees(f"{ici}.decision : VALIDER ou REFUSER.", champ=f"{ici}.decision")
            motif = champ(decision, "motifRefus", type_=str, defaut="")
            rattachement = (
                selecteurs_utilisateurs.rattachement_gere(request.user, identifiant)
                .filter(structure=structure)
                .first()
            )
            if rattachement is None:
                raise Http404(f"{ici}.idRattachementStructure")
            lues.append((ici, rattachement, choix, motif))
        faits = []
        with transaction.atomic():
            for ici, rattachement, choix, motif in lues:
                try:
                    if choix == VALIDER:
                        fait = services_rattachements.rattachement_accepter(
                            rattachement=rattachement, par=request.user
                        )
                    else:
                        fait = services_rattachements.rattachement_refuser(
                            rattachement=rattachement, par=request.user, motif=motif
                        )
                except ApplicationError as erreur:
                    if erreur.champ == "motif":
                        raise ErreurDonnees(
                            f"{ici}.motifRefus : {erreur.message}", champ=f"{ici}.motifRefus"
                        ) from None
                    raise ApplicationError(f"{ici} : {erreur.message}") from None
                faits.append(fait)
        return {
            "listeRattachements": [
                {
                    "idRattachementStructure": r.pk,
                    "idUtilisateur": r.utilisateur_id,
                    "statutRattachementStructure": r.statut,
                }
                for r in faits
            ]
        }


SERVICES = [
    ("cpro/structures/v1/saisir/generalites", SaisirGeneralitesStructure, "api_structures_saisir_generalites"),
    (
        "cpro/structures/v1/saisir/generalites/service",
        SaisirGeneralitesServiceStructure,
        "api_structures_saisir_generalites_service",
    ),
    (
        "cpro/structures/v1/rechercher/utilisateurs/structure",
        RechercherUtilisateursRattachesStructure,
        "api_structures_rechercher_utilisateurs_structure",
    ),
    (
        "cpro/structures/v1/rechercher/utilisateurs/service",
        RechercherUtilisateursRattachesService,
        "api_structures_rechercher_utilisateurs_service",
    ),
    (
        "cpro/utilisateurs/v1/gestionnaire/saisir/generalites/nouvelutilisateur",
        SaisirGeneralitesNouvelUtilisateurParGestionnaire,
        "api_utilisateurs_gestionnaire_nouvel_utilisateur",
    ),
    (
        "cpro/utilisateurs/v1/gestionnaire/modifier",
        ModifierUtilisateurParGestionnaire,
        "api_utilisateurs_gestionnaire_modifier",
    ),
    (
        "cpro/utilisateurs/v1/structures/valider/rattachements",
        ValiderRattachementsUtilisateur,
        "api_utilisateurs_valider_rattachements",
    ),
]
