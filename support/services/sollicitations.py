"""Every write on a ticket: filing (logged in, or logged out with a confirmed address), replies from each side,
internal notes, assignment, closing and reopening. Each function checks who acts and runs in one transaction;
mails leave after commit (chorus.courriels)."""

import mimetypes
from datetime import timedelta

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from chorus.courriels import courriel_programmer
from chorus.exceptions import ApplicationError
from organisation.enums import StatutStructure
from organisation.services.coordonnees import verifier_piece_jointe
from support import acces, liens
from support.enums import Destination
from support.enums import StatutSollicitation as S
from support.models import Message, PieceJointe, Sollicitation
from support.selectors.sollicitations import traitants_a_prevenir
from support.workflow import DELAI_REOUVERTURE, OUVERTES, SOLLICITATION_WORKFLOW, STATUTS_APRES_REPONSE

PJ_PAR_MESSAGE_MAX = 5  # a thread is a conversation, not a file store: more goes in several messages


def _verifier_fichiers(fichiers, champ="pieces_jointes"):
    fichiers = list(fichiers or [])
    if len(fichiers) > PJ_PAR_MESSAGE_MAX:
        raise ApplicationError(
            f"Vous avez joint {len(fichiers)} fichiers : {PJ_PAR_MESSAGE_MAX} au plus par message.", champ=champ
        )
    return [(verifier_piece_jointe(fichier, champ=champ), fichier) for fichier in fichiers]


def _verifier_texte(corps, champ="message"):
    corps = (corps or "").strip()
    if not corps:
        raise ApplicationError("Saisissez votre message.", champ=champ)
    return corps


def _ajouter_message(sollicitation, *, auteur, auteur_nom, corps, fichiers, du_demandeur, interne=False):
    message = Message.objects.create(
        sollicitation=sollicitation,
        auteur=auteur,
        auteur_nom=auteur_nom,
        corps=corps,
        du_demandeur=du_demandeur,
        interne=interne,
    )
    for nom, fichier in fichiers:
        piece = PieceJointe(
            message=message,
            nom=nom,
            taille=fichier.size,
            type_mime=mimetypes.guess_type(nom)[0] or "application/octet-stream",
        )
        piece.fichier.save(nom, fichier, save=False)
        piece.save()
    Sollicitation.objects.filter(pk=sollicitation.pk).update(derniere_activite=timezone.now())
    return message


def _verifier_destination(*, sous_categorie, structure_destinataire, service_destinataire, facture):
    categorie = sous_categorie.categorie
    if not (sous_categorie.active and categorie.active):
        raise ApplicationError(
            "Cette catégorie n'est plus proposée : choisissez-en une autre.", champ="sous_categorie"
        )
    if categorie.destination == Destination.SUPPORT:
        return None, None
    if facture is not None:
        # a question about an invoice goes to the service the invoice was sent to
        return facture.destinataire, facture.service_destinataire
    if structure_destinataire is None:
        raise ApplicationError(
            f"La catégorie « {categorie.libelle} » s'adresse à une structure publique : indiquez la facture "
            "concernée ou le SIRET de la structure destinataire.",
            champ="destinataire",
        )
    if not (structure_destinataire.est_publique and structure_destinataire.statut == StatutStructure.ACTIVE):
        raise ApplicationError(
            "La structure destinataire doit être une structure publique active.", champ="destinataire"
        )
    if service_destinataire is not None and service_destinataire.structure_id != structure_destinataire.pk:
        raise ApplicationError("Ce service n'appartient pas à la structure destinataire.", champ="code_service")
    return structure_destinataire, service_destinataire


def _numeroter(sollicitation):
    sollicitation.numero = f"SOL-{sollicitation.cree_le:%Y}-{sollicitation.pk:06d}"
    sollicitation.save(update_fields=["numero"])


def _accuse_reception(sollicitation):
    courriel_programmer(
        gabarit="support/email/accuse_reception",
        destinataire=sollicitation.demandeur_email,
        contexte={"sollicitation": sollicitation, "lien": liens.url_suivi(sollicitation)},
    )
    if not sollicitation.pour_le_support:
        for utilisateur in traitants_a_prevenir(sollicitation):
            courriel_programmer(
                gabarit="support/email/nouvelle_recue",
                destinataire=utilisateur.email,
                contexte={
                    "sollicitation": sollicitation,
                    "utilisateur": utilisateur,
                    "lien": liens.url_traitement(sollicitation),
                },
            )


@transaction.atomic
def sollicitation_creer(
    *,
    par,
    sous_categorie,
    objet,
    message,
    fichiers=(),
    facture=None,
    structure_concernee=None,
    structure_destinataire=None,
    service_destinataire=None,
):
    """A logged-in user files a ticket (« Suivi des tickets » → « Saisir une sollicitation »). The caller has
    resolved `facture` and `structure_concernee` among what `par` may see (support.selectors)."""
    if not par.is_authenticated:
        raise ApplicationError("Connectez-vous pour saisir une sollicitation depuis votre espace.")
    objet = (objet or "").strip()
    if not objet:
        raise ApplicationError("Saisissez l'objet de la sollicitation.", champ="objet")
    corps = _verifier_texte(message)
    pieces = _verifier_fichiers(fichiers)
    structure, service = _verifier_destination(
        sous_categorie=sous_categorie,
        structure_destinataire=structure_destinataire,
        service_destinataire=service_destinataire,
        facture=facture,
    )
    sollicitation = Sollicitation.objects.create(
        objet=objet,
        categorie=sous_categorie.categorie,
        sous_categorie=sous_categorie,
        statut=S.NOUVELLE,
        demandeur=par,
        demandeur_email=par.email,
        demandeur_nom=par.nom_complet,
        structure_destinataire=structure,
        service_destinataire=service,
        facture=facture,
        structure_concernee=structure_concernee,
    )
    _numeroter(sollicitation)
    _ajouter_message(
        sollicitation, auteur=par, auteur_nom=par.nom_complet, corps=corps, fichiers=pieces, du_demandeur=True
    )
    SOLLICITATION_WORKFLOW.historique.objects.create(
        sollicitation=sollicitation, action="creer", de_statut="", vers_statut=S.NOUVELLE, par=par
    )
    _accuse_reception(sollicitation)
    return sollicitation


@transaction.atomic
def sollicitation_deposer_publique(*, email, nom, sous_categorie, objet, message, fichiers=()):
    """« Compléter le formulaire de demande », logged out: the ticket waits until its requester follows the link
    mailed to the address given, so nobody can file tickets in someone else's name."""
    if sous_categorie.categorie.destination != Destination.SUPPORT:
        raise ApplicationError(
            "Une demande adressée à une structure publique se saisit depuis votre espace, une fois connecté.",
            champ="sous_categorie",
        )
    _verifier_destination(
        sous_categorie=sous_categorie, structure_destinataire=None, service_destinataire=None, facture=None
    )
    objet = (objet or "").strip()
    if not objet:
        raise ApplicationError("Saisissez l'objet de la sollicitation.", champ="objet")
    corps = _verifier_texte(message)
    pieces = _verifier_fichiers(fichiers)
    sollicitation = Sollicitation.objects.create(
        objet=objet,
        categorie=sous_categorie.categorie,
        sous_categorie=sous_categorie,
        statut=S.A_CONFIRMER,
        demandeur_email=email.strip().lower(),
        demandeur_nom=nom.strip(),
    )
    _numeroter(sollicitation)
    _ajouter_message(
        sollicitation, auteur=None, auteur_nom=sollicitation.demandeur_nom, corps=corps, fichiers=pieces,
        du_demandeur=True,
    )  # fmt: skip
    SOLLICITATION_WORKFLOW.historique.objects.create(
        sollicitation=sollicitation, action="creer", de_statut="", vers_statut=S.A_CONFIRMER
    )
    courriel_programmer(
        gabarit="support/email/confirmer_adresse",
        destinataire=sollicitation.demandeur_email,
        contexte={"sollicitation": sollicitation, "lien": liens.url_confirmation(sollicitation)},
    )
    return sollicitation


def _par_jeton(jeton, sel, validite):
    pk, email = liens.lire(jeton, sel, validite)
    sollicitation = Sollicitation.objects.filter(pk=pk, demandeur__isnull=True, demandeur_email=email).first()
    if sollicitation is None:
        raise liens.LienRefuse("Ce lien n'est pas valide. Vérifiez qu'il a été copié en entier.")
    return sollicitation


def sollicitation_par_lien_confirmation(jeton):
    return _par_jeton(jeton, liens.SEL_CONFIRMATION, liens.VALIDITE_CONFIRMATION)


def sollicitation_par_lien_suivi(jeton):
    """The ticket of a follow-up link (LienRefuse otherwise): the link is the requester's only key."""
    sollicitation = _par_jeton(jeton, liens.SEL_SUIVI, liens.VALIDITE_SUIVI)
    if sollicitation.statut == S.A_CONFIRMER:
        raise liens.LienRefuse("Confirmez d'abord votre adresse avec le lien reçu par courriel.")
    return sollicitation


@transaction.atomic
def sollicitation_confirmer(*, jeton):
    """The requester followed the confirmation link: the ticket is opened. A second click changes nothing."""
    trouvee = _par_jeton(jeton, liens.SEL_CONFIRMATION, liens.VALIDITE_CONFIRMATION)
    sollicitation = Sollicitation.objects.select_for_update().get(pk=trouvee.pk)
    if sollicitation.statut != S.A_CONFIRMER:
        return sollicitation, False
    SOLLICITATION_WORKFLOW.appliquer(sollicitation, "confirmer", par=None)
    Sollicitation.objects.filter(pk=sollicitation.pk).update(derniere_activite=timezone.now())
    _accuse_reception(sollicitation)
    return sollicitation, True


def _verrouiller(sollicitation):
    # of=("self",): PostgreSQL cannot lock the nullable side of the outer joins; only the ticket's row is locked
    return (
        Sollicitation.objects.select_for_update(of=("self",))
        .select_related("structure_destinataire", "service_destinataire", "agent")
        .get(pk=sollicitation.pk)
    )


def _fin_du_traitement(sollicitation):
    """When the ticket last left the open statuses (for « Résolue » or « Clôturée »): the reopening window counts from
    there, so closing a resolved ticket, by hand or by the daily task, does not open it again."""
    fin = (
        sollicitation.historique.filter(de_statut__in=OUVERTES, vers_statut__in=(S.RESOLUE, S.CLOTUREE))
        .order_by("-le", "-pk")
        .values_list("le", flat=True)
        .first()
    )
    return fin or sollicitation.statut_depuis


def reouverture_possible(sollicitation, maintenant=None):
    if sollicitation.statut not in (S.RESOLUE, S.CLOTUREE):
        return False
    return (maintenant or timezone.now()) - _fin_du_traitement(sollicitation) <= DELAI_REOUVERTURE


def sollicitations_resolues_cloturer(*, maintenant=None):
    """« Résolue » for longer than the reopening window, nobody answered: the ticket is closed (history by nobody,
    with the reason). Returns how many."""
    limite = (maintenant or timezone.now()) - DELAI_REOUVERTURE
    nombre = 0
    echues = Sollicitation.objects.filter(statut=S.RESOLUE, statut_depuis__lt=limite).values_list("pk", flat=True)
    for pk in list(echues):
        with transaction.atomic():
            sollicitation = Sollicitation.objects.select_for_update(of=("self",)).get(pk=pk)
            if sollicitation.statut != S.RESOLUE:
                continue  # reopened meanwhile
            SOLLICITATION_WORKFLOW.appliquer(
                sollicitation,
                "cloturer",
                par=None,
                commentaire=f"Clôturée automatiquement : résolue depuis plus de {DELAI_REOUVERTURE.days} jours.",
            )
            nombre += 1
    return nombre


def _exiger_demandeur(sollicitation, par, jeton):
    if jeton is not None:
        if sollicitation_par_lien_suivi(jeton).pk != sollicitation.pk:
            raise ApplicationError("Ce lien ne correspond pas à cette sollicitation.")
        return
    if not acces.est_demandeur(par, sollicitation):
        raise ApplicationError("Seul le demandeur peut effectuer cette action.")


def _prevenir_traitants(sollicitation, message):
    destinataires = [sollicitation.agent] if sollicitation.agent_id else []
    if not sollicitation.pour_le_support:
        destinataires = traitants_a_prevenir(sollicitation)
    for utilisateur in destinataires:
        courriel_programmer(
            gabarit="support/email/reponse_demandeur",
            destinataire=utilisateur.email,
            contexte={
                "sollicitation": sollicitation,
                "message": message,
                "utilisateur": utilisateur,
                "lien": liens.url_traitement(sollicitation),
            },
        )


@transaction.atomic
def repondre_demandeur(*, sollicitation, corps, fichiers=(), par=None, jeton=None):
    """The requester answers (from « Sollicitations émises », or through the signed link without an account). On
    a resolved or closed ticket within the reopening delay, the answer reopens it."""
    sollicitation = _verrouiller(sollicitation)
    _exiger_demandeur(sollicitation, par, jeton)
    corps = _verifier_texte(corps)
    pieces = _verifier_fichiers(fichiers)
    statut = sollicitation.statut
    if statut in (S.RESOLUE, S.CLOTUREE):
        if not reouverture_possible(sollicitation):
            raise ApplicationError(
                f"Cette sollicitation est « {sollicitation.get_statut_display()} » depuis plus de "
                f"{DELAI_REOUVERTURE.days} jours : elle ne peut plus être rouverte. Saisissez une nouvelle "
                "sollicitation.",
                champ="message",
            )
        SOLLICITATION_WORKFLOW.appliquer(sollicitation, "rouvrir", par=par)
    elif statut == S.EN_ATTENTE_DEMANDEUR:
        SOLLICITATION_WORKFLOW.appliquer(sollicitation, "mettre_en_cours", par=par)
    elif statut not in (S.NOUVELLE, S.EN_COURS):
        raise ApplicationError("Cette sollicitation n'est pas encore ouverte : confirmez d'abord votre adresse.")
    message = _ajouter_message(
        sollicitation,
        auteur=par if par and par.is_authenticated else None,
        auteur_nom=sollicitation.demandeur_nom,
        corps=corps,
        fichiers=pieces,
        du_demandeur=True,
    )
    _prevenir_traitants(sollicitation, message)
    return message


@transaction.atomic
def sollicitation_cloturer(*, sollicitation, par=None, jeton=None):
    """The requester closes the ticket (its question is settled), or a handler closes it."""
    sollicitation = _verrouiller(sollicitation)
    if jeton is not None or not acces.peut_traiter(par, sollicitation):
        _exiger_demandeur(sollicitation, par, jeton)
    return SOLLICITATION_WORKFLOW.appliquer(sollicitation, "cloturer", par=par if jeton is None else None)


@transaction.atomic
def repondre_traitant(*, sollicitation, par, corps, statut, fichiers=()):
    """A handler answers the requester and chooses the status the ticket is left in; the requester is told by
    mail (with the signed link when it has no account)."""
    sollicitation = _verrouiller(sollicitation)
    if not acces.peut_traiter(par, sollicitation):
        raise ApplicationError("Vous n'êtes pas habilité à répondre à cette sollicitation.")
    if statut not in STATUTS_APRES_REPONSE:
        raise ApplicationError("Choisissez le statut de la sollicitation après votre réponse.", champ="statut")
    corps = _verifier_texte(corps)
    pieces = _verifier_fichiers(fichiers)
    if sollicitation.statut not in (S.NOUVELLE, S.EN_COURS, S.EN_ATTENTE_DEMANDEUR):
        raise ApplicationError(
            f"La sollicitation est « {sollicitation.get_statut_display()} » : seul le demandeur peut la rouvrir. "
            "Vous pouvez encore y ajouter une note interne."
        )
    if sollicitation.statut != statut:
        SOLLICITATION_WORKFLOW.appliquer(sollicitation, STATUTS_APRES_REPONSE[statut], par=par)
    if sollicitation.pour_le_support and sollicitation.agent_id is None:
        # whoever answers first owns the ticket, so the requester's answer comes back to them
        sollicitation.agent = par
        sollicitation.save(update_fields=["agent"])
    message = _ajouter_message(
        sollicitation, auteur=par, auteur_nom=par.nom_complet, corps=corps, fichiers=pieces, du_demandeur=False
    )
    courriel_programmer(
        gabarit="support/email/reponse",
        destinataire=sollicitation.demandeur_email,
        contexte={"sollicitation": sollicitation, "message": message, "lien": liens.url_suivi(sollicitation)},
    )
    return message


@transaction.atomic
def note_interne_ajouter(*, sollicitation, par, corps, fichiers=()):
    """A note for the other handlers; the requester never sees it and no mail leaves."""
    sollicitation = _verrouiller(sollicitation)
    if not acces.peut_traiter(par, sollicitation):
        raise ApplicationError("Vous n'êtes pas habilité à annoter cette sollicitation.")
    corps = _verifier_texte(corps, champ="note")
    pieces = _verifier_fichiers(fichiers, champ="pieces_jointes_note")
    return _ajouter_message(
        sollicitation, auteur=par, auteur_nom=par.nom_complet, corps=corps, fichiers=pieces, du_demandeur=False,
        interne=True,
    )  # fmt: skip


@transaction.atomic
def sollicitation_attribuer(*, sollicitation, agent, par):
    """An agent assigns a support ticket (to themself or a colleague, or to nobody); a new ticket goes « En cours »."""
    if not acces.est_agent(par):
        raise ApplicationError("Seul un agent du support peut attribuer une sollicitation.")
    sollicitation = _verrouiller(sollicitation)
    if not sollicitation.pour_le_support:
        raise ApplicationError("Cette sollicitation est traitée par la structure destinataire, pas par le support.")
    if agent is not None and not acces.est_agent(agent):
        raise ApplicationError("Choisissez un agent du support.", champ="agent")
    sollicitation.agent = agent
    sollicitation.save(update_fields=["agent"])
    SOLLICITATION_WORKFLOW.historique.objects.create(
        sollicitation=sollicitation,
        action="attribuer",
        de_statut=sollicitation.statut,
        vers_statut=sollicitation.statut,
        par=par,
        commentaire=f"Attribuée à {agent.nom_complet}" if agent else "Attribution retirée",
    )
    if agent is not None and sollicitation.statut == S.NOUVELLE:
        SOLLICITATION_WORKFLOW.appliquer(sollicitation, "mettre_en_cours", par=par)
    return sollicitation


# An unconfirmed ticket (logged-out form, link never followed) is kept a week past its link's 24 hours, so a late
# requester can still be helped by the support from its address, then erased: nobody vouched for it.
CONSERVATION_NON_CONFIRMEES = timedelta(days=7)


def sollicitations_non_confirmees_purger(*, maintenant=None):
    """Erase the tickets whose address was never confirmed, with their attachments' files; returns how many."""
    limite = (maintenant or timezone.now()) - CONSERVATION_NON_CONFIRMEES
    perimees = Sollicitation.objects.filter(statut=S.A_CONFIRMER, cree_le__lt=limite)
    with transaction.atomic():
        fichiers = list(
            PieceJointe.objects.filter(message__sollicitation__in=perimees).values_list("fichier", flat=True)
        )
        nombre = Sollicitation.objects.filter(pk__in=perimees.values("pk")).delete()[1].get("support.Sollicitation", 0)
        # files follow only once the rows are gone for good
        transaction.on_commit(lambda: [default_storage.delete(nom) for nom in fichiers if nom])
    return nombre
