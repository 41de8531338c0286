"""Reads for the structure pages: "Mes structures", the structure page and its sections."""

from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q

from chorus.differe import modifications_en_attente
from organisation.enums import Application, Niveau, StatutRattachement, StatutStructure
from organisation.habilitations import filtre_visible, objet_visible_ou_404, peut
from organisation.models import Habilitation, Rattachement, Structure

SERVICES_PAR_PAGE = 20
STRUCTURES_PAR_PAGE = 20


def _gestionnaire_sur_toute_la_structure():
    return Exists(
        Habilitation.objects.filter(
            rattachement=OuterRef("pk"),
            application=Application.ORGANISATION,
            niveau=Niveau.MODIFICATION,
            service__isnull=True,
        )
    )


def mes_structures(utilisateur):
    """The user's active attachments, with the structure and whether the user manages it (one query)."""
    return (
        Rattachement.objects.filter(utilisateur=utilisateur, statut=StatutRattachement.ACTIF)
        .select_related("structure")
        .annotate(est_gestionnaire=_gestionnaire_sur_toute_la_structure())
        .order_by("structure__raison_sociale", "structure__pk")
    )


def page_de(queryset, numero, par_page):
    return Paginator(queryset, par_page).get_page(numero)


def _en_attente_de_validation_pour(utilisateur):
    # The policy only opens active structures. Read-only exceptions (no service lets anyone write there): the
    # creator of a public structure sees it while the support has not validated it (or after a refusal), and the
    # users of a structure marked as a duplicate see it, to learn which structure to go to.
    return Q(
        statut__in=[StatutStructure.EN_ATTENTE_VALIDATION, StatutStructure.REFUSEE],
        rattachements__utilisateur=utilisateur,
        rattachements__statut=StatutRattachement.ACTIF,
        rattachements__est_gestionnaire_principal=True,
    ) | Q(
        statut=StatutStructure.INACTIVE,
        structure_origine__isnull=False,
        rattachements__utilisateur=utilisateur,
        rattachements__statut=StatutRattachement.ACTIF,
    )


def structure_consultable_ou_404(utilisateur, pk):
    visibles = Structure.objects.filter(
        filtre_visible(utilisateur, Application.ORGANISATION, Niveau.CONSULTATION, chemin_structure="pk")
        | _en_attente_de_validation_pour(utilisateur)
    ).distinct()
    return objet_visible_ou_404(visibles, pk=pk)


def peut_modifier(utilisateur, structure):
    return peut(utilisateur, Application.ORGANISATION, Niveau.MODIFICATION, structure)


def role(utilisateur, structure):
    """The user's attachment to the structure (None for someone who sees it only through a support role)."""
    return (
        Rattachement.objects.filter(utilisateur=utilisateur, structure=structure, statut=StatutRattachement.ACTIF)
        .annotate(est_gestionnaire=_gestionnaire_sur_toute_la_structure())
        .first()
    )


def services(structure):
    return structure.services.order_by("code")


def coordonnees_bancaires(structure):
    return structure.coordonnees_bancaires.order_by("-actif", "titulaire", "pk")


def mandats(structure):
    return structure.mandats.order_by("-actif", "-date_debut", "pk")


def pieces_jointes(structure):
    return structure.pieces_jointes.order_by("nom")


def modifications_en_attente_de(structure):
    return modifications_en_attente(perimetre=f"structure:{structure.pk}")


def service_ou_404(structure, pk):
    return objet_visible_ou_404(structure.services.all(), pk=pk)


def coordonnee_ou_404(structure, pk):
    return objet_visible_ou_404(structure.coordonnees_bancaires.all(), pk=pk)


def mandat_ou_404(structure, pk):
    return objet_visible_ou_404(structure.mandats.all(), pk=pk)


def piece_ou_404(structure, pk):
    return objet_visible_ou_404(structure.pieces_jointes.all(), pk=pk)
