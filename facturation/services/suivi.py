"""The supplier's follow-up of its invoices (chorus-pro-features.md rows 40–44, 65): recycle an invoice to recycle,
complete a suspended one, acknowledge rejections and « Traiter le rejet », correct the validator of an A9/A12 one.

Recycling and completing are status changes of facturation/regles/traitements_recus.csv (FACTURE_WORKFLOW); correcting
the validator is facturation.workflow.CORRECTION_VALIDEUR_WORKFLOW, on the same status and history.
Acknowledging and « Traiter le rejet » leave the status as it is: they are user actions (ACQUITTEMENT_REJET,
TRAITEMENT_REJET, API §4.3) kept in FactureAction, so the date of the rejection, which lists and mails show, stays
the recipient's.
"""

import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from chorus.exceptions import ApplicationError
from chorus.workflow import TransitionInterdite
from facturation import acheminement
from facturation.enums import ActionUtilisateur, StatutFacture, lire_table
from facturation.models import Facture, FactureAction
from facturation.services.depot import DepotRefuse
from facturation.services.pieces_jointes import piece_jointe_facture_ajouter
from facturation.workflow import ACTION_CORRIGER_VALIDEUR, CORRECTION_VALIDEUR_WORKFLOW, FACTURE_WORKFLOW
from organisation.enums import Niveau, StatutStructure, TypeIdentifiant
from organisation.models import Structure

ACTION_RECYCLER = "recyclerFacture:MISE_A_DISPOSITION"
ACTION_COMPLETER = "completerFacture:COMPLETEE"
COMMENTAIRE_LONGUEUR_MAX = 2000

# facturation/regles/traiter_le_rejet.csv: the statuses « Traiter le rejet » accepts (S0 §1.4.1); the works
# statuses join the table with the works invoices.
STATUTS_TRAITER_LE_REJET = frozenset(
    ligne["statut"]
    for ligne in lire_table("traiter_le_rejet.csv")
    if ligne["application"] == "factures emises" and ligne["eligible"] == "yes"
)
# tables/messages.csv traiter_rejet_statut_non_eligible, character for character (S0 §1.4.2).
MESSAGE_TRAITER_REJET_NON_ELIGIBLE = (
    "Des factures n'ont pu être traitées en raison de leur statut. Seuls les statuts suivants sont pris en compte par "
    "le bouton Traiter le rejet : Rejetée, Refusée par la MOA pour un autre motif, Refusée par la MOE pour un autre "
    "motif, Refusée par le fournisseur, Refusée par niveau 1, Refusée par niveau 2"
)


def _verrouiller(facture):
    return Facture.objects.select_for_update().select_related("fournisseur", "destinataire").get(pk=facture.pk)


def _exiger(facture, action, par, workflow=FACTURE_WORKFLOW):
    if not workflow.peut(facture, action, par):
        transition = workflow.transition(action)
        if facture.statut not in transition.sources:
            libelle = StatutFacture(facture.statut).label
            raise TransitionInterdite(f"Action « {transition.libelle} » impossible au statut « {libelle} ».")
        raise TransitionInterdite(f"Vous n'êtes pas habilité à effectuer l'action « {transition.libelle} ».")


def _avant_apres(libelle, avant, apres):
    return f"{libelle} : {avant or 'aucun'} → {apres or 'aucun'}"


def facture_recycler(*, facture, par, identifiant_destinataire, code_service, numero_engagement):
    """Re-route an A_RECYCLER invoice (row 42), or a works piece EN_ATTENTE_RECYCLAGE_FOURNISSEUR: only the
    recipient's SIRET, the code service and the engagement number change, the number stays; the routing rules of the
    deposit apply again; → MISE_A_DISPOSITION."""
    with transaction.atomic():
        demandee, facture = facture, _verrouiller(facture)
        _exiger(facture, ACTION_RECYCLER, par)
        controle = acheminement.controler(
            fournisseur=facture.fournisseur,
            numero=facture.numero,
            identifiant_destinataire=identifiant_destinataire,
            code_service=code_service,
            numero_engagement=numero_engagement,
            exclure=facture,
        )
        if controle.erreurs:
            raise DepotRefuse(controle.erreurs)
        engagement = (numero_engagement or "").strip()
        ancien_service = facture.service_destinataire.code if facture.service_destinataire_id else ""
        nouveau_service = controle.service.code if controle.service else ""
        changements = []
        if controle.destinataire.pk != facture.destinataire_id:
            changements.append(
                _avant_apres("Destinataire", facture.destinataire.identifiant, controle.destinataire.identifiant)
            )
        if nouveau_service != ancien_service:
            changements.append(_avant_apres("Code service", ancien_service, nouveau_service))
        if engagement != facture.numero_engagement:
            changements.append(_avant_apres("Numéro d'engagement", facture.numero_engagement, engagement))
        if not changements:
            raise ApplicationError(
                "Modifiez au moins une des données d'acheminement (SIRET du destinataire, code service ou numéro "
                "d'engagement) avant de renvoyer la facture."
            )
        if controle.destinataire.pk != facture.destinataire_id and facture.delegation_id is not None:
            # A delegation belongs to the former recipient: the new one receives the invoice itself.
            facture.delegation = facture.valideur_1 = facture.service_valideur_1 = None
        facture.destinataire = controle.destinataire
        facture.service_destinataire = controle.service
        facture.numero_engagement = engagement
        facture.save(
            update_fields=[
                "destinataire",
                "service_destinataire",
                "numero_engagement",
                "delegation",
                "valideur_1",
                "service_valideur_1",
            ]
        )
        historique = FACTURE_WORKFLOW.appliquer(facture, ACTION_RECYCLER, par=par, commentaire=" ; ".join(changements))
    demandee.statut, demandee.statut_depuis = facture.statut, facture.statut_depuis
    demandee.destinataire, demandee.service_destinataire = facture.destinataire, facture.service_destinataire
    demandee.numero_engagement = facture.numero_engagement
    return historique


def facture_completer(*, facture, par, commentaire="", pieces_jointes=()):
    """Complete a SUSPENDUE invoice (row 43) with a comment and/or attachments; → COMPLETEE."""
    commentaire = (commentaire or "").strip()
    pieces_jointes = list(pieces_jointes or ())
    if not commentaire and not pieces_jointes:
        raise ApplicationError(
            "Ajoutez un commentaire ou au moins une pièce jointe pour compléter la facture.", champ="commentaire"
        )
    if len(commentaire) > COMMENTAIRE_LONGUEUR_MAX:
        raise ApplicationError(
            f"Le commentaire ne peut pas dépasser {COMMENTAIRE_LONGUEUR_MAX} caractères.", champ="commentaire"
        )
    with transaction.atomic():
        demandee, facture = facture, _verrouiller(facture)
        _exiger(facture, ACTION_COMPLETER, par)
        noms = [
            piece_jointe_facture_ajouter(facture=facture, par=par, fichier=fichier).nom for fichier in pieces_jointes
        ]
        if noms:
            ajout = f"Pièce{'s' if len(noms) > 1 else ''} jointe{'s' if len(noms) > 1 else ''} ajoutée"
            ajout += f"{'s' if len(noms) > 1 else ''} : {', '.join(noms)}"
            commentaire = f"{commentaire}\n{ajout}" if commentaire else ajout
        historique = FACTURE_WORKFLOW.appliquer(facture, ACTION_COMPLETER, par=par, commentaire=commentaire)
    demandee.statut, demandee.statut_depuis = facture.statut, facture.statut_depuis
    return historique


def _valideur(identifiant, fournisseur):
    """The structure the supplier names as validator: known by its SIRET, active, and not the supplier itself."""
    identifiant = re.sub(r"\s", "", identifiant or "")
    if not identifiant:
        raise ApplicationError("Le SIRET du valideur est obligatoire.", champ="identifiant_valideur")
    valideur = Structure.objects.filter(type_identifiant=TypeIdentifiant.SIRET, identifiant=identifiant).first()
    if valideur is None:
        raise ApplicationError(
            f"Le SIRET du valideur {identifiant} n'est celui d'aucune structure de Chorus Pro.",
            champ="identifiant_valideur",
        )
    if valideur.statut != StatutStructure.ACTIVE:
        raise ApplicationError(
            f"Le valideur {identifiant} ({valideur.raison_sociale}) n'est pas une structure active : indiquez le "
            "SIRET d'une structure active.",
            champ="identifiant_valideur",
        )
    if valideur.pk == fournisseur.pk:
        raise ApplicationError(
            "Le SIRET du valideur est le vôtre : le valideur doit être une autre structure que le fournisseur.",
            champ="identifiant_valideur",
        )
    return valideur


def _service_du_valideur(valideur, code):
    code = (code or "").strip()
    if not code:
        return None
    service = valideur.services.filter(code=code).first()
    if service is None or not acheminement.service_actif(service):
        raise ApplicationError(
            f"Le code service du valideur « {code} » n'existe pas ou n'est pas actif chez {valideur.raison_sociale}.",
            champ="code_service_valideur",
        )
    return service


def _designation(structure, service):
    if structure is None:
        return ""
    texte = f"{structure.raison_sociale} ({structure.identifiant})"
    return f"{texte}, service {service.code}" if service is not None else texte


def facture_corriger_valideur(*, facture, par, identifiant_valideur, code_service_valideur=""):
    """corrigerValideurFacture (row 65): the supplier of an A9/A12 invoice names another validator (SIRET, and a
    service when it has one) while the first level has not answered. The invoice is (again) « à valider » by the new
    one, and the 15-day clock of the tacit validation starts over (statut_depuis)."""
    with transaction.atomic():
        demandee, facture = facture, _verrouiller(facture)
        _exiger(facture, ACTION_CORRIGER_VALIDEUR, par, CORRECTION_VALIDEUR_WORKFLOW)
        valideur = _valideur(identifiant_valideur, facture.fournisseur)
        service = _service_du_valideur(valideur, code_service_valideur)
        if valideur.pk == facture.valideur_1_id and getattr(service, "pk", None) == facture.service_valideur_1_id:
            raise ApplicationError(
                "Ce valideur est déjà celui de la facture : indiquez un autre SIRET ou un autre code service.",
                champ="identifiant_valideur",
            )
        changement = _avant_apres(
            "Valideur",
            _designation(facture.valideur_1, facture.service_valideur_1),
            _designation(valideur, service),
        )
        facture.valideur_1, facture.service_valideur_1 = valideur, service
        facture.save(update_fields=["valideur_1", "service_valideur_1"])
        historique = CORRECTION_VALIDEUR_WORKFLOW.appliquer(
            facture, ACTION_CORRIGER_VALIDEUR, par=par, commentaire=changement
        )
    demandee.statut, demandee.statut_depuis = facture.statut, facture.statut_depuis
    demandee.valideur_1, demandee.service_valideur_1 = facture.valideur_1, facture.service_valideur_1
    return historique


def _selection(par, factures, action):
    """The selected invoices the user may act on for its supplier structures: the one policy, in one query (the
    same rule as the workflow's supplier actor, Factures émises – modification on the supplier)."""
    qs = Facture.objects.emises_visibles(par, Niveau.MODIFICATION).select_for_update()
    demandees = {int(getattr(f, "pk", f)) for f in factures}
    permises = list(qs.filter(pk__in=demandees).order_by("pk"))
    if len(permises) != len(demandees):
        raise TransitionInterdite(f"Vous n'êtes pas habilité à effectuer l'action « {action} » sur ces factures.")
    return permises


def rejets_acquitter(*, par, factures=None):
    """Acknowledge rejections (row 41, ACQUITTEMENT_REJET): every new rejection the user may act on, or the selected
    ones. Returns the number acknowledged. The invoices stay in the Synthèse until « Traiter le rejet »."""
    with transaction.atomic():
        if factures is None:
            selection = Facture.objects.emises_visibles(par, Niveau.MODIFICATION).select_for_update()
            selection = selection.filter(statut=StatutFacture.REJETEE, rejet_acquitte_le__isnull=True)
        else:
            selection = _selection(par, factures, "Acquitter")
        a_acquitter = [f for f in selection if f.statut == StatutFacture.REJETEE and f.rejet_acquitte_le is None]
        maintenant = timezone.now()
        Facture.objects.filter(pk__in=[f.pk for f in a_acquitter]).update(rejet_acquitte_le=maintenant)
        FactureAction.objects.bulk_create(
            FactureAction(facture=f, code=ActionUtilisateur.ACQUITTEMENT_REJET, par=par) for f in a_acquitter
        )
    return len(a_acquitter)


@dataclass
class ResultatTraiterRejet:
    traitees: list = field(default_factory=list)
    non_eligibles: list = field(default_factory=list)

    @property
    def message_non_eligibles(self):
        return MESSAGE_TRAITER_REJET_NON_ELIGIBLE if self.non_eligibles else ""


def rejet_traiter(*, par, factures):
    """« Traiter le rejet » (row 40, TRAITEMENT_REJET): the selected invoices whose status the table accepts leave the
    Synthèse; the others are left as they are and reported.

    Chorus Pro processes what it can: its message says « Des factures n'ont pu être traitées » (S0 §1.4.2), and a
    mixed selection no longer fails as a whole (S2, 21/09/2022); so the eligible ones are processed, and the caller
    shows MESSAGE_TRAITER_REJET_NON_ELIGIBLE for the others.
    """
    if not factures:
        raise ApplicationError("Sélectionnez au moins une facture.", champ="factures")
    resultat = ResultatTraiterRejet()
    with transaction.atomic():
        for facture in _selection(par, factures, "Traiter le rejet"):
            if facture.statut not in STATUTS_TRAITER_LE_REJET:
                resultat.non_eligibles.append(facture)
            elif facture.rejet_traite_le is None:
                resultat.traitees.append(facture)
        maintenant = timezone.now()
        Facture.objects.filter(pk__in=[f.pk for f in resultat.traitees]).update(rejet_traite_le=maintenant)
        FactureAction.objects.bulk_create(
            FactureAction(facture=f, code=ActionUtilisateur.TRAITEMENT_REJET, par=par) for f in resultat.traitees
        )
    for facture in resultat.traitees:
        facture.rejet_traite_le = maintenant
    return resultat
