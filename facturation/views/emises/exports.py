"""Export of a « Factures émises » search (row 45), with the page's criteria: CSV streamed from `values_list()` rows,
or Excel built in the background (« Mes exports »); and the ticked invoices of the search in one ZIP (row 49)."""

from django.views.decorators.http import require_GET, require_POST

from exports.colonnes import Colonne, choix, ou_vide
from exports.genres import Genre
from exports.views import exporter
from facturation.enums import ModeDepot, StatutFacture, TypeFacture, arrondir
from facturation.selectors import emises as selecteurs
from facturation.views.emises.forms import RechercheForm
from facturation.views.telechargement_groupe import telecharger_selection

COLONNES = [
    Colonne("Numéro de facture", "numero"),
    Colonne("Date de facture", "date_facture"),
    Colonne("Date de dépôt", "deposee_le"),
    Colonne("Destinataire", "destinataire__raison_sociale"),
    Colonne("SIRET du destinataire", "destinataire__identifiant"),
    Colonne("Code service", "service_destinataire__code", valeur=ou_vide),
    Colonne("Numéro d'engagement", "numero_engagement"),
    Colonne("Cadre de facturation", "cadre"),
    Colonne("Type de facture", "type_facture", valeur=choix(TypeFacture)),
    Colonne("Mode de dépôt", "mode_depot", valeur=choix(ModeDepot)),
    Colonne("Montant HT", "total_ht", "devise", valeur=arrondir),
    Colonne("Montant TTC", "total_ttc", "devise", valeur=arrondir),
    Colonne("Devise", "devise"),
    Colonne("Statut", "statut", valeur=choix(StatutFacture)),
    Colonne("Statut depuis le", "statut_depuis"),
    Colonne("Motif", "motif_statut", valeur=ou_vide),
    Colonne("Commentaire", "commentaire_statut", valeur=ou_vide),
    Colonne("Rejet traité le", "rejet_traite_le"),
]


def requete(user, parametres, structure=None):
    """The invoices of the search `parametres` (the page's GET), as the page lists them."""
    form = RechercheForm(parametres or None)
    criteres, tri = form.criteres()
    return form.filtrer(selecteurs.rechercher(user, criteres, tri))


GENRE = Genre(
    cle="factures_emises",
    libelle="Factures émises",
    prefixe_fichier="factures-emises",
    colonnes=COLONNES,
    requete=requete,
    page="facturation:emises_rechercher",
)


@require_GET
def export(request):
    return exporter(request, GENRE.cle, request.GET.get("format") or "csv")


@require_POST
def selection(request):
    return telecharger_selection(
        request,
        selecteurs.factures_emises(request.user),
        retour="facturation:emises_rechercher",
        prefixe="factures-emises",
    )
