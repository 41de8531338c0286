"""Reading one invoice with everything its consult page shows, in a fixed number of queries."""

from django.db.models import Prefetch

from facturation.calcul import calculer
from facturation.models import FactureAction, FactureHistorique
from organisation.habilitations import objet_visible_ou_404


def facture_detail_ou_404(queryset, pk):
    """`queryset` is already scoped by the policy (emises_visibles, recues_visibles…): another's invoice is a 404."""
    queryset = queryset.select_related(
        "fournisseur",
        "destinataire",
        "service_destinataire",
        "service_fournisseur",
        "coordonnee_bancaire",
        "valideur_1",
        "service_valideur_1",
        "valideur_2",
        "service_valideur_2",
        "delegation__delegue",
        "cree_par",
    ).prefetch_related(
        "lignes",
        "ventilations",
        "pieces_jointes",
        Prefetch("historique", queryset=FactureHistorique.objects.select_related("par").order_by("le", "pk")),
        Prefetch("actions", queryset=FactureAction.objects.select_related("par").order_by("le", "pk")),
    )
    return objet_visible_ou_404(queryset, pk=pk)


def ventilation_tva(facture):
    """The VAT breakdown (BG-23) of a deposited invoice as it was deposited (the file's own, or the web form's): its
    stored rows, prefetched by facture_detail_ou_404. An invoice deposited before they were stored has none: its
    breakdown is recomputed from its lines by the web form's calculation."""
    lignes = list(facture.ventilations.all())
    if lignes:
        return lignes
    return calculer(facture.lignes.all(), facture.devise, facture.remise_globale).ventilation
