"""Reads of the « Factures à valider » space: what a validator structure sees (rows 36, 62–64).

A user sees an invoice through a « Factures à valider » profile on its first validator (titulaire, mandataire or
delegate), with the validator's service when the invoice names one, or on its second validator once the first level
is over. One policy: organisation.habilitations.filtre_visible, so lists, exports and pages agree.
"""

from django.db.models import Case, Count, F, Q, When, Window
from django.db.models.functions import RowNumber

from facturation.enums import StatutFacture
from facturation.models import Facture
from facturation.selectors import consultation
from facturation.workflow import FACTURE_WORKFLOW, statuts_cibles
from organisation import habilitations
from organisation.enums import Application, Niveau
from organisation.habilitations import filtre_visible, objet_visible_ou_404
from organisation.models import Structure
from organisation.selectors.structures import ids_des_structures

A_VALIDER = (StatutFacture.A_VALIDER_1, StatutFacture.A_VALIDER_2)

TRIS = {
    "-depot": ("-deposee_le", "-pk"),
    "depot": ("deposee_le", "pk"),
    "numero": ("numero", "pk"),
    "-numero": ("-numero", "-pk"),
    "fournisseur": ("fournisseur__raison_sociale", "pk"),
    "-fournisseur": ("-fournisseur__raison_sociale", "-pk"),
    "-montant": ("-total_ttc", "-pk"),
    "montant": ("total_ttc", "pk"),
    "statut_depuis": ("statut_depuis", "pk"),
}
TRI_DEFAUT = "-depot"

# Always on the dashboard, even at zero: the validators' own statuses and the recipient's payment (S0 §1.4.3).
STATUTS_TABLEAU_DE_BORD = [
    StatutFacture.A_VALIDER_1,
    StatutFacture.A_VALIDER_2,
    StatutFacture.REFUSEE_1,
    StatutFacture.REFUSEE_2,
    StatutFacture.MISE_A_DISPOSITION,
    StatutFacture.MISE_EN_PAIEMENT,
]


def _q_premier(user, niveau):
    return filtre_visible(
        user, Application.VALIDATION, niveau, chemin_structure="valideur_1", chemin_service="service_valideur_1"
    )


def _q_second(user, niveau):
    # The second validator comes in once the first level is over (validated, even tacitly).
    return Q(date_validation_1__isnull=False) & filtre_visible(
        user, Application.VALIDATION, niveau, chemin_structure="valideur_2", chemin_service="service_valideur_2"
    )


def _q_valideur(user, niveau):
    return _q_premier(user, niveau) | _q_second(user, niveau)


def factures_visibles(user, niveau=Niveau.CONSULTATION):
    return Facture.objects.filter(_q_valideur(user, niveau))


def factures_visibles_par_niveau(user, niveau=Niveau.CONSULTATION):
    """factures_visibles as two querysets, the first level's and the second's: each is one semi-join on its
    validator column (facture_valideur_1_idx, facture_valideur_2_idx), where their OR makes the database read every
    invoice; a UNION of their ids is the same set. The user's validator structures are read first (one small
    query): literal ids, where a correlated EXISTS over the profiles made the planner read the table (issue #16)."""
    return tuple(Facture.objects.filter(condition) for condition in conditions_par_niveau(user, niveau))


def conditions_par_niveau(user, niveau=Niveau.CONSULTATION):
    """The conditions on the invoice's own columns of `factures_visibles_par_niveau`, first level then second."""
    perimetre = habilitations.perimetre(user, Application.VALIDATION, niveau)
    second = Q(date_validation_1__isnull=False) & perimetre.filtre("valideur_2", "service_valideur_2")
    return perimetre.filtre("valideur_1", "service_valideur_1"), second


def _avec_liens(qs):
    return qs.select_related(
        "fournisseur", "destinataire", "service_destinataire", "valideur_1", "valideur_2", "delegation"
    )


def facture_ou_404(user, pk):
    """The invoice for an action: visible through the user's « Factures à valider » profiles, else 404."""
    return objet_visible_ou_404(_avec_liens(factures_visibles(user)), pk=pk)


def facture_detail_ou_404(user, pk):
    """The invoice with every block of its consult page (lines, attachments, history), in a fixed number of
    queries."""
    return consultation.facture_detail_ou_404(factures_visibles(user), pk)


def structures_validatrices(user):
    """The structures the user validates for (its « Factures à valider » profiles), by name."""
    return habilitations.structures_visibles(user, Application.VALIDATION).order_by("raison_sociale", "pk")


def structure_en_attente(facture):
    """The structure whose validation the invoice awaits now."""
    return facture.valideur_2 if facture.statut == StatutFacture.A_VALIDER_2 else facture.valideur_1


def a_valider(user):
    """The invoices awaiting a validation the user may see (the Synthèse's, and the API's rechercher/atraiter): a
    UNION of the two levels' ids, each read on its (validator, status) index."""
    en_attente = Q(statut=StatutFacture.A_VALIDER_1) | Q(
        statut=StatutFacture.A_VALIDER_2, date_validation_1__isnull=False
    )
    premier, second = (qs.filter(en_attente).values("pk") for qs in factures_visibles_par_niveau(user))
    return _avec_liens(Facture.objects.filter(pk__in=premier.union(second)))


# The Synthèse lists each structure's oldest waiting invoices, not all of them: at national scale one validator
# structure waits on thousands (1 848 for the demo supplier at 1 M invoices: 2.9 s to draw them, issue #16); the
# heading gives how many wait, the search lists the others.
SYNTHESE_PAR_STRUCTURE = 20


def synthese(user):
    """The invoices awaiting a validation the user may see, grouped by the structure that has to answer:
    [(structure, [its SYNTHESE_PAR_STRUCTURE oldest…], how many wait on it)], oldest first (the 15-day clock runs
    from `statut_depuis`). Two queries: each structure's ranks and count, window functions over the awaiting ids
    (narrow rows), then the shown invoices with their related rows (joined for every awaiting invoice, the related
    rows made the ranking four times slower)."""
    attente = Case(When(statut=StatutFacture.A_VALIDER_2, then=F("valideur_2_id")), default=F("valideur_1_id"))
    nombres = dict(
        a_valider(user)
        .select_related(None)
        .annotate(
            rang=Window(RowNumber(), partition_by=[attente], order_by=[F("statut_depuis").asc(), F("pk").asc()]),
            nombre=Window(Count("pk"), partition_by=[attente]),
        )
        .filter(rang__lte=SYNTHESE_PAR_STRUCTURE)
        .values_list("pk", "nombre")
    )
    groupes = {}
    for facture in _avec_liens(Facture.objects.filter(pk__in=nombres)).order_by("statut_depuis", "pk"):
        structure = structure_en_attente(facture)
        groupes.setdefault(structure.pk, (structure, [], nombres[facture.pk]))[1].append(facture)
    return sorted(groupes.values(), key=lambda groupe: (groupe[0].raison_sociale, groupe[0].pk))


def _q_valideur_resolu(user, niveau=Niveau.CONSULTATION):
    """_q_valideur over the ids of the user's validator structures (one small query first): the list then reads the
    two validator indexes (a BitmapOr) instead of probing the profiles for every invoice of the table (issue #16)."""
    perimetre = habilitations.perimetre(user, Application.VALIDATION, niveau)
    second = perimetre.filtre("valideur_2", "service_valideur_2")
    return perimetre.filtre("valideur_1", "service_valideur_1") | (Q(date_validation_1__isnull=False) & second)


def rechercher(user, *, numero="", fournisseur="", statut="", cadre="", du=None, au=None, tri=TRI_DEFAUT):
    qs = _avec_liens(Facture.objects.filter(_q_valideur_resolu(user)))
    if numero:
        qs = qs.numero_commence_par(numero)
    if fournisseur:
        # the matching suppliers first, then their invoices by id (as in « Factures reçues »)
        fournisseurs = Structure.objects.filter(Q(raison_sociale__icontains=fournisseur) | Q(identifiant=fournisseur))
        qs = qs.filter(fournisseur_id__in=ids_des_structures(fournisseurs))
    if statut:
        qs = qs.filter(statut=statut)
    if cadre:
        qs = qs.filter(cadre=cadre)
    if du:
        qs = qs.filter(deposee_le__depuis_le=du)
    if au:
        qs = qs.filter(deposee_le__jusqu_au=au)
    return qs.order_by(*TRIS.get(tri, TRIS[TRI_DEFAUT]))


def tableau_de_bord(user):
    """[(statut, libellé, nombre)]: the fixed statuses first, then any other status the invoices have. Counted over
    the ids of the user's validator structures (the two validator indexes), not through the profiles row by row: that
    read every invoice of the table (5.2 s at 1 M invoices, issue #16)."""
    comptes = dict(
        Facture.objects.filter(_q_valideur_resolu(user))
        .order_by()
        .values_list("statut")
        .annotate(n=Count("pk"))
        .values_list("statut", "n")
    )
    statuts = STATUTS_TABLEAU_DE_BORD + sorted(
        (s for s in comptes if s not in STATUTS_TABLEAU_DE_BORD), key=lambda s: StatutFacture(s).label
    )
    return [(statut, StatutFacture(statut).label, comptes.get(statut, 0)) for statut in statuts]


def actions_possibles(facture, user):
    """What the page offers `user` on this invoice, from the one status table."""
    cibles = {t.cible for t in FACTURE_WORKFLOW.possibles(facture, user)}
    return {
        "valider": bool(cibles & {StatutFacture.VALIDEE_1, StatutFacture.VALIDEE_2}),
        "refuser": bool(cibles & {StatutFacture.REFUSEE_1, StatutFacture.REFUSEE_2}),
        # the delegate's « droit de traitement » (mise en paiement, recyclage, suspension, rejet)
        "traiter": statuts_cibles(facture, user),
    }
