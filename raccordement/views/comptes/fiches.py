"""« Fiches de raccordement » of a structure (chorus-pro-features.md rows 89–90): the list, creation, and the fiche's
page with its certificate (upload, replace), « Passer en production » and « Désactiver »."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chorus.exceptions import ApplicationError, erreur_dans_le_formulaire
from raccordement.certificats import empreinte_lisible
from raccordement.enums import EnvironnementRaccordement, TypeRaccordement
from raccordement.forms import CertificatForm, FicheForm, FiltreFichesForm
from raccordement.selectors import comptes as selecteurs
from raccordement.selectors.comptes import EtatFiche
from raccordement.services.fiches import (
    FORMATS_EMIS,
    FORMATS_RECUS,
    fiche_certificat_deposer,
    fiche_creer,
    fiche_desactiver,
    fiche_passer_en_production,
    libelles_formats,
)
from raccordement.views.comptes.commun import (
    PAR_PAGE,
    contexte,
    parametres_sans,
    structure_lue,
    structure_modifiable,
)


def _decorer(fiche):
    fiche.etat_libelle = EtatFiche(fiche.etat).label
    fiche.libelles_emis = libelles_formats(fiche.formats_emis, FORMATS_EMIS)
    fiche.libelles_recus = libelles_formats(fiche.formats_recus, FORMATS_RECUS)
    return fiche


@require_GET
def liste(request, structure_pk):
    structure, modifiable = structure_lue(request, structure_pk)
    filtre = FiltreFichesForm(request.GET or None)
    criteres = filtre.cleaned_data if filtre.is_valid() else {}
    qs = filtre.filtrer(
        selecteurs.fiches_de(
            structure, type_raccordement=criteres.get("type_raccordement", ""), etat=criteres.get("etat", "")
        )
    )
    page = Paginator(qs, PAR_PAGE).get_page(request.GET.get("page"))
    for fiche in page.object_list:
        _decorer(fiche)
    return render(
        request,
        "raccordement/comptes/fiches.html",
        contexte(
            structure, modifiable, "fiches", filtre=filtre, page_obj=page, parametres=parametres_sans(request, "page")
        ),
    )


def url_fiche(fiche):
    return reverse("raccordement:fiche", args=[fiche.structure_id, fiche.pk])


@require_http_methods(["GET", "POST"])
def creer(request, structure_pk):
    structure = structure_modifiable(request, structure_pk)
    form = FicheForm(request.POST or None, clients=selecteurs.clients_actifs_choix(structure))
    if request.method == "POST" and form.is_valid():
        try:
            fiche = fiche_creer(par=request.user, structure=structure, **form.cleaned_data)
        except ApplicationError as erreur:
            erreur_dans_le_formulaire(form, erreur)
        else:
            messages.success(
                request,
                f"La fiche de raccordement {fiche.get_type_raccordement_display()} est créée, en qualification."
                + (" Déposez le certificat de votre plateforme." if fiche.type_raccordement == "EDI" else ""),
            )
            return redirect(url_fiche(fiche))
    return render(
        request,
        "raccordement/comptes/fiche_creer.html",
        contexte(structure, True, "fiches", form=form),
        status=400 if form.errors else 200,
    )


def _page_fiche(request, structure, modifiable, fiche, *, form_certificat=None, erreur_production="", status=200):
    _decorer(fiche)
    edi = fiche.type_raccordement == TypeRaccordement.EDI
    active = fiche.desactivee_le is None
    return render(
        request,
        "raccordement/comptes/fiche.html",
        contexte(
            structure,
            modifiable,
            "fiches",
            fiche=fiche,
            edi=edi,
            empreinte=empreinte_lisible(fiche.certificat_empreinte) if fiche.certificat_empreinte else "",
            form_certificat=form_certificat or (CertificatForm() if modifiable and edi and active else None),
            erreur_production=erreur_production,
            peut_produire=modifiable and active and fiche.environnement == EnvironnementRaccordement.QUALIFICATION,
            peut_desactiver=modifiable and active,
        ),
        status=status,
    )


@require_GET
def fiche(request, structure_pk, pk):
    structure, modifiable = structure_lue(request, structure_pk)
    return _page_fiche(request, structure, modifiable, selecteurs.fiche_ou_404(structure, pk))


@require_POST
def certificat(request, structure_pk, pk):
    structure = structure_modifiable(request, structure_pk)
    trouvee = selecteurs.fiche_ou_404(structure, pk)
    form = CertificatForm(request.POST, request.FILES)
    if form.is_valid():
        fichier = form.cleaned_data["certificat"]
        remplace = bool(trouvee.certificat_empreinte)
        try:
            fiche_certificat_deposer(par=request.user, fiche=trouvee, contenu=fichier.read())
        except ApplicationError as erreur:
            erreur_dans_le_formulaire(form, erreur)
        else:
            messages.success(request, "Le certificat est remplacé." if remplace else "Le certificat est enregistré.")
            return redirect(url_fiche(trouvee))
    return _page_fiche(request, structure, True, trouvee, form_certificat=form, status=400)


@require_POST
def production(request, structure_pk, pk):
    structure = structure_modifiable(request, structure_pk)
    trouvee = selecteurs.fiche_ou_404(structure, pk)
    try:
        fiche_passer_en_production(par=request.user, fiche=trouvee)
    except ApplicationError as erreur:
        return _page_fiche(request, structure, True, trouvee, erreur_production=erreur.message, status=400)
    messages.success(request, "La fiche de raccordement est passée en production.")
    return redirect(url_fiche(trouvee))


@require_http_methods(["GET", "POST"])
def desactiver(request, structure_pk, pk):
    structure = structure_modifiable(request, structure_pk)
    trouvee = selecteurs.fiche_ou_404(structure, pk)
    if request.method == "POST":
        try:
            fiche_desactiver(par=request.user, fiche=trouvee)
        except ApplicationError as erreur:
            messages.error(request, erreur.message)
        else:
            messages.success(request, "La fiche de raccordement est désactivée.")
        return redirect(url_fiche(trouvee))
    return render(
        request,
        "raccordement/comptes/confirmer.html",
        contexte(
            structure,
            True,
            "fiches",
            titre=f"Désactiver la fiche de raccordement {trouvee.get_type_raccordement_display()}",
            explication="Les échanges de ce raccordement cessent. La désactivation est définitive : pour vous "
            "raccorder de nouveau, créez une autre fiche.",
            bouton="Désactiver la fiche",
            action=request.path,
            retour=url_fiche(trouvee),
        ),
    )
