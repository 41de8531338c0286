"""Writes only a support agent makes. Structure approval and the gestionnaire transfer by the support are in
organisation.services.structures and organisation.services.rattachements."""

import logging

from django.db import transaction

from chorus.annonces import annoncer
from chorus.courriels import courriel_programmer
from chorus.exceptions import ApplicationError
from organisation.enums import StatutStructure
from organisation.models import Structure, Utilisateur
from organisation.services.comptes import envoyer_lien_changement_adresse
from organisation.workflow import STRUCTURE_WORKFLOW

journal = logging.getLogger("chorus.securite")


def exiger_agent_support(agent):
    if not (agent.is_authenticated and agent.est_agent_support):
        raise ApplicationError("Seul un agent du support peut effectuer cette action.")


@transaction.atomic
def adresse_changer_par_support(*, agent, utilisateur, nouvelle_adresse):
    """The holder has lost the mailbox of their login address and asked the support (release notes V3.9, §1.1).

    Same path as the holder's own request (organisation.services.comptes.adresse_changement_demander), minus the
    password: a link valid 24 hours goes to the new address, the old one is told; nothing changes until the link is
    followed (organisation:adresse_confirmer), and then every session of the account ends."""
    exiger_agent_support(agent)
    utilisateur = Utilisateur.objects.select_for_update().get(pk=utilisateur.pk)
    nouvelle_adresse = nouvelle_adresse.strip().lower()
    if nouvelle_adresse == utilisateur.email.lower():
        raise ApplicationError(
            "La nouvelle adresse est identique à l'adresse de connexion actuelle du compte.", champ="nouvelle_adresse"
        )
    # The agent works for the holder, not against other accounts: saying the address is taken reveals nothing.
    if Utilisateur.objects.filter(email__iexact=nouvelle_adresse).exists():
        raise ApplicationError("Cette adresse est déjà l'adresse de connexion d'un autre compte.",
                               champ="nouvelle_adresse")  # fmt: skip
    lien = envoyer_lien_changement_adresse(utilisateur=utilisateur, nouvelle_adresse=nouvelle_adresse)
    journal.info(
        "changement d'adresse de connexion engagé par le support",
        extra={"agent": agent.pk, "utilisateur": utilisateur.pk},
    )
    return lien


def _designation(structure):
    return f"{structure.raison_sociale} ({structure.get_type_identifiant_display()} {structure.identifiant})"


@transaction.atomic
def structure_marquer_doublon(*, agent, doublon, origine, motif):
    """The same legal entity was registered twice: `doublon` becomes inactive and points to `origine`
    (idStructureOrigine, chorus-pro-api.md §2.3).

    Nothing else ends: the attachments stay so that the duplicate's users still see where to go; its gestionnaire
    principal is told by mail to request an attachment to the structure of origin."""
    exiger_agent_support(agent)
    # locked in a fixed order so that two agents crossing the same pair cannot deadlock
    verrouillees = Structure.objects.select_for_update().in_bulk({doublon.pk, origine.pk})
    doublon, origine = verrouillees[doublon.pk], verrouillees[origine.pk]
    if origine.pk == doublon.pk:
        raise ApplicationError(
            "Une structure ne peut pas être le doublon d'elle-même : saisissez l'identifiant de la structure "
            "d'origine.",
            champ="identifiant",
        )
    if origine.structure_origine_id is not None:
        premiere = Structure.objects.get(pk=origine.structure_origine_id)
        raise ApplicationError(
            f"La structure {_designation(origine)} est elle-même un doublon de {_designation(premiere)} : "
            "désignez cette dernière comme structure d'origine.",
            champ="identifiant",
        )
    if origine.statut != StatutStructure.ACTIVE:
        raise ApplicationError(
            f"La structure d'origine doit être active ; {_designation(origine)} est au statut "
            f"« {origine.get_statut_display()} ».",
            champ="identifiant",
        )
    if origine.est_publique != doublon.est_publique:
        raise ApplicationError(
            "Une structure publique ne peut pas être le doublon d'une structure privée, ni une structure privée "
            "celui d'une structure publique.",
            champ="identifiant",
        )
    # a structure of origin cannot become a duplicate itself: its own duplicates would point to a duplicate
    if doublon.doublons.exists():
        raise ApplicationError(
            f"La structure {_designation(doublon)} est la structure d'origine d'autres doublons : elle ne peut pas "
            "être marquée comme doublon."
        )
    ligne = STRUCTURE_WORKFLOW.appliquer(doublon, "marquer_doublon", par=agent, motif=motif)
    doublon.structure_origine = origine
    doublon.save(update_fields=["structure_origine"])
    gp = doublon.rattachements.filter(est_gestionnaire_principal=True).select_related("utilisateur").first()
    if gp is not None:
        courriel_programmer(
            gabarit="organisation/email/structure_doublon",
            destinataire=gp.utilisateur.email,
            contexte={"utilisateur": gp.utilisateur, "structure": doublon, "origine": origine, "motif": ligne.motif},
        )
        annoncer(
            gabarit="organisation/email/structure_doublon",
            destinataires=[gp.utilisateur],
            contexte={"structure": doublon, "origine": origine, "motif": ligne.motif},
        )
    journal.info(
        "structure marquée comme doublon par le support",
        extra={"agent": agent.pk, "structure": doublon.pk, "origine": origine.pk},
    )
    return ligne
