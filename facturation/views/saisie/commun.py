"""What the web-entry views share: the scoped fetches (404 outside the user's structures) and amount display."""

from facturation.enums import StatutFacture
from facturation.models import Facture
from organisation.enums import Niveau
from organisation.habilitations import objet_visible_ou_404


def brouillon_ou_404(user, pk):
    """A draft of a structure where the user may issue invoices; anyone else's answers 404."""
    brouillons = Facture.objects.emises_visibles(user, Niveau.MODIFICATION).filter(statut=StatutFacture.BROUILLON)
    return objet_visible_ou_404(
        brouillons.select_related(
            "fournisseur",
            "destinataire",
            "service_destinataire",
            "valideur_1",
            "service_valideur_1",
            "coordonnee_bancaire",
        ),
        pk=pk,
    )


def deposee_ou_404(user, pk):
    """A deposited invoice of one of the user's structures (supplier side, consultation)."""
    deposees = Facture.objects.emises_visibles(user, Niveau.CONSULTATION).exclude(statut=StatutFacture.BROUILLON)
    return objet_visible_ou_404(
        deposees.select_related("fournisseur", "destinataire", "service_destinataire", "valideur_1"), pk=pk
    )
