"""« Pièces à associer à une MOE »: the supplier's works pieces that arrived by flux without their maîtrise d'œuvre
(travaux.services.moe), through the works visibility policy (travaux.selectors.visibilite), as the supplier with
« Factures de travaux – modification »."""

from facturation.enums import StatutFacture
from organisation.enums import Niveau
from travaux.enums import RoleTravaux
from travaux.selectors.visibilite import pieces_visibles


def pieces_a_associer_moe(user):
    """One query whatever the length: the invoice, the dossier and its supplier and MOA are joined."""
    return (
        pieces_visibles(user, Niveau.MODIFICATION, roles=[RoleTravaux.FOURNISSEUR])
        .filter(facture__statut=StatutFacture.A_ASSOCIER_MOE)
        .select_related("dossier__fournisseur", "dossier__moa", "dossier__service_moa")
        .order_by("-facture__deposee_le", "-pk")
    )


def piece_a_associer_moe(user, pk):
    """The piece `pk` of that list, or None (another's, or not waiting for its MOE)."""
    return pieces_a_associer_moe(user).filter(pk=pk).first()
