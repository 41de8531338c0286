"""Edits of the structure page: fiche, parameters, services, bank details, mandates (all delayed) and
attachments (immediate). Each view: scoped fetch (404 outside), "modification" gate, form, service."""

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chorus.exceptions import ApplicationError
from organisation.forms_structures import (
    CoordonneeBancaireForm,
    FicheForm,
    MandatForm,
    ParametresForm,
    PieceJointeForm,
    ServiceForm,
)
from organisation.selectors import structures as selecteurs
from organisation.services import coordonnees as services_coordonnees
from organisation.services import structures as services_structures
from organisation.views.structures.commun import effective_le, formulaire, soumis, structure_a_modifier, url_structure

DELAI = "La modification prend effet après un délai pouvant atteindre 30 minutes."


@require_http_methods(["GET", "POST"])
def fiche_modifier(request, pk):
    structure, refus = structure_a_modifier(request, pk)
    if refus:
        return refus
    return formulaire(
        request,
        structure=structure,
        form=FicheForm(*soumis(request), structure=structure),
        action=lambda form: services_structures.structure_modifier(
            structure=structure, par=request.user, **form.cleaned_data
        ),
        succes="La modification de la fiche de la structure est enregistrée.",
        titre="Modifier la fiche de la structure",
        intro=f"Le type d'identifiant et l'identifiant ne se modifient pas. {DELAI}",
        section="fiche",
        bouton="Enregistrer les modifications",
    )


@require_http_methods(["GET", "POST"])
def parametres_modifier(request, pk):
    structure, refus = structure_a_modifier(request, pk)
    if refus:
        return refus
    return formulaire(
        request,
        structure=structure,
        form=ParametresForm(*soumis(request), structure=structure),
        action=lambda form: services_structures.structure_parametrer(
            structure=structure, par=request.user, **form.arguments_du_service()
        ),
        succes="La modification des paramètres de la structure est enregistrée.",
        titre="Modifier les paramètres de la structure",
        intro="Ces paramètres s'appliquent aux factures que la structure reçoit : ils sont vérifiés lors du dépôt. "
        + DELAI,
        section="parametres",
        bouton="Enregistrer les paramètres",
    )


@require_http_methods(["GET", "POST"])
def service_ajouter(request, pk):
    structure, refus = structure_a_modifier(request, pk)
    if refus:
        return refus
    return formulaire(
        request,
        structure=structure,
        form=ServiceForm(*soumis(request)),
        action=lambda form: services_structures.service_creer(
            structure=structure, par=request.user, **form.cleaned_data
        ),
        succes="La création du service est enregistrée.",
        titre="Ajouter un service",
        intro=DELAI,
        section="services",
        bouton="Ajouter le service",
    )


@require_http_methods(["GET", "POST"])
def service_modifier(request, pk, service_pk):
    structure, refus = structure_a_modifier(request, pk)
    if refus:
        return refus
    service = selecteurs.service_ou_404(structure, service_pk)
    return formulaire(
        request,
        structure=structure,
        form=ServiceForm(*soumis(request), service=service),
        action=lambda form: services_structures.service_modifier(
            service=service, par=request.user, **form.cleaned_data
        ),
        succes=f"La modification du service {service.code} est enregistrée.",
        titre=f"Modifier le service {service.code}",
        intro=f"Le code du service ne se modifie pas. {DELAI}",
        section="services",
        bouton="Enregistrer les modifications",
    )


@require_http_methods(["GET", "POST"])
def coordonnee_ajouter(request, pk):
    structure, refus = structure_a_modifier(request, pk)
    if refus:
        return refus
    return formulaire(
        request,
        structure=structure,
        form=CoordonneeBancaireForm(*soumis(request)),
        action=lambda form: services_coordonnees.coordonnee_bancaire_ajouter(
            structure=structure, par=request.user, **form.cleaned_data
        ),
        succes="L'ajout des coordonnées bancaires est enregistré.",
        titre="Ajouter des coordonnées bancaires",
        intro=DELAI,
        section="coordonnees",
        bouton="Ajouter les coordonnées bancaires",
    )


@require_http_methods(["GET", "POST"])
def coordonnee_modifier(request, pk, coordonnee_pk):
    structure, refus = structure_a_modifier(request, pk)
    if refus:
        return refus
    coordonnee = selecteurs.coordonnee_ou_404(structure, coordonnee_pk)
    return formulaire(
        request,
        structure=structure,
        form=CoordonneeBancaireForm(*soumis(request), coordonnee=coordonnee),
        action=lambda form: services_coordonnees.coordonnee_bancaire_modifier(
            coordonnee=coordonnee, par=request.user, **form.cleaned_data
        ),
        succes="La modification des coordonnées bancaires est enregistrée.",
        titre=f"Modifier les coordonnées bancaires {coordonnee.iban_masque}",
        intro=DELAI,
        section="coordonnees",
        bouton="Enregistrer les modifications",
    )


@require_POST
def coordonnee_desactiver(request, pk, coordonnee_pk):
    structure, refus = structure_a_modifier(request, pk)
    if refus:
        return refus
    coordonnee = selecteurs.coordonnee_ou_404(structure, coordonnee_pk)
    try:
        modification = services_coordonnees.coordonnee_bancaire_desactiver(coordonnee=coordonnee, par=request.user)
    except ApplicationError as erreur:
        messages.error(request, erreur.message)
    else:
        messages.success(
            request,
            f"La désactivation des coordonnées bancaires {coordonnee.iban_masque} est enregistrée. Elle prendra "
            f"effet le {effective_le(modification)}.",
        )
    return redirect(url_structure(structure, "coordonnees"))


@require_http_methods(["GET", "POST"])
def mandat_ajouter(request, pk):
    structure, refus = structure_a_modifier(request, pk)
    if refus:
        return refus
    return formulaire(
        request,
        structure=structure,
        form=MandatForm(*soumis(request)),
        action=lambda form: services_coordonnees.mandat_enregistrer(
            structure=structure, par=request.user, **form.cleaned_data
        ),
        succes="Le mandat de facturation est enregistré.",
        titre="Ajouter un mandat de facturation",
        intro="Le mandataire émet les factures de la structure en son nom. " + DELAI,
        section="mandats",
        bouton="Enregistrer le mandat",
    )


@require_http_methods(["GET", "POST"])
def mandat_modifier(request, pk, mandat_pk):
    structure, refus = structure_a_modifier(request, pk)
    if refus:
        return refus
    mandat = selecteurs.mandat_ou_404(structure, mandat_pk)
    return formulaire(
        request,
        structure=structure,
        form=MandatForm(*soumis(request), mandat=mandat),
        action=lambda form: services_coordonnees.mandat_enregistrer(
            structure=structure, par=request.user, mandat=mandat, **form.cleaned_data
        ),
        succes="La modification du mandat de facturation est enregistrée.",
        titre=f"Modifier le mandat de facturation à {mandat.mandataire_raison_sociale}",
        intro=DELAI,
        section="mandats",
        bouton="Enregistrer les modifications",
    )


@require_http_methods(["GET", "POST"])
def piece_ajouter(request, pk):
    structure, refus = structure_a_modifier(request, pk)
    if refus:
        return refus
    return formulaire(
        request,
        structure=structure,
        form=PieceJointeForm(*soumis(request, fichiers=True)),
        action=lambda form: services_coordonnees.piece_jointe_ajouter(
            structure=structure,
            par=request.user,
            fichier=form.cleaned_data["fichier"],
            type_piece=form.cleaned_data["type_piece"],
        ),
        succes="La pièce jointe est ajoutée à la structure.",
        titre="Ajouter une pièce jointe",
        section="pieces",
        bouton="Ajouter la pièce jointe",
    )


@require_GET
def piece_telecharger(request, pk, piece_pk):
    structure = selecteurs.structure_consultable_ou_404(request.user, pk)
    piece = selecteurs.piece_ou_404(structure, piece_pk)
    # served here, after the policy, never from a public media URL
    return FileResponse(
        piece.fichier.open("rb"), as_attachment=True, filename=piece.nom, content_type=piece.type_mime or None
    )


@require_POST
def piece_supprimer(request, pk, piece_pk):
    structure, refus = structure_a_modifier(request, pk)
    if refus:
        return refus
    piece = selecteurs.piece_ou_404(structure, piece_pk)
    try:
        services_coordonnees.piece_jointe_supprimer(piece=piece, par=request.user)
    except ApplicationError as erreur:
        messages.error(request, erreur.message)
    else:
        messages.success(request, f"La pièce jointe « {piece.nom} » est supprimée.")
    return redirect(url_structure(structure, "pieces"))
