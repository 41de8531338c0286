"""Reads of the « Factures à valider » space: what a validator structure sees (rows 36, 62–64).

A user sees an invoice through a « Factures à valider » profile on its first validator (titulaire, mandataire or
delegate), with the validator's service when the invoice names one, or on its second validator once the first level
is over. One policy: organisation.habilitations.filtre_visible, so lists, exports and pages agree.
"""

from django.db.models import Case, F, Q, Sum, When

from chorus.pagination import ParBranches, lire_les_lignes, premiers_par_groupe
from facturation.enums import StatutFacture
from facturation.models import CompteurValidation, Facture
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


# A supplier's draft may already name its validator (an A9 saved before « Valider et envoyer »): it is the
# supplier's alone until deposited, as the recipient's lists never show one either (recues.py). The second level needs
# no such check: its condition, the first level over, holds for deposited invoices only.
DEPOSEE = ~Q(statut=StatutFacture.BROUILLON)


def _q_premier(user, niveau):
    return DEPOSEE & filtre_visible(
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
    return DEPOSEE & perimetre.filtre("valideur_1", "service_valideur_1"), second


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


# The structure whose answer an invoice awaits: the second validator at A_VALIDER_2, else the first. The same
# expression on the invoices (their index facture_attente_idx) and on the counters (CompteurValidation names its
# columns as the invoice does).
ATTENTE = Case(When(statut=StatutFacture.A_VALIDER_2, then=F("valideur_2")), default=F("valideur_1"))
EN_ATTENTE = Q(statut=StatutFacture.A_VALIDER_1) | Q(statut=StatutFacture.A_VALIDER_2, date_validation_1__isnull=False)
COMPTEURS_EN_ATTENTE = Q(statut=StatutFacture.A_VALIDER_1) | Q(statut=StatutFacture.A_VALIDER_2, second_ouvert=True)


def a_valider(user):
    """The invoices awaiting a validation the user may see (the Synthèse's, and the API's rechercher/atraiter): a
    UNION of the two levels' ids, each read on its (validator, status) index. For a count or a page, see
    `groupes_en_attente` and `AValider`: this set is read whole."""
    premier, second = (qs.filter(EN_ATTENTE).values("pk") for qs in factures_visibles_par_niveau(user))
    return _avec_liens(Facture.objects.filter(pk__in=premier.union(second)))


def compteurs(user, niveau=Niveau.CONSULTATION):
    """The counter rows (CompteurValidation) whose sum is `factures_visibles(user, niveau)` counted: a row is seen
    under the same condition as its invoices (first level on `valideur_1`, second on `valideur_2` once the first is
    over), so an invoice seen through both its validators is one row, counted once. A few rows read on the counters'
    two indexes, where counting the invoices read every one of the validator's (112 653 at 10 M, issue #16)."""
    perimetre = habilitations.perimetre(user, Application.VALIDATION, niveau)
    second = Q(second_ouvert=True) & perimetre.filtre("valideur_2", "service_valideur_2")
    premier = DEPOSEE & perimetre.filtre("valideur_1", "service_valideur_1")
    return CompteurValidation.objects.filter(premier | second).order_by()


def nombre(user):
    """How many invoices `rechercher(user)` holds, from the counters (the API's unfiltered `total`)."""
    return compteurs(user).aggregate(n=Sum("nombre"))["n"] or 0


def groupes_en_attente(user, structure=None):
    """{(structure awaited, status): how many invoices of `a_valider(user)` wait}, from the counters; `structure`
    keeps the invoices that await that one."""
    qs = compteurs(user).filter(COMPTEURS_EN_ATTENTE).annotate(attente=ATTENTE)
    if structure is not None:
        qs = qs.filter(attente=structure)
    lignes = qs.values_list("attente", "statut").annotate(n=Sum("nombre")).values_list("attente", "statut", "n")
    return {(attente, statut): n for attente, statut, n in lignes if n and attente}


def _en_attente_visibles(user):
    return Facture.objects.filter(_q_valideur_resolu(user), EN_ATTENTE).annotate(attente=ATTENTE)


class AValider:
    """`a_valider(user)` (narrowed to the invoices awaiting `structure`) read page by page for the API's
    rechercher/atraiter/valideur: each (structure awaited, status) group's first rows on facture_attente_idx
    (chorus.pagination.premiers_par_groupe), the page sorted from those few, and the total from the counters. The
    union of the two levels' ids read and sorted every invoice waiting on the validator before the first page
    (18 872 at 10 M, 807 ms). Stands for the queryset where `paginer` reads it (`lire`, and `order_by()` to count)."""

    def __init__(self, user, structure=None, lecture=None):
        self.user, self.structure = user, structure
        self.lecture = lecture if lecture is not None else _avec_liens(Facture.objects.all())
        self.groupes = groupes_en_attente(user, structure)

    def nombre(self):
        return sum(self.groupes.values())

    def order_by(self):
        qs = _en_attente_visibles(self.user)
        return qs.filter(attente=self.structure) if self.structure is not None else qs

    def lire(self, ordre, debut, fin):
        premiers = premiers_par_groupe(
            _en_attente_visibles(self.user), ("attente", "statut"), self.groupes, ordre, fin
        )
        branches = {}
        for groupe, pk in premiers:
            branches.setdefault(groupe, []).append(pk)
        ids = {pk for _groupe, pk in premiers}
        if not ids:
            return [], 0
        lignes = lire_les_lignes(self.lecture, ids, ordre, debut, fin)
        # every group ran out before `fin`: its ids are the whole set
        complet = all(len(branches.get(groupe, ())) < fin for groupe in self.groupes)
        return lignes, (len(ids) if complet else None)


# The Synthèse lists each structure's oldest waiting invoices, not all of them: at national scale one validator
# structure waits on thousands (1 848 for the demo supplier at 1 M invoices: 2.9 s to draw them, issue #16); the
# heading gives how many wait, the search lists the others.
SYNTHESE_PAR_STRUCTURE = 20


def synthese_sections(user):
    """The Synthèse's sections before their invoices: [(structure awaited, how many wait on it)] by name, and the
    counters' groups they come from (`groupes_en_attente`). A large validator waits on hundreds of partners (251 for
    the demo supplier at 10 M invoices): the page shows the sections a page at a time, so that it draws a bounded
    number of invoices (20 per section), where drawing every section's took 800 ms."""
    groupes = groupes_en_attente(user)
    nombres = {}
    for (attente, _statut), n in groupes.items():
        nombres[attente] = nombres.get(attente, 0) + n
    structures = Structure.objects.filter(pk__in=nombres).only("pk", "raison_sociale", "identifiant")
    sections = sorted(structures, key=lambda structure: (structure.raison_sociale, structure.pk))
    return [(structure, nombres[structure.pk]) for structure in sections], groupes


def synthese(user, sections=None, groupes=None):
    """The invoices awaiting a validation the user may see, grouped by the structure that has to answer:
    [(structure, [its SYNTHESE_PAR_STRUCTURE oldest…], how many wait on it)], by the structure's name, for `sections`
    (a page of `synthese_sections(user)`, with its `groupes`; all of them when not given). The 15-day clock runs from
    `statut_depuis`. Queries none proportional to the waiting invoices: the counts per structure and status from the
    counters, the sections' structures; each group's oldest ids, a LIMITed read of facture_attente_idx per group
    (chorus.pagination.premiers_par_groupe), where ranking every waiting invoice took 803 ms at 10 M; the shown
    invoices with their related rows."""
    if sections is None:
        sections, groupes = synthese_sections(user)
    montrees = {structure.pk for structure, _n in sections}
    groupes = {groupe: n for groupe, n in groupes.items() if groupe[0] in montrees}
    ordre = ("statut_depuis", "pk")
    premiers = premiers_par_groupe(
        _en_attente_visibles(user), ("attente", "statut"), groupes, ordre, SYNTHESE_PAR_STRUCTURE
    )
    par_structure = {}
    for facture in _avec_liens(Facture.objects.filter(pk__in=[pk for _g, pk in premiers])).order_by(*ordre):
        factures = par_structure.setdefault(structure_en_attente(facture).pk, [])
        if len(factures) < SYNTHESE_PAR_STRUCTURE:  # a structure's two statuses each gave their oldest
            factures.append(facture)
    return [(structure, par_structure.get(structure.pk, []), nombre) for structure, nombre in sections]


def _q_valideur_resolu(user, niveau=Niveau.CONSULTATION):
    """_q_valideur over the ids of the user's validator structures (one small query first): the list then reads the
    two validator indexes (a BitmapOr) instead of probing the profiles for every invoice of the table (issue #16)."""
    perimetre = habilitations.perimetre(user, Application.VALIDATION, niveau)
    second = perimetre.filtre("valideur_2", "service_valideur_2")
    premier = DEPOSEE & perimetre.filtre("valideur_1", "service_valideur_1")
    return premier | (Q(date_validation_1__isnull=False) & second)


def rechercher(user, **criteres):
    """The user's « Factures à valider » that meet `criteres` (numero, fournisseur, statut, cadre, du, au, tri)."""
    return _criteres(_avec_liens(Facture.objects.filter(_q_valideur_resolu(user))), **criteres)


def rechercher_en_pages(user, filtrer=None, **criteres):
    """`rechercher(user, **criteres)`, narrowed by `filtrer` (the form's or the API's other filters), read page by
    page level by level (chorus.pagination.ParBranches): each level's first rows on its own index
    (facture_val1_depot_idx, facture_val2_depot_idx for the default sort), where the OR of the two levels fetched and
    sorted every invoice of the validator before the first page (113 000 for a large validator at 10 M). The
    criteria are set apart from the levels: the two together made PostgreSQL count a level's condition twice and
    misjudge its rows a hundredfold."""
    base = _criteres(_avec_liens(Facture.objects.all()), **criteres)
    return ParBranches(filtrer(base) if filtrer else base, conditions_par_niveau(user))


def _criteres(qs, *, numero="", fournisseur="", statut="", cadre="", du=None, au=None, tri=TRI_DEFAUT):
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
    """[(statut, libellé, nombre)]: the fixed statuses first, then any other status the invoices have. Summed from
    the counters (`compteurs`): counting the validator's invoices read 112 653 rows at 10 M (248 ms, issue #16)."""
    lignes = compteurs(user).values_list("statut").annotate(n=Sum("nombre")).values_list("statut", "n")
    comptes = {statut: n for statut, n in lignes if n}
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
