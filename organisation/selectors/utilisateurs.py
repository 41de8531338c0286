"""Reads for the users of a structure: attachment requests, approvals, the users list and its exports, the transfer
of the gestionnaire principal role."""

import re

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.db.models.functions import Coalesce

from chorus.differe import modifications_en_attente
from organisation.enums import Application, Niveau, StatutRattachement, StatutStructure, TypeIdentifiant
from organisation.habilitations import filtre_visible, structures_visibles
from organisation.models import DemandeHabilitation, Habilitation, Rattachement, Service, Structure

TRIS = {
    "nom": ("utilisateur__nom", "utilisateur__prenom", "pk"),
    "-nom": ("-utilisateur__nom", "-utilisateur__prenom", "-pk"),
    "email": ("utilisateur__email", "pk"),
    "-email": ("-utilisateur__email", "-pk"),
    "date": ("date_rattachement", "pk"),
    "-date": ("-date_rattachement", "-pk"),
}
TRI_PAR_DEFAUT = "nom"


def identifiant_normalise(type_identifiant, identifiant):
    """The identifier as stored: a SIRET is typed with spaces more often than not."""
    identifiant = (identifiant or "").strip()
    if type_identifiant == TypeIdentifiant.SIRET:
        identifiant = re.sub(r"[\s.]", "", identifiant)
    return identifiant


def structure_active(type_identifiant, identifiant):
    """The structure an attachment can be asked for: exact identifier, active only."""
    identifiant = identifiant_normalise(type_identifiant, identifiant)
    if not identifiant:
        return None
    return Structure.objects.filter(
        type_identifiant=type_identifiant, identifiant=identifiant, statut=StatutStructure.ACTIVE
    ).first()


def services_actifs(structure):
    return Service.objects.filter(structure=structure, actif=True).order_by("code")


def rattachement_en_cours(utilisateur, structure):
    """An attachment or a pending request that makes a new request pointless."""
    return Rattachement.objects.filter(
        utilisateur=utilisateur,
        structure=structure,
        statut__in=[StatutRattachement.ACTIF, StatutRattachement.EN_ATTENTE],
    ).first()


def rattachements_du_compte(utilisateur):
    """Every attachment of a user and every request, with what "Mon compte" shows beside each."""
    return (
        Rattachement.objects.filter(utilisateur=utilisateur)
        .select_related("structure")
        .prefetch_related(Prefetch("services", queryset=Service.objects.order_by("code")))
        .annotate(
            voit_utilisateurs=filtre_visible(utilisateur, Application.ORGANISATION, chemin_structure="structure"),
            gere=filtre_visible(
                utilisateur, Application.ORGANISATION, Niveau.MODIFICATION, chemin_structure="structure"
            ),
        )
        .order_by("structure__raison_sociale", "pk")
    )


# Approvals ("Approbations")


def structures_gerees(utilisateur):
    """The structures where the user may approve: "Organisation – modification" on the whole structure."""
    return structures_visibles(utilisateur, Application.ORGANISATION, Niveau.MODIFICATION)


def rattachements_a_approuver(utilisateur):
    return (
        Rattachement.objects.filter(statut=StatutRattachement.EN_ATTENTE, structure__in=structures_gerees(utilisateur))
        .select_related("utilisateur", "structure")
        .prefetch_related(Prefetch("services", queryset=Service.objects.order_by("code")))
        .order_by("cree_le", "pk")
    )


def demandes_habilitation_a_approuver(utilisateur):
    return (
        DemandeHabilitation.objects.filter(
            statut=StatutRattachement.EN_ATTENTE,
            rattachement__statut=StatutRattachement.ACTIF,
            rattachement__structure__in=structures_gerees(utilisateur),
        )
        .select_related("rattachement__utilisateur", "rattachement__structure")
        .order_by("cree_le", "pk")
    )


def rattachement_gere(utilisateur, pk):
    """A request of a structure the user manages (any status: the service says when it was already handled)."""
    return Rattachement.objects.filter(structure__in=structures_gerees(utilisateur), pk=pk).select_related(
        "utilisateur", "structure"
    )


def demande_habilitation_geree(utilisateur, pk):
    return DemandeHabilitation.objects.filter(
        rattachement__structure__in=structures_gerees(utilisateur), pk=pk
    ).select_related("rattachement__utilisateur", "rattachement__structure")


# Users of a structure


def structures_consultables(utilisateur):
    """Where the user may see the users: "Organisation – consultation" (or modification) on the structure."""
    return structures_visibles(utilisateur, Application.ORGANISATION)


def utilisateurs_de_structure(structure, *, services=(), recherche="", tri=TRI_PAR_DEFAUT):
    """The active attachments of a structure, filtered and sorted; each carries its profiles (prefetched) so that a
    page or an export costs the same number of queries whatever its length."""
    qs = (
        Rattachement.objects.filter(structure=structure, statut=StatutRattachement.ACTIF)
        .select_related("utilisateur")
        .annotate(date_rattachement=Coalesce("traite_le", "cree_le"))
        .prefetch_related(
            Prefetch(
                "habilitations",
                queryset=Habilitation.objects.select_related("service").order_by("application", "service__code"),
            )
        )
    )
    services = list(services)
    if services:
        # "Afficher un utilisateur" by service: the people who work for one of the chosen services, i.e. attached
        # to the whole structure (profiles without a service, or no profile at all), or attached to one of these
        # services, or with a profile on one of them. Someone whose profiles are all on other services is left out.
        limite = Rattachement.services.through.objects.filter(rattachement=OuterRef("pk"))
        profils = Habilitation.objects.filter(rattachement=OuterRef("pk"))
        qs = qs.filter(
            Exists(profils.filter(Q(service__isnull=True) | Q(service__in=services)))
            | Exists(limite.filter(service__in=services))
            | (~Exists(limite) & ~Exists(profils))
        )
    recherche = (recherche or "").strip()
    for mot in recherche.split():
        qs = qs.filter(
            Q(utilisateur__nom__icontains=mot)
            | Q(utilisateur__prenom__icontains=mot)
            | Q(utilisateur__email__icontains=mot)
        )
    return qs.order_by(*TRIS.get(tri, TRIS[TRI_PAR_DEFAUT]))


def rattachement_de_structure(structure, pk):
    return (
        Rattachement.objects.filter(structure=structure, statut=StatutRattachement.ACTIF, pk=pk)
        .select_related("utilisateur", "structure")
        .annotate(date_rattachement=Coalesce("traite_le", "cree_le"))
        .prefetch_related(Prefetch("habilitations", queryset=Habilitation.objects.select_related("service")))
    )


def mon_rattachement(utilisateur, structure):
    return Rattachement.objects.filter(
        utilisateur=utilisateur, structure=structure, statut=StatutRattachement.ACTIF
    ).first()


def mon_rattachement_actif(utilisateur, structure_pk):
    """The user's own active attachment to an active structure (what "Demander un profil" needs)."""
    return Rattachement.objects.filter(
        utilisateur=utilisateur,
        structure_id=structure_pk,
        statut=StatutRattachement.ACTIF,
        structure__statut=StatutStructure.ACTIVE,
    ).select_related("structure")


def demandes_habilitation_de(rattachement):
    return rattachement.demandes_habilitation.order_by("-cree_le", "-pk")


def modifications_de_profils(structure):
    """Pending profile changes of a structure, to show on its users list."""
    return modifications_en_attente(perimetre=f"structure:{structure.pk}").filter(operation="habilitations.remplacer")


def modifications_du_rattachement(rattachement):
    return modifications_en_attente(objet=rattachement)


def profils_resume(rattachement):
    """ "Factures émises – modification, Organisation – consultation (service S1)…" from the prefetched profiles."""
    if rattachement.est_gestionnaire_principal:
        return "Tous les profils"
    lignes = []
    for habilitation in rattachement.habilitations.all():
        ligne = f"{habilitation.get_application_display()} – {habilitation.get_niveau_display()}"
        if habilitation.service_id:
            ligne += f" (service {habilitation.service.code})"
        lignes.append(ligne)
    return ", ".join(lignes) or "Aucun profil"


# Transfer of the gestionnaire principal role


def gestionnaire_principal(structure):
    """The person who holds the structure's gestionnaire principal role (active attachment), or None."""
    rattachement = (
        Rattachement.objects.filter(
            structure=structure, est_gestionnaire_principal=True, statut=StatutRattachement.ACTIF
        )
        .select_related("utilisateur")
        .first()
    )
    return rattachement.utilisateur if rattachement else None


def structures_du_gestionnaire(utilisateur):
    """The active structures whose gestionnaire principal is this user."""
    return Structure.objects.filter(
        statut=StatutStructure.ACTIVE,
        rattachements__utilisateur=utilisateur,
        rattachements__statut=StatutRattachement.ACTIF,
        rattachements__est_gestionnaire_principal=True,
    ).order_by("raison_sociale", "pk")


def cibles_de_transfert(structures, utilisateur):
    """{structure pk: [active attachments of other active users]}, in one query."""
    cibles = {structure.pk: [] for structure in structures}
    rattachements = (
        Rattachement.objects.filter(
            structure__in=list(cibles),
            statut=StatutRattachement.ACTIF,
            utilisateur__is_active=True,
        )
        .exclude(utilisateur=utilisateur)
        .select_related("utilisateur")
        .order_by("utilisateur__nom", "utilisateur__prenom", "pk")
    )
    for rattachement in rattachements:
        cibles[rattachement.structure_id].append(rattachement)
    return cibles
