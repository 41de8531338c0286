"""Writes on structures: creation, approval of public structures, details and parameters (delayed), services."""

import uuid

from django.db import transaction
from django.db.models import Max

from chorus.annonces import annoncer
from chorus.courriels import courriel_programmer
from chorus.differe import modification_programmer
from chorus.exceptions import ApplicationError
from organisation import identifiants
from organisation.enums import Application, Niveau, StatutRattachement, StatutStructure, TypeIdentifiant
from organisation.habilitations import peut, toutes_les_habilitations
from organisation.models import Habilitation, Rattachement, Service, Structure, Utilisateur
from organisation.regles import CODE_SERVICE_RESERVE
from organisation.workflow import STRUCTURE_WORKFLOW

CHAMPS_FICHE = [
    "raison_sociale", "nom", "prenom", "numero_tva", "numero_rcs", "email", "adresse", "complement_1",
    "complement_2", "code_postal", "ville", "pays", "telephone",
]  # fmt: skip
CHAMPS_PARAMETRES = [
    "code_service_obligatoire", "engagement_obligatoire", "engagement_ou_service",
    "statut_mise_en_paiement_non_remonte", "moa_uniquement", "espaces", "delai_global_paiement",
]  # fmt: skip
# Code de la commande publique, R.2192-10 and R.2192-11: the recipient's délai global de paiement.
DELAIS_GLOBAUX_PAIEMENT = {
    30: "30 jours (État, collectivités territoriales)",
    50: "50 jours (établissements publics de santé)",
}
CHAMPS_SERVICE = [
    "libelle", "description", "adresse", "complement_1", "complement_2", "code_postal", "ville", "pays",
    "telephone", "date_debut_validite", "date_fin_validite", "actif", "engagement_obligatoire", "mise_en_paiement",
]  # fmt: skip


def perimetre(structure):
    return f"structure:{structure.pk}"


def exiger(user, application, niveau, structure, service=None):
    if not peut(user, application, niveau, structure, service):
        raise ApplicationError("Vous n'êtes pas habilité à effectuer cette action pour cette structure.")


def _identifiant_attribue(type_identifiant):
    """Particuliers and structures being registered get an identifier from the portal."""
    prefixe = "PART" if type_identifiant == TypeIdentifiant.PARTICULIER else "IMMAT"
    dernier = Structure.objects.filter(type_identifiant=type_identifiant).aggregate(n=Max("pk"))["n"] or 0
    return f"{prefixe}{dernier + 1:09d}"


def _gestionnaires_support():
    return Utilisateur.objects.filter(est_agent_support=True, is_active=True)


@transaction.atomic
def structure_creer(*, par, type_identifiant, identifiant, raison_sociale="", est_publique=False, **champs):
    """The creator becomes gestionnaire principal with every profile. A public structure waits for the support."""
    identifiant = identifiants.verifier_identifiant(type_identifiant, identifiant)
    if type_identifiant == TypeIdentifiant.PARTICULIER:
        if not (champs.get("nom") or "").strip() or not (champs.get("prenom") or "").strip():
            raise ApplicationError("Saisissez le nom et le prénom du particulier.", champ="nom")
        if est_publique:
            raise ApplicationError("Un particulier ne peut pas être une structure publique.", champ="est_publique")
        raison_sociale = raison_sociale or f"{champs['prenom'].strip()} {champs['nom'].strip()}"
    elif not raison_sociale.strip():
        raise ApplicationError("Saisissez la raison sociale de la structure.", champ="raison_sociale")
    if champs.get("numero_tva"):
        champs["numero_tva"] = identifiants.verifier_tva(
            champs["numero_tva"], pays_attendu="FR" if type_identifiant == TypeIdentifiant.SIRET else None
        )
    if not identifiant:
        identifiant = _identifiant_attribue(type_identifiant)
    existante = Structure.objects.filter(type_identifiant=type_identifiant, identifiant=identifiant).first()
    if existante is not None:
        raise ApplicationError(
            f"Une structure est déjà enregistrée avec l'identifiant {identifiant}. Pour y accéder, demandez un "
            "rattachement à cette structure.",
            champ="identifiant",
        )
    structure = Structure.objects.create(
        type_identifiant=type_identifiant,
        identifiant=identifiant,
        raison_sociale=raison_sociale.strip(),
        est_publique=est_publique,
        statut=StatutStructure.EN_ATTENTE_VALIDATION if est_publique else StatutStructure.ACTIVE,
        **{k: (v.strip() if isinstance(v, str) else v) for k, v in champs.items() if k in CHAMPS_FICHE},
    )
    gestionnaire_principal_rattacher(utilisateur=par, structure=structure)
    if est_publique:
        for agent in _gestionnaires_support():
            courriel_programmer(
                gabarit="organisation/email/structure_a_valider",
                destinataire=agent.email,
                contexte={"structure": structure, "demandeur": par},
            )
            annoncer(
                gabarit="organisation/email/structure_a_valider",
                destinataires=[agent],
                contexte={"structure": structure, "demandeur": par},
            )
    return structure


def gestionnaire_principal_rattacher(*, utilisateur, structure):
    """Who registers a structure becomes its gestionnaire principal, with every profile. Also used by the demo data
    set for the structures it writes directly (the FNFE examples' seller, whose example SIRET fails the check)."""
    rattachement = Rattachement.objects.create(
        utilisateur=utilisateur, structure=structure, statut=StatutRattachement.ACTIF, est_gestionnaire_principal=True
    )
    Habilitation.objects.bulk_create(
        Habilitation(rattachement=rattachement, application=application, niveau=niveau)
        for application, niveau in toutes_les_habilitations()
    )
    return rattachement


def _notifier_decision(structure, gabarit, **contexte):
    gp = structure.rattachements.filter(est_gestionnaire_principal=True).select_related("utilisateur").first()
    if gp is not None:
        courriel_programmer(
            gabarit=gabarit,
            destinataire=gp.utilisateur.email,
            contexte={"structure": structure, "utilisateur": gp.utilisateur, **contexte},
        )
        annoncer(gabarit=gabarit, destinataires=[gp.utilisateur], contexte={"structure": structure, **contexte})


@transaction.atomic
def structure_valider(*, structure, par, commentaire=""):
    ligne = STRUCTURE_WORKFLOW.appliquer(structure, "valider", par=par, commentaire=commentaire)
    _notifier_decision(structure, "organisation/email/structure_validee")
    return ligne


@transaction.atomic
def structure_refuser(*, structure, par, motif):
    ligne = STRUCTURE_WORKFLOW.appliquer(structure, "refuser", par=par, motif=motif)
    _notifier_decision(structure, "organisation/email/structure_refusee", motif=motif)
    return ligne


def _nettoyer(champs, autorises):
    return {k: (v.strip() if isinstance(v, str) else v) for k, v in champs.items() if k in autorises}


@transaction.atomic
def structure_modifier(*, structure, par, **champs):
    """Change the structure's details; effective after the delay (shown as pending until then)."""
    exiger(par, Application.ORGANISATION, Niveau.MODIFICATION, structure)
    donnees = _nettoyer(champs, CHAMPS_FICHE)
    if "raison_sociale" in donnees and not donnees["raison_sociale"]:
        raise ApplicationError("Saisissez la raison sociale de la structure.", champ="raison_sociale")
    if donnees.get("numero_tva"):
        donnees["numero_tva"] = identifiants.verifier_tva(
            donnees["numero_tva"], pays_attendu="FR" if structure.type_identifiant == TypeIdentifiant.SIRET else None
        )
    donnees = {k: v for k, v in donnees.items() if getattr(structure, k) != v}
    if not donnees:
        raise ApplicationError("Aucune modification n'a été saisie.")
    return modification_programmer(
        objet=structure,
        operation="structure.modifier",
        donnees=donnees,
        par=par,
        libelle=f"Modification de la fiche de la structure ({', '.join(sorted(donnees))})",
        perimetre=perimetre(structure),
    )


def _verifier_delai_global_paiement(structure, donnees):
    try:
        delai = donnees["delai_global_paiement"] = int(donnees["delai_global_paiement"])
    except (TypeError, ValueError):
        delai = None
    if delai == structure.delai_global_paiement:
        return
    if not structure.est_publique:
        raise ApplicationError(
            "Le délai global de paiement ne se règle que pour une structure publique.", champ="delai_global_paiement"
        )
    if delai not in DELAIS_GLOBAUX_PAIEMENT:
        raise ApplicationError(
            "Choisissez un délai global de paiement de 30 jours (État, collectivités territoriales) ou de 50 jours "
            "(établissements publics de santé).",
            champ="delai_global_paiement",
        )


@transaction.atomic
def structure_parametrer(*, structure, par, **parametres):
    exiger(par, Application.ORGANISATION, Niveau.MODIFICATION, structure)
    donnees = _nettoyer(parametres, CHAMPS_PARAMETRES)
    if "espaces" in donnees:
        inconnus = set(donnees["espaces"]) - set(Application.values)
        if inconnus:
            raise ApplicationError(f"Espaces inconnus : {', '.join(sorted(inconnus))}.", champ="espaces")
    if "delai_global_paiement" in donnees:
        _verifier_delai_global_paiement(structure, donnees)
    if donnees.get("engagement_ou_service") and (
        donnees.get("engagement_obligatoire") or donnees.get("code_service_obligatoire")
    ):
        raise ApplicationError(
            "« Gestion numéro d'engagement ou code service » ne se combine pas avec l'obligation du numéro "
            "d'engagement ou du code service : choisissez l'une ou l'autre règle.",
            champ="engagement_ou_service",
        )
    donnees = {k: v for k, v in donnees.items() if getattr(structure, k) != v}
    if not donnees:
        raise ApplicationError("Aucune modification n'a été saisie.")
    return modification_programmer(
        objet=structure,
        operation="structure.modifier",
        donnees=donnees,
        par=par,
        libelle="Modification des paramètres de la structure",
        perimetre=perimetre(structure),
    )


CHAMPS_PARAMETRES_EDI = ("reception_edi", "connexion_edi")


@transaction.atomic
def structure_parametrer_edi(*, structure, par, **parametres):
    """The structure's EDI parameters (parametres-edi of the Référentiel des organisations). They belong with its
    EDI connections, so the « Raccordement – modification » profile sets them — the one a technical account has —
    and the change waits the delay, as the structure's other parameters."""
    exiger(par, Application.RACCORDEMENT, Niveau.MODIFICATION, structure)
    donnees = {k: v for k, v in parametres.items() if k in CHAMPS_PARAMETRES_EDI}
    for nom, valeur in donnees.items():
        if not isinstance(valeur, bool):
            raise ApplicationError(f"{nom} : vrai ou faux (true, false) est attendu.", champ=nom)
    donnees = {k: v for k, v in donnees.items() if getattr(structure, k) != v}
    if not donnees:
        raise ApplicationError("Aucune modification n'a été saisie.")
    return modification_programmer(
        objet=structure,
        operation="structure.modifier",
        donnees=donnees,
        par=par,
        libelle="Modification des paramètres EDI de la structure",
        perimetre=perimetre(structure),
    )


def _verifier_service(structure, donnees, code=None):
    if code is not None:
        code = code.strip().upper()
        if not code:
            raise ApplicationError("Saisissez le code du service.", champ="code")
        if code == CODE_SERVICE_RESERVE:
            raise ApplicationError(
                f"Le code {CODE_SERVICE_RESERVE} est réservé aux factures entre structures publiques.", champ="code"
            )
        if Service.objects.filter(structure=structure, code=code).exists():
            raise ApplicationError(f"Le service {code} existe déjà dans cette structure.", champ="code")
    if "libelle" in donnees and not donnees["libelle"]:
        raise ApplicationError("Saisissez le libellé du service.", champ="libelle")
    debut, fin = donnees.get("date_debut_validite"), donnees.get("date_fin_validite")
    if debut and fin and fin < debut:
        raise ApplicationError("La fin de validité précède le début de validité.", champ="date_fin_validite")
    return code


def _jsonifier(donnees):
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in donnees.items()}


@transaction.atomic
def service_creer(*, structure, par, code, **champs):
    exiger(par, Application.ORGANISATION, Niveau.MODIFICATION, structure)
    donnees = _nettoyer(champs, CHAMPS_SERVICE)
    code = _verifier_service(structure, donnees, code)
    if modifications_service_en_attente(structure, code):
        raise ApplicationError(f"La création du service {code} est déjà en attente.", champ="code")
    return modification_programmer(
        objet=structure,
        operation="service.creer",
        # the service's UUID is chosen now, so that whoever asked (the API's creerService) can name the service
        # before it exists
        donnees={"code": code, "uuid": str(uuid.uuid4()), **_jsonifier(donnees)},
        par=par,
        libelle=f"Création du service {code}",
        perimetre=perimetre(structure),
    )


def modifications_service_en_attente(structure, code):
    from chorus.differe import modifications_en_attente

    return modifications_en_attente(objet=structure).filter(operation="service.creer", donnees__code=code).exists()


@transaction.atomic
def service_modifier(*, service, par, **champs):
    exiger(par, Application.ORGANISATION, Niveau.MODIFICATION, service.structure)
    donnees = _nettoyer(champs, CHAMPS_SERVICE)
    _verifier_service(service.structure, donnees)
    donnees = {k: v for k, v in donnees.items() if getattr(service, k) != v}
    if not donnees:
        raise ApplicationError("Aucune modification n'a été saisie.")
    return modification_programmer(
        objet=service,
        operation="service.modifier",
        donnees=_jsonifier(donnees),
        par=par,
        libelle=f"Modification du service {service.code}",
        perimetre=perimetre(service.structure),
    )
