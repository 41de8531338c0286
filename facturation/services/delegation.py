"""« Gérer délégation des factures reçues » (chorus-pro-features.md rows 62, 63; S2 V3.2.3).

A public structure names another active structure, public or private, as valideur délégué of its received A1
invoices, for the whole structure or for some of its services, with the « droit de validation » or the « droit de
traitement ». A1 invoices deposited while the delegation is active go to the delegate first (the deposit code asks
facturation.selectors.delegation.delegation_applicable). Ending a delegation changes nothing for the invoices
already submitted: the delegate still answers them, and the recipient can step in at any time.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from chorus.exceptions import ApplicationError
from facturation.enums import DroitDelegation
from facturation.models import DelegationFactures
from organisation import habilitations
from organisation.enums import Application, Niveau, StatutStructure, TypeIdentifiant
from organisation.identifiants import verifier_siret
from organisation.models import Structure

REFUS_PROFIL = "La gestion des délégations demande le profil « Factures reçues – modification » sur la structure."


def _verifier_droit_de_gerer(par, delegant):
    if not habilitations.peut(par, Application.FACTURES_RECUES, Niveau.MODIFICATION, delegant):
        raise ApplicationError(REFUS_PROFIL)


def _delegue(siret, delegant):
    numero = verifier_siret(siret, champ="siret")
    delegue = Structure.objects.filter(type_identifiant=TypeIdentifiant.SIRET, identifiant=numero).first()
    if delegue is None:
        raise ApplicationError(f"Aucune structure n'a le SIRET {numero} sur Chorus Pro.", champ="siret")
    if delegue.statut != StatutStructure.ACTIVE:
        raise ApplicationError(
            f"La structure {delegue.raison_sociale} (SIRET {numero}) n'est pas active : elle ne peut pas recevoir "
            "de délégation.",
            champ="siret",
        )
    if delegue.pk == delegant.pk:
        raise ApplicationError("Une structure ne peut pas se déléguer ses propres factures.", champ="siret")
    return delegue


def _verifier_services(delegant, services):
    for service in services:
        if service.structure_id != delegant.pk or not service.actif:
            raise ApplicationError(
                f"Le service {service.code} n'est pas un service actif de {delegant.raison_sociale}.",
                champ="services",
            )


def _verifier_chevauchement(delegant, delegue, services):
    """One delegate per invoice: a service (or the whole structure) is delegated once at a time."""
    actives = DelegationFactures.objects.filter(delegant=delegant, active=True).select_related("delegue")
    if actives.filter(delegue=delegue).exists():
        raise ApplicationError(
            f"Une délégation est déjà active vers {delegue.raison_sociale} : terminez-la avant d'en créer une autre.",
            champ="siret",
        )
    for autre in actives.prefetch_related("services"):
        deja = {s.pk for s in autre.services.all()}
        if not deja:
            raise ApplicationError(
                f"Les factures de toute la structure sont déjà déléguées à {autre.delegue.raison_sociale} : "
                "terminez cette délégation avant d'en créer une autre.",
                champ="services",
            )
        if not services:
            raise ApplicationError(
                f"Des services sont déjà délégués à {autre.delegue.raison_sociale} : cochez d'autres services, ou "
                "terminez cette délégation pour déléguer toute la structure.",
                champ="services",
            )
        communs = [s.code for s in services if s.pk in deja]
        if communs:
            raise ApplicationError(
                f"Service{'s' if len(communs) > 1 else ''} déjà délégué{'s' if len(communs) > 1 else ''} à "
                f"{autre.delegue.raison_sociale} : {', '.join(sorted(communs))}.",
                champ="services",
            )


def delegation_creer(*, delegant, par, siret, droit, services=()):
    """Name `siret`'s structure valideur délégué of `delegant`'s A1 invoices (no service: the whole structure)."""
    _verifier_droit_de_gerer(par, delegant)
    if not delegant.est_publique or delegant.statut != StatutStructure.ACTIVE:
        raise ApplicationError("Seule une structure publique active peut déléguer ses factures reçues.")
    if droit not in DroitDelegation.values:
        raise ApplicationError(
            "Choisissez le droit accordé : droit de validation ou droit de traitement.", champ="droit"
        )
    services = list(services)
    _verifier_services(delegant, services)
    delegue = _delegue(siret, delegant)
    try:
        with transaction.atomic():
            _verifier_chevauchement(delegant, delegue, services)
            delegation = DelegationFactures.objects.create(
                delegant=delegant, delegue=delegue, droit=droit, cree_par=par
            )
            delegation.services.set(services)
    except IntegrityError:
        # delegation_active_unique: another agent created the same delegation a moment ago
        raise ApplicationError(
            f"Une délégation est déjà active vers {delegue.raison_sociale} : terminez-la avant d'en créer une autre.",
            champ="siret",
        ) from None
    return delegation


def delegation_terminer(*, delegation, par):
    """End a delegation: the invoices deposited from now on go to the recipient again."""
    _verifier_droit_de_gerer(par, delegation.delegant)
    with transaction.atomic():
        delegation = DelegationFactures.objects.select_for_update().get(pk=delegation.pk)
        if not delegation.active:
            raise ApplicationError("Cette délégation est déjà terminée.")
        delegation.active = False
        delegation.terminee_le = timezone.now()
        delegation.save(update_fields=["active", "terminee_le"])
    return delegation
