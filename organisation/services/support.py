"""Writes only a support agent makes. Structure approval and the gestionnaire transfer by the support are in
organisation.services.structures and organisation.services.rattachements."""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from chorus.courriels import courriel_programmer
from chorus.exceptions import ApplicationError
from organisation.enums import ObjetLien
from organisation.models import LienUnique, Utilisateur
from organisation.services.comptes import _url

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
    LienUnique.objects.filter(
        utilisateur=utilisateur,
        objet=ObjetLien.CHANGEMENT_ADRESSE,
        utilise_le__isnull=True,
        remplace_le__isnull=True,
    ).update(remplace_le=timezone.now())
    lien, jeton = LienUnique.emettre(
        utilisateur=utilisateur,
        objet=ObjetLien.CHANGEMENT_ADRESSE,
        validite=settings.LIEN_CHANGEMENT_ADRESSE_VALIDITE,
        nouvelle_adresse=nouvelle_adresse,
    )
    courriel_programmer(
        gabarit="organisation/email/adresse_confirmer",
        destinataire=nouvelle_adresse,
        contexte={
            "utilisateur": utilisateur,
            "lien": _url("organisation:adresse_confirmer", jeton=jeton),
            "expire_le": lien.expire_le,
        },
    )
    courriel_programmer(
        gabarit="organisation/email/adresse_demande_ancienne",
        destinataire=utilisateur.email,
        contexte={"utilisateur": utilisateur, "nouvelle_adresse": nouvelle_adresse},
    )
    journal.info(
        "changement d'adresse de connexion engagé par le support",
        extra={"agent": agent.pk, "utilisateur": utilisateur.pk},
    )
    return lien
