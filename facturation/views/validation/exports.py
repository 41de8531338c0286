"""Exports of a « Factures à valider » search, with the same criteria as the page: CSV streamed from `values_list()`
rows, and Excel built in the background (« Mes exports »)."""

from django.views.decorators.http import require_GET

from exports.colonnes import Colonne, choix
from exports.colonnes import cellule_valideur as _valideur
from exports.genres import Genre
from exports.views import exporter
from facturation.enums import StatutFacture, arrondir
from facturation.selectors import validation as selecteurs
from facturation.views.validation.forms import RechercheForm

COLONNES = [
    Colonne("Numéro de facture", "numero"),
    Colonne("Cadre de facturation", "cadre"),
    Colonne("Fournisseur", "fournisseur__raison_sociale"),
    Colonne("SIRET du fournisseur", "fournisseur__identifiant"),
    Colonne("Destinataire", "destinataire__raison_sociale"),
    Colonne("Date de facture", "date_facture"),
    Colonne("Date de dépôt", "deposee_le"),
    Colonne("Montant HT", "total_ht", "devise", valeur=arrondir),
    Colonne("Montant TTC", "total_ttc", "devise", valeur=arrondir),
    Colonne("Devise", "devise"),
    Colonne("Statut", "statut", valeur=choix(StatutFacture)),
    Colonne("Statut depuis le", "statut_depuis"),
    # tables/messages.csv export_colonne_valideur_1 / _2
    Colonne("Valideur 1 (date de validation)", "valideur_1__raison_sociale", "date_validation_1", valeur=_valideur),
    Colonne("Valideur 2 (date de validation)", "valideur_2__raison_sociale", "date_validation_2", valeur=_valideur),
]


def requete(user, parametres, structure=None):
    """The invoices of the search `parametres` (the page's GET), as the page lists them."""
    form = RechercheForm(parametres or None)
    return form.filtrer(selecteurs.rechercher(user, **form.criteres()))


GENRE = Genre(
    cle="factures_a_valider",
    libelle="Factures à valider",
    prefixe_fichier="factures-a-valider",
    colonnes=COLONNES,
    requete=requete,
    page="facturation:validation_recherche",
)


@require_GET
def export_csv(request):
    return exporter(request, GENRE.cle, "csv")


@require_GET
def export_xlsx(request):
    return exporter(request, GENRE.cle, "xlsx")
