"""The Archives pages of « Factures émises » and « Factures reçues », and the API's DP_ARCHIVE searches: the
invoices services/archivage.py moved out of the live base, each side scoped by the policy as its live list is."""

from django.db.models import Q

from facturation.models import Facture
from facturation.selectors.consultation import facture_detail_ou_404
from organisation.enums import Niveau

COTES = ("emises", "recues")


def _archivees():
    return Facture.tous.filter(archivee=True)


def archives_emises(user, niveau=Niveau.CONSULTATION):
    return _archivees().emises_visibles(user, niveau)


def archives_recues(user, niveau=Niveau.CONSULTATION):
    return _archivees().recues_visibles(user, niveau)


def archives(user, cote):
    return archives_emises(user) if cote == "emises" else archives_recues(user)


def rechercher(user, cote, *, numero="", du=None, au=None, contrepartie=""):
    """`contrepartie` is the other party: the recipient for the supplier, the supplier for the recipient, by name or
    identifier (SIRET…); the period reads the deposit date."""
    qs = archives(user, cote)
    if numero:
        qs = qs.numero_commence_par(numero)
    if du:
        qs = qs.filter(deposee_le__depuis_le=du)
    if au:
        qs = qs.filter(deposee_le__jusqu_au=au)
    if contrepartie:
        autre = "destinataire" if cote == "emises" else "fournisseur"
        qs = qs.filter(
            Q(**{f"{autre}__raison_sociale__icontains": contrepartie})
            | Q(**{f"{autre}__identifiant__icontains": contrepartie})
        )
    return qs.select_related("fournisseur", "destinataire").order_by("-deposee_le", "-pk")


def archive_ou_404(user, cote, pk):
    return facture_detail_ou_404(archives(user, cote), pk)
