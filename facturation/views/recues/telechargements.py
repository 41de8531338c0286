"""Files of the « Factures reçues » space: the invoice (PDF or XML), its attachments, the ticked invoices of a search
in one ZIP, and the search's export."""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_POST

from chorus.exceptions import ApplicationError
from facturation import exports
from facturation.enums import arrondir
from facturation.selectors import recues as selecteurs
from facturation.services.telechargement import FORMATS, facture_telecharger
from facturation.views.recues.pages import recherche
from facturation.views.telechargement_groupe import telecharger_selection


def _service(facture):
    service = facture.service_destinataire
    return f"{service.code} – {service.libelle}" if service else ""


COLONNES = [
    ("Numéro de facture", lambda f: f.numero),
    ("Cadre de facturation", lambda f: f.cadre),
    ("Type de facture", lambda f: f.get_type_facture_display()),
    ("Fournisseur", lambda f: f.fournisseur.raison_sociale),
    ("Identifiant du fournisseur", lambda f: f.fournisseur.identifiant),
    ("Destinataire", lambda f: f.destinataire.raison_sociale),
    ("SIRET du destinataire", lambda f: f.destinataire.identifiant),
    ("Service destinataire", _service),
    ("Numéro d'engagement", lambda f: f.numero_engagement),
    ("Date de facture", lambda f: f.date_facture),
    ("Date de dépôt", lambda f: f.deposee_le),
    ("Montant HT", lambda f: arrondir(f.total_ht, f.devise)),
    ("Montant TVA", lambda f: arrondir(f.total_tva, f.devise)),
    ("Montant TTC", lambda f: arrondir(f.total_ttc, f.devise)),
    ("Devise", lambda f: f.devise),
    ("Statut", lambda f: f.get_statut_display()),
    ("Date du statut", lambda f: f.statut_depuis),
    ("Numéro de mandat", lambda f: f.numero_mandat),
    ("Téléchargée", lambda f: f.telechargee),
    # tables/messages.csv export_colonne_valideur_1 / _2
    ("Valideur 1 (date de validation)", lambda f: exports.valideur_avec_date(f.valideur_1, f.date_validation_1)),
    ("Valideur 2 (date de validation)", lambda f: exports.valideur_avec_date(f.valideur_2, f.date_validation_2)),
]


@require_GET
def export(request, format):
    if format not in exports.FORMATS:
        raise Http404("Format d'export inconnu.")
    _form, factures, _tri = recherche(request)
    nom = f"factures-recues-{timezone.localdate():%Y%m%d}"
    return exports.export_reponse(format, COLONNES, factures.iterator(chunk_size=500), nom, "Factures reçues")


@require_GET
def telecharger(request, pk, format):
    if format not in FORMATS:
        raise Http404("Format de téléchargement inconnu.")
    facture = selecteurs.facture_recue_a_telecharger_ou_404(request.user, pk)
    try:
        fichier = facture_telecharger(facture=facture, par=request.user, format=format)
    except ApplicationError as erreur:
        messages.error(request, erreur.message)
        return redirect("facturation:recues_consulter", pk=facture.pk)
    reponse = HttpResponse(fichier.contenu, content_type=fichier.type_mime)
    reponse["Content-Disposition"] = content_disposition_header(True, fichier.nom)
    return reponse


@require_POST
def selection(request):
    return telecharger_selection(
        request,
        selecteurs.factures_recues(request.user),
        retour="facturation:recues_rechercher",
        prefixe="factures-recues",
    )


@require_GET
def piece_jointe(request, pk, piece_pk):
    facture = selecteurs.facture_recue_a_telecharger_ou_404(request.user, pk)
    piece = get_object_or_404(facture.pieces_jointes.all(), pk=piece_pk)
    return FileResponse(
        piece.fichier.open("rb"), as_attachment=True, filename=piece.nom, content_type=piece.type_mime or None
    )
