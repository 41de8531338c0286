"""Writes on who acts for a structure: attachment requests and approvals, profiles, the gestionnaire principal."""

from django.db import transaction
from django.utils import timezone

from chorus.annonces import annoncer
from chorus.courriels import courriel_programmer
from chorus.differe import modification_programmer
from chorus.exceptions import ApplicationError
from organisation.enums import Application, Niveau, StatutRattachement, StatutStructure
from organisation.habilitations import peut, titulaires, toutes_les_habilitations
from organisation.models import DemandeHabilitation, Habilitation, Rattachement
from organisation.services.structures import exiger, perimetre


def gestionnaires(structure):
    """Who may approve for a structure: the users with "Organisation – modification" on all of it."""
    return titulaires(structure, [Application.ORGANISATION], niveau=Niveau.MODIFICATION)


def _prevenir_gestionnaires(structure, gabarit, **contexte):
    for gestionnaire in gestionnaires(structure):
        courriel_programmer(
            gabarit=gabarit,
            destinataire=gestionnaire.email,
            contexte={"structure": structure, "gestionnaire": gestionnaire, **contexte},
        )
        annoncer(gabarit=gabarit, destinataires=[gestionnaire], contexte={"structure": structure, **contexte})


def profils_par_defaut(services=()):
    """Every profile except "Organisation – modification" (chorus-pro-features.md row 22), per service if the
    attachment is limited to some services."""
    profils = [(a, n) for a, n in toutes_les_habilitations() if a != Application.ORGANISATION]
    profils.append((Application.ORGANISATION, Niveau.CONSULTATION))
    portees = list(services) or [None]
    return [(application, niveau, service) for application, niveau in profils for service in portees]


@transaction.atomic
def rattachement_demander(*, utilisateur, structure, services=(), message=""):
    if structure.statut != StatutStructure.ACTIVE:
        raise ApplicationError("Cette structure n'est pas active : aucun rattachement n'est possible.")
    services = list(services)
    if any(service.structure_id != structure.pk or not service.actif for service in services):
        raise ApplicationError("Choisissez des services actifs de cette structure.", champ="services")
    existant = Rattachement.objects.select_for_update().filter(utilisateur=utilisateur, structure=structure).first()
    if existant is not None and existant.statut == StatutRattachement.ACTIF:
        raise ApplicationError("Vous êtes déjà rattaché à cette structure.")
    if existant is not None and existant.statut == StatutRattachement.EN_ATTENTE:
        raise ApplicationError("Une demande de rattachement à cette structure est déjà en attente d'approbation.")
    rattachement = existant or Rattachement(utilisateur=utilisateur, structure=structure)
    rattachement.statut = StatutRattachement.EN_ATTENTE
    rattachement.message = message.strip()
    rattachement.traite_le = rattachement.traite_par = None
    rattachement.motif_refus = ""
    rattachement.save()
    rattachement.services.set(services)
    _prevenir_gestionnaires(structure, "organisation/email/rattachement_demande", demandeur=utilisateur,
                            services=services)  # fmt: skip
    return rattachement


def _exiger_en_attente(objet):
    if objet.statut != StatutRattachement.EN_ATTENTE:
        raise ApplicationError("Cette demande a déjà été traitée.")


@transaction.atomic
def rattachement_accepter(*, rattachement, par):
    rattachement = Rattachement.objects.select_for_update().get(pk=rattachement.pk)
    exiger(par, Application.ORGANISATION, Niveau.MODIFICATION, rattachement.structure)
    _exiger_en_attente(rattachement)
    rattachement.statut = StatutRattachement.ACTIF
    rattachement.traite_le, rattachement.traite_par = timezone.now(), par
    rattachement.save(update_fields=["statut", "traite_le", "traite_par"])
    rattachement.habilitations.all().delete()
    Habilitation.objects.bulk_create(
        Habilitation(rattachement=rattachement, application=a, niveau=n, service=s)
        for a, n, s in profils_par_defaut(rattachement.services.all())
    )
    courriel_programmer(
        gabarit="organisation/email/rattachement_accepte",
        destinataire=rattachement.utilisateur.email,
        contexte={"rattachement": rattachement, "structure": rattachement.structure},
    )
    annoncer(
        gabarit="organisation/email/rattachement_accepte",
        destinataires=[rattachement.utilisateur],
        contexte={"rattachement": rattachement, "structure": rattachement.structure},
    )
    return rattachement


@transaction.atomic
def rattachement_refuser(*, rattachement, par, motif):
    rattachement = Rattachement.objects.select_for_update().get(pk=rattachement.pk)
    exiger(par, Application.ORGANISATION, Niveau.MODIFICATION, rattachement.structure)
    _exiger_en_attente(rattachement)
    if not motif.strip():
        raise ApplicationError("Saisissez le motif du refus : il est communiqué au demandeur.", champ="motif")
    rattachement.statut = StatutRattachement.REFUSE
    rattachement.traite_le, rattachement.traite_par = timezone.now(), par
    rattachement.motif_refus = motif.strip()
    rattachement.save(update_fields=["statut", "traite_le", "traite_par", "motif_refus"])
    courriel_programmer(
        gabarit="organisation/email/rattachement_refuse",
        destinataire=rattachement.utilisateur.email,
        contexte={"rattachement": rattachement, "structure": rattachement.structure},
    )
    annoncer(
        gabarit="organisation/email/rattachement_refuse",
        destinataires=[rattachement.utilisateur],
        contexte={"rattachement": rattachement, "structure": rattachement.structure},
    )
    return rattachement


@transaction.atomic
def rattachement_terminer(*, rattachement, par):
    """End a user's attachment. Immediate: taking access away must not wait."""
    rattachement = Rattachement.objects.select_for_update().get(pk=rattachement.pk)
    if rattachement.utilisateur_id != par.pk:
        exiger(par, Application.ORGANISATION, Niveau.MODIFICATION, rattachement.structure)
    if rattachement.est_gestionnaire_principal:
        raise ApplicationError(
            "Le gestionnaire principal ne peut pas être détaché : transférez d'abord ce rôle à un autre utilisateur."
        )
    if rattachement.statut != StatutRattachement.ACTIF:
        raise ApplicationError("Ce rattachement n'est pas actif.")
    rattachement.statut = StatutRattachement.TERMINE
    rattachement.traite_le, rattachement.traite_par = timezone.now(), par
    rattachement.save(update_fields=["statut", "traite_le", "traite_par"])
    rattachement.habilitations.all().delete()
    courriel_programmer(
        gabarit="organisation/email/rattachement_termine",
        destinataire=rattachement.utilisateur.email,
        contexte={"rattachement": rattachement, "structure": rattachement.structure},
    )
    annoncer(
        gabarit="organisation/email/rattachement_termine",
        destinataires=[rattachement.utilisateur],
        contexte={"rattachement": rattachement, "structure": rattachement.structure},
    )
    return rattachement


@transaction.atomic
def habilitations_modifier(*, rattachement, par, habilitations):
    """Replace a user's profiles on a structure; effective after the delay. `habilitations`: (application,
    niveau, service or None) triples."""
    structure = rattachement.structure
    exiger(par, Application.ORGANISATION, Niveau.MODIFICATION, structure)
    if rattachement.est_gestionnaire_principal:
        raise ApplicationError("Le gestionnaire principal a tous les profils : ils ne se modifient pas.")
    if rattachement.statut != StatutRattachement.ACTIF:
        raise ApplicationError("Ce rattachement n'est pas actif.")
    lignes, vues = [], set()
    for application, niveau, service in habilitations:
        if application not in Application.values or niveau not in Niveau.values:
            raise ApplicationError("Profil inconnu.", champ="habilitations")
        if service is not None and service.structure_id != structure.pk:
            raise ApplicationError("Ce service n'appartient pas à la structure.", champ="habilitations")
        cle = (application, service.pk if service else None)
        if cle in vues:
            raise ApplicationError(
                f"Le profil « {Application(application).label} » est donné deux fois pour la même portée.",
                champ="habilitations",
            )
        vues.add(cle)
        lignes.append([application, niveau, service.pk if service else None])
    return modification_programmer(
        objet=rattachement,
        operation="habilitations.remplacer",
        donnees={"habilitations": lignes},
        par=par,
        libelle=f"Modification des profils de {rattachement.utilisateur.nom_complet}",
        perimetre=perimetre(structure),
    )


@transaction.atomic
def habilitation_demander(*, rattachement, par, application, niveau):
    if rattachement.utilisateur_id != par.pk or rattachement.statut != StatutRattachement.ACTIF:
        raise ApplicationError("Vous n'êtes pas rattaché à cette structure.")
    if peut(par, application, niveau, rattachement.structure):
        raise ApplicationError("Vous avez déjà ce profil.")
    if rattachement.demandes_habilitation.filter(
        application=application, niveau=niveau, statut=StatutRattachement.EN_ATTENTE
    ).exists():
        raise ApplicationError("Cette demande est déjà en attente d'approbation.")
    demande = DemandeHabilitation.objects.create(rattachement=rattachement, application=application, niveau=niveau)
    _prevenir_gestionnaires(
        rattachement.structure, "organisation/email/habilitation_demandee", demandeur=par, demande=demande
    )
    return demande


@transaction.atomic
def demande_habilitation_traiter(*, demande, par, accepter, motif=""):
    demande = DemandeHabilitation.objects.select_for_update().select_related("rattachement").get(pk=demande.pk)
    rattachement = demande.rattachement
    exiger(par, Application.ORGANISATION, Niveau.MODIFICATION, rattachement.structure)
    _exiger_en_attente(demande)
    if not accepter and not motif.strip():
        raise ApplicationError("Saisissez le motif du refus : il est communiqué au demandeur.", champ="motif")
    demande.statut = StatutRattachement.ACTIF if accepter else StatutRattachement.REFUSE
    demande.traite_le, demande.traite_par, demande.motif_refus = timezone.now(), par, motif.strip()
    demande.save(update_fields=["statut", "traite_le", "traite_par", "motif_refus"])
    if accepter:
        actuels = [(h.application, h.niveau, h.service) for h in rattachement.habilitations.select_related("service")]
        actuels = [h for h in actuels if not (h[0] == demande.application and h[2] is None)]
        habilitations_modifier(
            rattachement=rattachement, par=par, habilitations=[*actuels, (demande.application, demande.niveau, None)]
        )
    courriel_programmer(
        gabarit="organisation/email/habilitation_traitee",
        destinataire=rattachement.utilisateur.email,
        contexte={"demande": demande, "structure": rattachement.structure, "accepte": accepter},
    )
    annoncer(
        gabarit="organisation/email/habilitation_traitee",
        destinataires=[rattachement.utilisateur],
        contexte={"demande": demande, "structure": rattachement.structure, "accepte": accepter},
    )
    return demande


def _transferer(structure, ancien, nouveau, par):
    # re-read under lock: the target may have left the structure since the form was shown
    nouveau = Rattachement.objects.select_for_update().select_related("utilisateur").get(pk=nouveau.pk)
    if nouveau.statut != StatutRattachement.ACTIF or nouveau.structure_id != structure.pk:
        raise ApplicationError(
            f"{nouveau.utilisateur.nom_complet} n'est pas rattaché à {structure.raison_sociale} : le nouveau "
            "gestionnaire principal doit déjà être rattaché à la structure.",
            champ="destinataire",
        )
    if ancien is not None:
        if ancien.pk == nouveau.pk:
            raise ApplicationError("Cet utilisateur est déjà le gestionnaire principal.", champ="destinataire")
        ancien.est_gestionnaire_principal = False
        ancien.save(update_fields=["est_gestionnaire_principal"])
    nouveau.est_gestionnaire_principal = True
    nouveau.save(update_fields=["est_gestionnaire_principal"])
    nouveau.habilitations.all().delete()
    Habilitation.objects.bulk_create(
        Habilitation(rattachement=nouveau, application=a, niveau=n) for a, n in toutes_les_habilitations()
    )
    for destinataire in {nouveau.utilisateur, *([ancien.utilisateur] if ancien else [])}:
        courriel_programmer(
            gabarit="organisation/email/gestionnaire_transfere",
            destinataire=destinataire.email,
            contexte={"structure": structure, "nouveau": nouveau.utilisateur, "par": par},
        )
        annoncer(
            gabarit="organisation/email/gestionnaire_transfere",
            destinataires=[destinataire],
            contexte={"structure": structure, "nouveau": nouveau.utilisateur, "par": par},
        )


@transaction.atomic
def gestionnaire_transferer(*, par, transferts):
    """Give the gestionnaire principal role, structure by structure (the three modes of Chorus Pro are three ways of
    filling `transferts`: [(structure, rattachement of the new GP)]). Immediate."""
    if not transferts:
        raise ApplicationError("Choisissez au moins une structure à transférer.", champ="structures")
    for structure, nouveau in transferts:
        ancien = (
            Rattachement.objects.select_for_update()
            .filter(structure=structure, est_gestionnaire_principal=True)
            .first()
        )
        if ancien is None or ancien.utilisateur_id != par.pk:
            raise ApplicationError(
                f"Vous n'êtes pas le gestionnaire principal de {structure.raison_sociale}.", champ="structures"
            )
        _transferer(structure, ancien, nouveau, par)


@transaction.atomic
def gestionnaire_transferer_par_support(*, agent, structure, nouveau, motif):
    """The support gives the role when the gestionnaire principal has left (ClaudIA: "GP parti")."""
    if not agent.est_agent_support:
        raise ApplicationError("Seul un agent du support peut effectuer ce transfert.")
    if not motif.strip():
        raise ApplicationError("Saisissez le motif du transfert (par exemple : départ du gestionnaire).",
                               champ="motif")  # fmt: skip
    ancien = Rattachement.objects.select_for_update().filter(structure=structure, est_gestionnaire_principal=True)
    _transferer(structure, ancien.first(), nouveau, agent)
