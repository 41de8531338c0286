"""Reads for the structure pages: "Mes structures", the structure page and its sections."""

from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef

from chorus.differe import modifications_en_attente
from organisation.enums import Application, Niveau, StatutRattachement
from organisation.habilitations import objet_visible_ou_404, peut, structures_consultables
from organisation.models import Habilitation, Rattachement

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


def structure_consultable_ou_404(utilisateur, pk):
    return objet_visible_ou_404(structures_consultables(utilisateur), pk=pk)


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


# Above this many structures, a name is too common for its ids to help the planner: the subquery is kept.
IDS_MAX = 1_000


def ids_des_structures(structures):
    """The ids of `structures` (a name search), as a list when they are few, for an invoice filter `…_id__in`.

    Read first (one small query, served by the name's trigram index on PostgreSQL), the ids let the planner see
    which structures the invoices belong to and how many invoices each has: a large supplier's invoices are read in
    the list's order until the page is full, a small one's by its own index. Behind a subquery, the planner knew
    neither and read every matching supplier's invoices before sorting them (issue #16)."""
    ids = list(structures.order_by().values_list("pk", flat=True)[: IDS_MAX + 1])
    return ids if len(ids) <= IDS_MAX else structures.values("pk")
