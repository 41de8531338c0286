"""Exports of a « Factures à valider » search, with the same criteria as the page (CSV streamed, and Excel)."""

from django.utils import timezone
from django.views.decorators.http import require_GET

from facturation import exports
from facturation.enums import arrondir
from facturation.selectors import validation as selecteurs
from facturation.views.validation.pages import recherche_criteres

COLONNES = [
    ("Numéro de facture", lambda f: f.numero),
    ("Cadre de facturation", lambda f: f.cadre),
    ("Fournisseur", lambda f: f.fournisseur.raison_sociale),
    ("SIRET du fournisseur", lambda f: f.fournisseur.identifiant),
    ("Destinataire", lambda f: f.destinataire.raison_sociale),
    ("Date de facture", lambda f: f.date_facture),
    ("Date de dépôt", lambda f: f.deposee_le),
    ("Montant HT", lambda f: arrondir(f.total_ht, f.devise)),
    ("Montant TTC", lambda f: arrondir(f.total_ttc, f.devise)),
    ("Devise", lambda f: f.devise),
    ("Statut", lambda f: f.get_statut_display()),
    ("Statut depuis le", lambda f: f.statut_depuis),
    # tables/messages.csv export_colonne_valideur_1 / _2
    ("Valideur 1 (date de validation)", lambda f: exports.valideur_avec_date(f.valideur_1, f.date_validation_1)),
    ("Valideur 2 (date de validation)", lambda f: exports.valideur_avec_date(f.valideur_2, f.date_validation_2)),
]


def _export(request, format_):
    form, criteres = recherche_criteres(request)
    factures = form.filtrer(selecteurs.rechercher(request.user, **criteres)).iterator(chunk_size=500)
    nom = f"factures-a-valider-{timezone.localdate():%Y%m%d}"
    return exports.export_reponse(format_, COLONNES, factures, nom, "Factures à valider")


@require_GET
def export_csv(request):
    return _export(request, "csv")


@require_GET
def export_xlsx(request):
    return _export(request, "xlsx")
