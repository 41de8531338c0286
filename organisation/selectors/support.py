"""Reads of the support agents' screens. The caller has checked that the user is a support agent."""

import re

from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404

from organisation.enums import StatutRattachement, StatutStructure
from organisation.models import Rattachement, Structure, Utilisateur


def _gestionnaire_principal():
    return Prefetch(
        "rattachements",
        queryset=Rattachement.objects.filter(est_gestionnaire_principal=True).select_related("utilisateur"),
        to_attr="gestionnaires_principaux",
    )


def structures_a_valider():
    """Public structures waiting for the support's decision, oldest first, with their gestionnaire principal."""
    return (
        Structure.objects.filter(est_publique=True, statut=StatutStructure.EN_ATTENTE_VALIDATION)
        .prefetch_related(_gestionnaire_principal())
        .order_by("cree_le", "pk")
    )


def structure_a_valider_ou_404(pk):
    return get_object_or_404(structures_a_valider(), pk=pk)


def utilisateurs_rechercher(recherche):
    """Accounts whose e-mail, first name, last name or PIGP login contain every word of `recherche`."""
    mots = (recherche or "").split()
    if not mots:
        return Utilisateur.objects.none()
    utilisateurs = Utilisateur.objects.all()
    for mot in mots:
        utilisateurs = utilisateurs.filter(
            Q(email__icontains=mot) | Q(prenom__icontains=mot) | Q(nom__icontains=mot)
            | Q(compte_pigp__login__icontains=mot)
        )  # fmt: skip
    return utilisateurs.select_related("compte_pigp").order_by("nom", "prenom", "pk")


def utilisateur_ou_404(pk):
    return get_object_or_404(Utilisateur.objects.select_related("compte_pigp"), pk=pk)


def rattachements_de(utilisateur):
    return (
        Rattachement.objects.filter(utilisateur=utilisateur)
        .select_related("structure")
        .order_by("structure__raison_sociale", "pk")
    )


def structure_ou_404(pk):
    return get_object_or_404(Structure.objects.prefetch_related(_gestionnaire_principal()), pk=pk)


def candidats_gestionnaire(structure):
    """Who may receive the gestionnaire principal role: active accounts actively attached to the structure."""
    return (
        Rattachement.objects.filter(
            structure=structure,
            statut=StatutRattachement.ACTIF,
            est_gestionnaire_principal=False,
            utilisateur__is_active=True,
        )
        .select_related("utilisateur")
        .order_by("utilisateur__nom", "utilisateur__prenom", "pk")
    )


def structures_rechercher(recherche):
    """Structures of any status whose identifier or raison sociale contains `recherche`, with their origin."""
    recherche = (recherche or "").strip()
    if not recherche:
        return Structure.objects.none()
    compact = re.sub(r"[\s.\-]", "", recherche)
    return (
        Structure.objects.filter(
            Q(identifiant__icontains=compact or recherche) | Q(raison_sociale__icontains=recherche)
        )
        .select_related("structure_origine")
        .order_by("raison_sociale", "pk")
    )


def structure_par_identifiant(type_identifiant, identifiant):
    """The structure registered with this identifier (spaces and dots ignored), or None."""
    valeur = (identifiant or "").strip()
    compact = re.sub(r"[\s.]", "", valeur)
    return (
        Structure.objects.filter(type_identifiant=type_identifiant)
        .filter(Q(identifiant__iexact=valeur) | Q(identifiant__iexact=compact))
        .first()
    )
