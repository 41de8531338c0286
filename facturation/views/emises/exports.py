"""Export of a « Factures émises » search (row 45), with the page's criteria: CSV streamed, or Excel; and the ticked
invoices of the search in one ZIP (row 49)."""

from django.http import Http404
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from facturation import exports
from facturation.enums import arrondir
from facturation.selectors import emises as selecteurs
from facturation.views.emises.pages import recherche_criteres
from facturation.views.telechargement_groupe import telecharger_selection

COLONNES = [
    ("Numéro de facture", lambda f: f.numero),
    ("Date de facture", lambda f: f.date_facture),
    ("Date de dépôt", lambda f: f.deposee_le),
    ("Destinataire", lambda f: f.destinataire.raison_sociale),
    ("SIRET du destinataire", lambda f: f.destinataire.identifiant),
    ("Code service", lambda f: f.service_destinataire.code if f.service_destinataire else ""),
    ("Numéro d'engagement", lambda f: f.numero_engagement),
    ("Cadre de facturation", lambda f: f.cadre),
    ("Type de facture", lambda f: f.get_type_facture_display()),
    ("Mode de dépôt", lambda f: f.get_mode_depot_display()),
    ("Montant HT", lambda f: arrondir(f.total_ht, f.devise)),
    ("Montant TTC", lambda f: arrondir(f.total_ttc, f.devise)),
    ("Devise", lambda f: f.devise),
    ("Statut", lambda f: f.get_statut_display()),
    ("Statut depuis le", lambda f: f.statut_depuis),
    ("Motif", lambda f: f.motif_statut or ""),
    ("Commentaire", lambda f: f.commentaire_statut or ""),
    ("Rejet traité le", lambda f: f.rejet_traite_le),
]


@require_GET
def export(request):
    format_ = request.GET.get("format") or "csv"
    if format_ not in exports.FORMATS:
        raise Http404("Format d'export inconnu.")
    form, criteres, tri = recherche_criteres(request)
    factures = form.filtrer(selecteurs.rechercher(request.user, criteres, tri)).iterator(chunk_size=500)
    nom = f"factures-emises-{timezone.localdate():%Y%m%d}"
    return exports.export_reponse(format_, COLONNES, factures, nom, "Factures émises")


@require_POST
def selection(request):
    return telecharger_selection(
        request,
        selecteurs.factures_emises(request.user),
        retour="facturation:emises_rechercher",
        prefixe="factures-emises",
    )
