"""« Déposer une facture » : le fichier est contrôlé tout de suite et chaque erreur est montrée, entière."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_http_methods

from facturation.enums import StatutFacture
from facturation.services.televersement import FORMAT_AUTOMATIQUE, TeleversementRefuse, facture_televerser
from facturation.views.televersement import rapport
from facturation.views.televersement.forms import DepotFichierForm


def _suite(facture):
    """La page suivante : la saisie d'un brouillon, le récapitulatif d'une facture déposée."""
    nom = (
        "facturation:saisie_brouillon"
        if facture.statut == StatutFacture.BROUILLON
        else "facturation:saisie_recapitulatif"
    )
    try:
        return reverse(nom, args=[facture.pk])
    except NoReverseMatch:
        return None


@require_http_methods(["GET", "POST"])
def depot_fichier(request):
    form = DepotFichierForm(request.POST or None, request.FILES or None, user=request.user)
    refus = None
    if request.method == "POST" and form.is_valid():
        donnees = form.cleaned_data
        try:
            facture = facture_televerser(
                par=request.user,
                fournisseur=donnees["fournisseur"],
                fichier=donnees["fichier"],
                format_choisi=donnees["format_depot"] or FORMAT_AUTOMATIQUE,
                signature=donnees.get("signature"),
                pieces_jointes=donnees.get("pieces_jointes") or [],
                siret_destinataire=donnees.get("siret_destinataire") or "",
            )
        except TeleversementRefuse as exc:
            refus = exc
            rapport.memoriser(
                request, refus=exc, fournisseur=donnees["fournisseur"], nom_fichier=donnees["fichier"].name
            )
            if any(erreur.champ == "siret_destinataire" for erreur in exc.erreurs):
                # a plain PDF whose recipient could not be read: the field is no longer optional
                form.exiger_siret_destinataire()
        else:
            rapport.oublier(request)
            if facture.statut == StatutFacture.BROUILLON:
                messages.success(
                    request, "Le PDF est enregistré en brouillon : vérifiez et complétez les données lues."
                )
            else:
                messages.success(request, f"La facture {facture.numero} est déposée.")
            suite = _suite(facture)
            if suite:
                return redirect(suite)
            return render(request, "facturation/televersement/depose.html", {"facture": facture})
    contexte = {"form": form, "refus": refus, "couches": refus.par_couche() if refus else []}
    return render(request, "facturation/televersement/depot_fichier.html", contexte)
