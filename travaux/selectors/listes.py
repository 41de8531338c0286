"""Reads of the « Factures de travaux » lists (issue #5, Screens): Synthèse, Rechercher, Tableau de bord (stock).

Every list starts from the one policy for works pieces (travaux.selectors.visibilite): the user sees a piece as
supplier, MOE or MOA of its dossier. The lists read it resolved into ids (`filtres_des_pieces`), and a page is two
queries whatever the table's size (issue #16): its ids in order, from the pieces alone (the role a row is seen through
is a CASE over the same literal ids), then the columns its rows show for those ids (`pour_la_page`). The piece carries
what the lists filter and sort on most (its invoice's status, status date, deposit, its dossier's parties: migration
0003), so that a page reads its rows in order from the index of a party, where it read every piece's invoice to sort
them (79 368 pieces of one MOE at 10 M: 554–656 ms). The one query that joined every party and probed the profiles
by EXISTS per role had about 40 relations: 11 ms of planning before any row was read.
"""

import operator
import re
from datetime import timedelta
from functools import reduce

from django.db import connection
from django.db.models import Case, Count, Q, Value, When
from django.utils import timezone

from chorus import limites
from chorus.chiffres import que_des_chiffres
from chorus.pagination import ParBranches
from facturation.enums import CadreFacturation, StatutFacture
from organisation import habilitations
from organisation.enums import Application
from travaux.enums import RoleTravaux
from travaux.models import PieceTravaux
from travaux.regles import CADRES_TRAVAUX
from travaux.rejets import DEPOSANTS_PAR_COTE, STATUTS_ELIGIBLES
from travaux.selectors.visibilite import CHEMINS, CLES_DES_PIECES, filtres_des_pieces, filtres_resolus, pieces_visibles

ROLES = (RoleTravaux.FOURNISSEUR, RoleTravaux.MOE, RoleTravaux.MOA)


def _rejets_a_traiter(cote):
    """The refused or rejected pieces `cote` deposited (or its sub-contractors and co-contractors), until « Traiter le
    rejet »."""
    return Q(
        role_deposant__in=DEPOSANTS_PAR_COTE[cote],
        statut_facture__in=STATUTS_ELIGIBLES,
        rejet_traite_le__isnull=True,
    )


# What waits for each actor on the Synthèse: the pieces it has to act on, and its own refused or rejected pieces.
EN_ATTENTE = {
    RoleTravaux.MOE: Q(statut_facture__in=[StatutFacture.MISE_A_DISPOSITION_MOE, StatutFacture.PRISE_EN_COMPTE_MOE])
    | _rejets_a_traiter(RoleTravaux.MOE),
    RoleTravaux.MOA: Q(statut_facture=StatutFacture.MISE_A_DISPOSITION_MOA) | _rejets_a_traiter(RoleTravaux.MOA),
    # A_ASSOCIER_MOE: a piece received by flux without its MOE waits for the supplier to name it (services.moe);
    # EN_ATTENTE_RECYCLAGE_FOURNISSEUR: its MOE or MOA asked the supplier to recycle it (services.recyclage)
    RoleTravaux.FOURNISSEUR: Q(
        statut_facture__in=[
            StatutFacture.A_ASSOCIER_FOURNISSEUR,
            StatutFacture.A_ASSOCIER_MOE,
            StatutFacture.EN_ATTENTE_RECYCLAGE_FOURNISSEUR,
        ]
    )
    | _rejets_a_traiter(RoleTravaux.FOURNISSEUR),
}
JOURS_REJET_RECENT = limites.duree("synthese_masquer_rejetees_depuis").days

# The sorts by deposit and by status read the piece's own keys; the rarer others still join the invoice or the dossier.
TRIS = {
    "-depot": ("-deposee_le", "-pk"),
    "depot": ("deposee_le", "pk"),
    "numero": ("facture__numero", "pk"),
    "-numero": ("-facture__numero", "-pk"),
    "dossier": ("dossier__numero", "pk"),
    "-dossier": ("-dossier__numero", "-pk"),
    "cadre": ("facture__cadre", "pk"),
    "-cadre": ("-facture__cadre", "-pk"),
    "statut": ("statut_facture", "pk"),
    "-statut": ("-statut_facture", "-pk"),
    "montant": ("facture__total_ttc", "pk"),
    "-montant": ("-facture__total_ttc", "-pk"),
}
TRI_DEFAUT = "-depot"

_TYPE_DANS_LE_LIBELLE = re.compile(r"^Dépôt par une? .+? d'une? (.+)$")


def type_de_piece(cadre):
    """The piece named by the cadre's label: « Dépôt par une MOE d'un état d'acompte » → « État d'acompte »."""
    libelle = CadreFacturation(cadre).label
    trouve = _TYPE_DANS_LE_LIBELLE.match(libelle)
    texte = trouve.group(1) if trouve else libelle
    return texte[:1].upper() + texte[1:]


def _types_de_piece():
    types = {}
    for cadre in CADRES_TRAVAUX:
        types.setdefault(type_de_piece(cadre), []).append(cadre)
    return types


# « Type de pièce » → its cadres (a type may be deposited by several actors, e.g. a monthly statement).
TYPES_DE_PIECE = _types_de_piece()


def role_annote(filtres, roles):
    """The first role (supplier, MOE, MOA) through which the user sees the row, by the visibility policy resolved
    (`filtres`: visibilite.filtres_des_pieces)."""
    return Case(*(When(filtres[r], then=Value(r.value)) for r in roles), default=Value(""))


def _deposees():
    """The deposited pieces, without their related rows: a list's ids and count read this, and only the page's rows
    are loaded (`pour_la_page`)."""
    return PieceTravaux.objects.exclude(statut_facture=StatutFacture.BROUILLON).only("pk")


def _liste(filtres, roles):
    """The deposited pieces the user sees as one of `roles`."""
    return _deposees().filter(reduce(operator.or_, (filtres[r] for r in roles)))


def _par_role(qs, conditions, en_pages):
    """`qs` narrowed to the pieces that meet one of `conditions` (one per role): a queryset, or, `en_pages`, read page
    by page role by role (chorus.pagination.ParBranches): each role's first rows on the index of its party
    (piece_moe_depot_idx…), where the OR of the three parties fetched and sorted every piece of the actor before the
    first page (a BitmapOr then a sort: 7 598 pieces of the demo MOE at 1 M invoices, ten times more at 10 M). Where
    the database cannot limit the parts of a UNION (SQLite, the embedded default), the roles would be read by a query
    each: the OR stays, at that scale it is the cheaper."""
    if en_pages and len(conditions) > 1 and connection.features.supports_slicing_ordering_in_compound:
        return ParBranches(qs, conditions)
    return qs.filter(reduce(operator.or_, conditions))


# What a row of the lists shows (the API's valideurs_travaux._ligne_travaux, the pages' _tableau.html): read for the
# page's ids only. A column a row shows and that is missing here costs one query per row (the query-count tests).
LIENS_LIGNE = ("facture", "dossier__fournisseur", "dossier__moe", "dossier__moa", "dossier__service_moa")
COLONNES_LIGNE = (
    "role_deposant",
    "facture__numero",
    "facture__cadre",
    "facture__statut",
    "facture__statut_depuis",
    "facture__date_facture",
    "facture__deposee_le",
    "facture__total_ht",
    "facture__total_ttc",
    "facture__devise",
    "facture__telechargee",
    "facture__rejet_traite_le",
    "dossier__numero",
    "dossier__fournisseur__identifiant",
    "dossier__fournisseur__type_identifiant",
    "dossier__fournisseur__raison_sociale",
    "dossier__moe__identifiant",
    "dossier__moe__raison_sociale",
    "dossier__moa__identifiant",
    "dossier__moa__raison_sociale",
    "dossier__service_moa__code",
)


def pour_la_page(lignes):
    """The page's rows (read by a list's ids query, in its order, with their `role`) loaded with what they show, by
    one query on their ids: every relation joined by primary key, whatever the size of the tables."""
    ids = [p.pk for p in lignes]
    if not ids:
        return []
    chargees = PieceTravaux.objects.select_related(*LIENS_LIGNE).only(*COLONNES_LIGNE).order_by().in_bulk(ids)
    page = []
    for ligne in lignes:
        piece = chargees[ligne.pk]
        piece.role = ligne.role
        page.append(piece)
    return page


def pour_liste(qs):
    return qs.select_related(
        "facture__fournisseur",
        "facture__destinataire",
        "facture__valideur_1",
        "facture__valideur_2",
        "dossier__fournisseur",
        "dossier__moe",
        "dossier__moa",
        "dossier__service_moa",
    )


def pieces(user, roles=None):
    """The deposited works pieces the user sees (drafts belong to the deposit pages)."""
    return pieces_visibles(user, roles=roles).exclude(facture__statut=StatutFacture.BROUILLON)


def structures_travaux(user):
    """The structures where the user holds « Factures de travaux » (the structure filter's choices)."""
    return habilitations.structures_visibles(user, Application.FACTURES_TRAVAUX).order_by("raison_sociale", "pk")


def par_structure(qs, structure, roles=ROLES):
    filtre = Q()
    for role in roles:
        filtre |= Q(**{f"dossier__{CHEMINS[role][0]}": structure})
    return qs.filter(filtre)


def par_structure_des_pieces(qs, structure, roles=ROLES):
    """`par_structure` on the parties the piece carries (the lists of `filtres_des_pieces`)."""
    filtre = Q()
    for role in roles:
        filtre |= Q(**{CLES_DES_PIECES[role][0]: structure.pk})
    return qs.filter(filtre)


def synthese(user, *, structure=None, masquer_rejetees=False, masquer_telechargees=False, en_pages=False):
    """The pieces waiting for the user, each role with its own statuses, most recent status change first (ids and
    role only: `pour_la_page` loads the page's rows; `en_pages`: see `_par_role`)."""
    filtres = filtres_des_pieces(user, roles=ROLES)
    qs = _deposees()
    if structure is not None:
        qs = par_structure_des_pieces(qs, structure)
    if masquer_rejetees:
        limite = timezone.now() - timedelta(days=JOURS_REJET_RECENT)
        qs = qs.exclude(statut_facture__in=STATUTS_ELIGIBLES, statut_depuis__lt=limite)
    if masquer_telechargees:
        qs = qs.exclude(telechargee=True)
    qs = qs.annotate(role=role_annote(filtres, ROLES)).order_by("-statut_depuis", "-pk")
    return _par_role(qs, [filtres[role] & EN_ATTENTE[role] for role in ROLES], en_pages)


def _sans_espaces(texte):
    return re.sub(r"\s", "", texte or "")


def rechercher(user, criteres=None, tri=TRI_DEFAUT, *, en_pages=False):
    """The search's criteria (the form's cleaned values; empty ones do not filter) on what the user sees (ids and
    role only: `pour_la_page` loads the page's rows; `en_pages`: see `_par_role`)."""
    c = criteres or {}
    roles = [RoleTravaux(c["role"])] if c.get("role") else list(ROLES)
    filtres = filtres_des_pieces(user, roles=roles)
    qs = _deposees()
    if c.get("structure"):
        qs = par_structure_des_pieces(qs, c["structure"], roles)
    if c.get("type_piece"):
        qs = qs.filter(facture__cadre__in=TYPES_DE_PIECE.get(c["type_piece"], []))
    if c.get("destinataire"):
        texte = c["destinataire"].strip()
        identifiant = _sans_espaces(texte)
        if c.get("recherche_siren") and que_des_chiffres(identifiant):
            # every establishment of the MOA's company
            qs = qs.filter(dossier__moa__identifiant__startswith=identifiant[:9])
        elif que_des_chiffres(identifiant):
            qs = qs.filter(dossier__moa__identifiant=identifiant)
        else:
            qs = qs.filter(dossier__moa__raison_sociale__icontains=texte)
    if c.get("code_service"):
        qs = qs.filter(dossier__service_moa__code__iexact=c["code_service"].strip())
    if c.get("statut"):
        qs = qs.filter(statut_facture=c["statut"])
    if c.get("numero_dossier"):
        qs = qs.filter(dossier__numero__icontains=c["numero_dossier"].strip())
    if c.get("cadre"):
        qs = qs.filter(facture__cadre=c["cadre"])
    if c.get("depot_du"):
        qs = qs.filter(deposee_le__depuis_le=c["depot_du"])
    if c.get("depot_au"):
        qs = qs.filter(deposee_le__jusqu_au=c["depot_au"])
    qs = qs.annotate(role=role_annote(filtres, roles)).order_by(*TRIS.get(tri, TRIS[TRI_DEFAUT]))
    conditions = [filtres[r] for r in roles]
    if c.get("numero_dossier") or c.get("destinataire") or c.get("code_service") or tri.lstrip("-") == "dossier":
        # a criterion or a sort on the dossier: the dossier's own party filter instead (the pieces' copy says the
        # same), in one query, so that the actor's dossiers are found through the index of their party, then their
        # pieces; with the pieces' filter, or role by role, the planner read the dossiers whole to join or sort them
        par_dossier = filtres_resolus(user, roles=roles)
        return _par_role(qs, [par_dossier[r] for r in roles], en_pages=False)
    return _par_role(qs, conditions, en_pages)


def tableau_de_bord(user):
    """[(role, [(statut, libellé, nombre)], total)] for each role the user holds pieces in, statuses in the status
    table's order: the stock of pieces, counted on the index of each party and status (index only: no piece read)."""
    lignes = []
    filtres = filtres_des_pieces(user, roles=ROLES)
    for role in ROLES:
        qs = _liste(filtres, [role])
        comptes = dict(qs.order_by().values_list("statut_facture").annotate(n=Count("*")))
        if comptes:
            statuts = [(code, libelle, comptes[code]) for code, libelle in StatutFacture.choices if code in comptes]
            lignes.append((role, statuts, sum(comptes.values())))
    return lignes
