"""« Clients API » of a structure (standing in for PISTE's applications, chorus-pro-features.md row 92): the list,
creation on the same page (the secret shown once) and « Désactiver », confirmed first."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chorus.exceptions import ApplicationError, erreur_dans_le_formulaire
from raccordement.forms import ClientApiForm
from raccordement.selectors import comptes as selecteurs
from raccordement.services.clients_api import DUREE_JETON, client_api_creer, client_api_desactiver
from raccordement.views.comptes import secret_unique
from raccordement.views.comptes.commun import (
    contexte,
    structure_lue,
    structure_modifiable,
    url_liste,
)

SORTE = "client"


def _page(request, structure, modifiable, form, *, secret=None, status=200):
    reponse = render(
        request,
        "raccordement/comptes/clients_api.html",
        contexte(
            structure,
            modifiable,
            "clients",
            clients=list(selecteurs.clients_de(structure)),
            form=form,
            secret=secret,
            duree_jeton=DUREE_JETON // 60,
        ),
        status=status,
    )
    if secret:
        reponse["Cache-Control"] = "no-store"
    return reponse


@require_GET
def liste(request, structure_pk):
    structure, modifiable = structure_lue(request, structure_pk)
    secret = secret_unique.reprendre(request, SORTE)
    reponse = _page(request, structure, modifiable, ClientApiForm() if modifiable else None, secret=secret)
    return secret_unique.effacer(request, reponse)


@require_POST
def creer(request, structure_pk):
    structure = structure_modifiable(request, structure_pk)
    form = ClientApiForm(request.POST)
    if form.is_valid():
        try:
            client, secret = client_api_creer(par=request.user, structure=structure, nom=form.cleaned_data["nom"])
        except ApplicationError as erreur:
            erreur_dans_le_formulaire(form, erreur)
        else:
            reponse = redirect(url_liste("clients_api", structure))
            return secret_unique.confier(
                request, reponse, sorte=SORTE, nom=client.nom, client_id=client.client_id, secret=secret
            )
    return _page(request, structure, True, form, status=400)


@require_http_methods(["GET", "POST"])
def desactiver(request, structure_pk, pk):
    structure = structure_modifiable(request, structure_pk)
    client = selecteurs.client_ou_404(structure, pk)
    if request.method == "POST":
        try:
            client = client_api_desactiver(par=request.user, client=client)
        except ApplicationError as erreur:
            messages.error(request, erreur.message)
        else:
            messages.success(
                request, f"Le client API « {client.nom} » est désactivé : ses jetons ne sont plus acceptés."
            )
        return redirect(url_liste("clients_api", structure))
    return render(
        request,
        "raccordement/comptes/confirmer.html",
        contexte(
            structure,
            True,
            "clients",
            titre=f"Désactiver le client API « {client.nom} »",
            explication=f"Le client {client.client_id} ne recevra plus de jeton et ses jetons en cours cesseront "
            "aussitôt d'être acceptés. La désactivation est définitive.",
            bouton="Désactiver le client API",
            action=reverse("raccordement:client_api_desactiver", args=[structure.pk, client.pk]),
            retour=url_liste("clients_api", structure),
        ),
    )
