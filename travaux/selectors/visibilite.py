"""Who sees a works piece or a dossier: the three actors of the dossier (supplier, MOE, MOA), each through its
« Factures de travaux » profile on its structure (the MOE and MOA narrowed to the dossier's service), by the one
policy (organisation.habilitations.filtre_visible). Every works page reads through these querysets."""

from django.db.models import Q

from organisation.enums import Application, Niveau
from organisation.habilitations import filtre_visible, perimetre, peut
from travaux.enums import RoleTravaux
from travaux.models import DossierFacturation, PieceTravaux

CHEMINS = {
    RoleTravaux.FOURNISSEUR: ("fournisseur", None),
    RoleTravaux.MOE: ("moe", "service_moe"),
    RoleTravaux.MOA: ("moa", "service_moa"),
}
# The same parties, as the piece carries them (its columns copied from its dossier, migration 0003): the lists filter
# and sort on the pieces alone, through an index per party.
CLES_DES_PIECES = {
    RoleTravaux.FOURNISSEUR: ("id_fournisseur", None),
    RoleTravaux.MOE: ("id_moe", "id_service_moe"),
    RoleTravaux.MOA: ("id_moa", "id_service_moa"),
}


def _filtre(user, niveau, prefixe="", roles=None):
    filtre = None
    for role, (structure, service) in CHEMINS.items():
        if roles and role not in roles:
            continue
        q = filtre_visible(
            user,
            Application.FACTURES_TRAVAUX,
            niveau,
            chemin_structure=prefixe + structure,
            chemin_service=prefixe + service if service else None,
        )
        filtre = q if filtre is None else filtre | q
    return filtre


def filtres_resolus(user, niveau=Niveau.CONSULTATION, roles=None, prefixe="dossier__"):
    """{role: Q}: the same rule as `pieces_visibles`, resolved first into the user's structure and service ids
    (habilitations.perimetre: one small query, none when the request or the API call already read the profiles).
    The long lists filter with it: the dossiers are then found through the index of the actor's column, where the
    correlated EXISTS over attachments and profiles was planned once per role and probed for every row."""
    visibles = perimetre(user, Application.FACTURES_TRAVAUX, niveau)
    return {
        role: visibles.filtre(prefixe + structure, prefixe + service if service else None)
        for role, (structure, service) in CHEMINS.items()
        if not roles or role in roles
    }


def filtres_des_pieces(user, niveau=Niveau.CONSULTATION, roles=None):
    """{role: Q}: `filtres_resolus` on the parties the piece carries (CLES_DES_PIECES), for the lists of pieces: no
    join to the dossier, and the index of the party column serves the list's order."""
    visibles = perimetre(user, Application.FACTURES_TRAVAUX, niveau)
    return {
        role: visibles.filtre(structure, service)
        for role, (structure, service) in CLES_DES_PIECES.items()
        if not roles or role in roles
    }


def dossiers_visibles(user, niveau=Niveau.CONSULTATION, roles=None):
    """The dossiers where the user acts as one of `roles` (all three by default)."""
    return DossierFacturation.objects.filter(_filtre(user, niveau, roles=roles))


def pieces_visibles(user, niveau=Niveau.CONSULTATION, roles=None):
    """The works pieces of those dossiers, with their invoice (a piece of another dossier is simply absent)."""
    return PieceTravaux.objects.filter(_filtre(user, niveau, "dossier__", roles)).select_related("facture", "dossier")


def dossiers_des_acteurs(user):
    """The dossiers whose files (each piece's PDF and attachments, the dossier's ZIP) the user may download: those
    where he is the supplier, the MOE or the MOA, and those where a piece reached him as its validator (a co- or
    sub-contractor's piece, « Factures à valider ») or as its payer (« Factures reçues »). Whoever acts on a piece
    reads the pieces it rests on; anyone else gets nothing."""
    from facturation.selectors.recues import factures_recues
    from facturation.selectors.validation import factures_visibles

    def par_piece(factures):
        return Q(pk__in=PieceTravaux.objects.filter(facture__in=factures.values("pk")).values("dossier_id"))

    return DossierFacturation.objects.filter(
        _filtre(user, Niveau.CONSULTATION) | par_piece(factures_visibles(user)) | par_piece(factures_recues(user))
    )


def pieces_des_acteurs(user):
    """The pieces of dossiers_des_acteurs, with their invoice."""
    return PieceTravaux.objects.filter(dossier__in=dossiers_des_acteurs(user).values("pk")).select_related(
        "facture", "dossier"
    )


def roles_dans_le_dossier(user, dossier, niveau=Niveau.CONSULTATION):
    """The roles the user holds in `dossier` (a set: one firm may be both supplier and MOE)."""
    roles = set()
    for role, (structure, service) in CHEMINS.items():
        cible = getattr(dossier, structure)
        if cible is not None and peut(
            user, Application.FACTURES_TRAVAUX, niveau, cible, getattr(dossier, service) if service else None
        ):
            roles.add(role)
    return roles
