"""Files of the « Factures reçues » space: the invoice (PDF or XML), its attachments, the ticked invoices of a search
in one ZIP, and the search's export."""

from django.contrib import messages
from django.db.models import Case, Q, TextField, Value, When
from django.db.models.functions import Concat, Length
from django.db.models.lookups import GreaterThan
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_POST

from chorus.exceptions import ApplicationError
from exports.colonnes import Colonne, cellule_valideur, choix, sql_jumeau
from exports.genres import Genre
from exports.views import exporter
from facturation.enums import StatutFacture, TypeFacture, arrondir
from facturation.selectors import recues as selecteurs
from facturation.services.telechargement import FORMATS, facture_telecharger
from facturation.views.recues.forms import RechercheForm
from facturation.views.telechargement_groupe import telecharger_selection


def _service_sql(code, libelle):
    return Case(
        When(Q(GreaterThan(Length(code), 0)), then=Concat(code, Value(" – "), libelle, output_field=TextField())),
        default=Value(""),
        output_field=TextField(),
    )


@sql_jumeau(_service_sql)
def _service(code, libelle):
    return f"{code} – {libelle}" if code else ""


COLONNES = [
    Colonne("Numéro de facture", "numero"),
    Colonne("Cadre de facturation", "cadre"),
    Colonne("Type de facture", "type_facture", valeur=choix(TypeFacture)),
    Colonne("Fournisseur", "fournisseur__raison_sociale"),
    Colonne("Identifiant du fournisseur", "fournisseur__identifiant"),
    Colonne("Destinataire", "destinataire__raison_sociale"),
    Colonne("SIRET du destinataire", "destinataire__identifiant"),
    Colonne("Service destinataire", "service_destinataire__code", "service_destinataire__libelle", valeur=_service),
    Colonne("Numéro d'engagement", "numero_engagement"),
    Colonne("Date de facture", "date_facture"),
    Colonne("Date de dépôt", "deposee_le"),
    Colonne("Montant HT", "total_ht", "devise", valeur=arrondir),
    Colonne("Montant TVA", "total_tva", "devise", valeur=arrondir),
    Colonne("Montant TTC", "total_ttc", "devise", valeur=arrondir),
    Colonne("Devise", "devise"),
    Colonne("Statut", "statut", valeur=choix(StatutFacture)),
    Colonne("Date du statut", "statut_depuis"),
    Colonne("Numéro de mandat", "numero_mandat"),
    Colonne("Téléchargée", "telechargee"),
    # tables/messages.csv export_colonne_valideur_1 / _2
    Colonne(
        "Valideur 1 (date de validation)", "valideur_1__raison_sociale", "date_validation_1", valeur=cellule_valideur
    ),
    Colonne(
        "Valideur 2 (date de validation)", "valideur_2__raison_sociale", "date_validation_2", valeur=cellule_valideur
    ),
]


def requete(user, parametres, structure=None):
    """The invoices of the search `parametres` (the page's GET), as the page lists them."""
    form = RechercheForm(parametres or None, user=user)
    criteres, tri = form.criteres()
    return form.filtrer(selecteurs.rechercher(user, criteres, tri))


GENRE = Genre(
    cle="factures_recues",
    libelle="Factures reçues",
    prefixe_fichier="factures-recues",
    colonnes=COLONNES,
    requete=requete,
    page="facturation:recues_rechercher",
)


@require_GET
def export(request, format):
    return exporter(request, GENRE.cle, format)


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
