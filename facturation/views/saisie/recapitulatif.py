"""After the deposit: the recap (« Votre facture n° … a été déposée le … »), the deposited files and the
certificate of deposit. Supplier side: any deposited invoice of the user's structures."""

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from facturation.certificat import certificat_telecharger, reference_certificat
from facturation.forms.saisie import nombre_saisi
from facturation.services.brouillon import nom_de_fichier
from facturation.views.saisie.commun import deposee_ou_404


@require_GET
def recapitulatif(request, pk):
    facture = deposee_ou_404(request.user, pk)
    lignes = list(facture.lignes.all())
    for ligne in lignes:
        ligne.quantite_affichee, ligne.taux_affiche = nombre_saisi(ligne.quantite), nombre_saisi(ligne.taux_tva)
    contexte = {
        "facture": facture,
        "lignes": lignes,
        "pieces_jointes": facture.pieces_jointes.all(),
        "reference_certificat": reference_certificat(facture),
    }
    return render(request, "facturation/saisie/recapitulatif.html", contexte)


def _fichier(fichier, nom):
    if not fichier:
        raise Http404("Fichier introuvable.")
    return FileResponse(fichier.open("rb"), as_attachment=True, filename=nom)


@require_GET
def telecharger_pdf(request, pk):
    facture = deposee_ou_404(request.user, pk)
    return _fichier(facture.fichier_pdf, nom_de_fichier(facture.numero, "pdf"))


@require_GET
def telecharger_xml(request, pk):
    facture = deposee_ou_404(request.user, pk)
    return _fichier(facture.fichier_xml, nom_de_fichier(facture.numero, "xml"))


@require_GET
def certificat(request, pk):
    facture = deposee_ou_404(request.user, pk)
    pdf = certificat_telecharger(facture=facture, par=request.user)
    reponse = HttpResponse(pdf, content_type="application/pdf")
    nom = nom_de_fichier(f"certificat-depot-{facture.numero}", "pdf")
    reponse["Content-Disposition"] = f'attachment; filename="{nom}"'
    return reponse
