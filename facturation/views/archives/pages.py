"""« Archives » of « Factures émises » and « Factures reçues » (features row 50): search the invoices closed long ago,
open one read-only and download its PDF or XML. No processing action: an archived invoice is closed for good."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET
from dsfr.forms import DsfrBaseForm

from chorus.exceptions import ApplicationError
from chorus.pagination import page_demandee
from facturation.forms.champs import champ_numero_recherche
from facturation.selectors import archives as selecteurs
from facturation.selectors.consultation import ventilation_tva
from facturation.services.telechargement import FORMATS, facture_telecharger

PAR_PAGE = 20
ESPACES = {"emises": ("Factures émises", "Destinataire"), "recues": ("Factures reçues", "Fournisseur")}


class RechercheArchivesForm(DsfrBaseForm):
    numero = champ_numero_recherche()
    contrepartie = forms.CharField(label="Raison sociale ou identifiant", required=False, max_length=100)
    du = forms.DateField(label="Déposée du", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    au = forms.DateField(label="au", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, contrepartie, **kwargs):
        super().__init__(*args, **kwargs)
        # the DSFR form has already made its bound fields, which keep the label they were made with
        self["contrepartie"].label = self.fields["contrepartie"].label = (
            f"{contrepartie} (raison sociale ou identifiant)"
        )


def _espace(cote):
    espace, contrepartie = ESPACES[cote]
    return {"cote": cote, "espace": espace, "contrepartie": contrepartie}


@require_GET
def rechercher(request, cote):
    contexte = _espace(cote)
    form = RechercheArchivesForm(request.GET or None, contrepartie=contexte["contrepartie"])
    criteres = form.cleaned_data if form.is_valid() else {}
    factures = selecteurs.rechercher(request.user, cote, **{k: v for k, v in criteres.items() if v})
    # the archives grow every year, faster than the live lists: read as a bounded list, never counted unasked
    page = page_demandee(request, factures, PAR_PAGE)
    contexte |= {"form": form, "page_obj": page, "annees_archivage": settings.FACTURES_ARCHIVAGE_ANNEES}
    return render(request, "facturation/archives/rechercher.html", contexte)


@require_GET
def consulter(request, cote, pk):
    facture = selecteurs.archive_ou_404(request.user, cote, pk)
    contexte = _espace(cote) | {"facture": facture, "ventilation": ventilation_tva(facture)}
    return render(request, "facturation/archives/consulter.html", contexte)


@require_GET
def telecharger(request, cote, pk, format):
    if format not in FORMATS:
        raise Http404("Format de téléchargement inconnu.")
    facture = selecteurs.archive_ou_404(request.user, cote, pk)
    try:
        # the download marks only live invoices « téléchargée » (it reads Facture.objects): the archive stays as is
        fichier = facture_telecharger(facture=facture, par=request.user, format=format)
    except ApplicationError as erreur:
        messages.error(request, erreur.message)
        return redirect(f"facturation:{cote}_archives_consulter", pk=facture.pk)
    reponse = HttpResponse(fichier.contenu, content_type=fichier.type_mime)
    reponse["Content-Disposition"] = content_disposition_header(True, fichier.nom)
    return reponse


@require_GET
def piece_jointe(request, cote, pk, piece_pk):
    facture = selecteurs.archive_ou_404(request.user, cote, pk)
    piece = get_object_or_404(facture.pieces_jointes.all(), pk=piece_pk)
    return FileResponse(
        piece.fichier.open("rb"), as_attachment=True, filename=piece.nom, content_type=piece.type_mime or None
    )
