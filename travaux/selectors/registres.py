"""Reads of the last two tabs of « Factures de travaux » (features row 66): « Liste fiscale » and « Archives ».

Liste fiscale: the pieces that went on to the payer. A projet de décompte or an état d'acompte is a step between the
supplier, the MOE and the MOA; what reaches the payer (état d'acompte validé, décompte général signé, décompte
général et définitif tacite, or a piece sent straight to the service financier) is what gets paid, hence what the
structure's accounts and VAT returns follow, period by period.

Archives: the dossiers de facturation that are over: none of their pieces waits for anyone any more (each is
associated to the next, paid, replaced, or refused and its rejection processed). The dossier page and its archive of
pieces stay reachable from there.

Both read through travaux.selectors.visibilite (the one works policy); each page is a fixed number of queries.
"""

from django.db.models import Count, Exists, Max, OuterRef, Q, Sum

from facturation.enums import StatutFacture
from facturation.models import STATUTS_DU_PAYEUR
from travaux.models import PieceTravaux
from travaux.rejets import STATUTS_ELIGIBLES
from travaux.selectors.listes import ROLES, par_structure, pieces, pour_liste, role_annote
from travaux.selectors.visibilite import dossiers_visibles, filtres_resolus

# A piece at one of these statuses waits for nobody.
STATUTS_CLOS = (StatutFacture.ASSOCIEE, StatutFacture.MISE_EN_PAIEMENT, StatutFacture.REMPLACEE_PAR_A22)

TRIS_ARCHIVES = {
    "-clos": ("-clos_le", "-pk"),
    "clos": ("clos_le", "pk"),
    "dossier": ("numero", "pk"),
    "-dossier": ("-numero", "-pk"),
    "marche": ("numero_marche", "pk"),
    "-marche": ("-numero_marche", "-pk"),
}
TRI_ARCHIVES = "-clos"


def liste_fiscale(user, *, role=None, structure=None, du=None, au=None):
    """The pieces at the payer's the user sees (as `role` when given), deposited between `du` and `au`, oldest
    first as in a register."""
    roles = [role] if role else list(ROLES)
    qs = pieces(user, roles=roles).filter(facture__statut__in=STATUTS_DU_PAYEUR)
    if structure is not None:
        qs = par_structure(qs, structure, roles)
    if du:
        qs = qs.filter(facture__deposee_le__depuis_le=du)
    if au:
        qs = qs.filter(facture__deposee_le__jusqu_au=au)
    qs = qs.annotate(role=role_annote(filtres_resolus(user, roles=roles), roles))
    return pour_liste(qs).order_by("facture__deposee_le", "pk")


def totaux(qs):
    """Number of pieces and their HT, TVA, TTC and net amounts, in one query (the list is in euros: works pieces are
    deposited in euros)."""
    return qs.order_by().aggregate(
        nombre=Count("pk"),
        ht=Sum("facture__total_ht"),
        tva=Sum("facture__total_tva"),
        ttc=Sum("facture__total_ttc"),
        net=Sum("facture__net_a_payer"),
    )


def _piece_ouverte():
    traitee = Q(facture__statut__in=STATUTS_ELIGIBLES, facture__rejet_traite_le__isnull=False)
    return PieceTravaux.objects.filter(dossier=OuterRef("pk")).exclude(Q(facture__statut__in=STATUTS_CLOS) | traitee)


def dossiers_archives(user, *, numero="", marche="", du=None, au=None, tri=TRI_ARCHIVES):
    """The closed dossiers the user sees, each with its number of pieces and the date its last piece closed."""
    qs = (
        dossiers_visibles(user)
        .annotate(
            en_cours=Exists(_piece_ouverte()),
            nombre_pieces=Count("pieces", distinct=True),
            clos_le=Max("pieces__facture__statut_depuis"),
        )
        .filter(en_cours=False, nombre_pieces__gt=0)
    )
    if numero:
        qs = qs.filter(numero__icontains=numero.strip())
    if marche:
        qs = qs.filter(numero_marche__icontains=marche.strip())
    if du:
        qs = qs.filter(clos_le__depuis_le=du)
    if au:
        qs = qs.filter(clos_le__jusqu_au=au)
    return qs.select_related("fournisseur", "moe", "moa", "service_moa").order_by(
        *TRIS_ARCHIVES.get(tri, TRIS_ARCHIVES[TRI_ARCHIVES])
    )
