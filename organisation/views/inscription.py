from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from chorus.exceptions import ApplicationError, erreur_dans_le_formulaire
from organisation.enums import ObjetLien
from organisation.forms import AdresseForm, ChoixMotDePasseForm, InscriptionForm
from organisation.services import comptes


@login_not_required
@require_http_methods(["GET", "POST"])
def inscription(request):
    if request.user.is_authenticated:
        return redirect("accueil")
    form = InscriptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        comptes.compte_creer(
            email=d["email"],
            prenom=d["prenom"],
            nom=d["nom"],
            telephone=d["telephone"],
            consentement_enquete=d["consentement_enquete"],
        )
        request.session["inscription_adresse"] = d["email"].strip().lower()
        return redirect("organisation:inscription_envoyee")
    return render(request, "organisation/inscription.html", {"form": form})


@login_not_required
def inscription_envoyee(request):
    return render(
        request, "organisation/inscription_envoyee.html", {"adresse": request.session.get("inscription_adresse")}
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def activer(request, jeton):
    try:
        lien = comptes.lien_verifier(jeton=jeton, objet=ObjetLien.ACTIVATION)
    except comptes.LienInvalide as erreur:
        return render(
            request,
            "organisation/lien_invalide.html",
            {"erreur": erreur, "renvoi": erreur.raison != "utilise", "form": AdresseForm()},
            status=410 if erreur.raison in {"expire", "utilise", "remplace"} else 404,
        )
    form = ChoixMotDePasseForm(request.POST or None, utilisateur=lien.utilisateur)
    if request.method == "POST" and form.is_valid():
        try:
            comptes.compte_activer(jeton=jeton, mot_de_passe=form.cleaned_data["mot_de_passe"])
        except ApplicationError as erreur:
            erreur_dans_le_formulaire(form, erreur)
        else:
            messages.success(
                request, "Votre compte est activé. Connectez-vous avec votre adresse et votre mot de passe."
            )
            return redirect("organisation:connexion")
    return render(request, "organisation/activer.html", {"form": form, "utilisateur": lien.utilisateur})


@login_not_required
@require_http_methods(["GET", "POST"])
def activation_renvoyer(request):
    form = AdresseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        comptes.activation_renvoyer(email=form.cleaned_data["email"])
        messages.success(
            request,
            "Si un compte en attente d'activation correspond à cette adresse, un nouveau courriel d'activation "
            "vient de lui être envoyé.",
        )
        return redirect("organisation:connexion")
    return render(request, "organisation/activation_renvoyer.html", {"form": form})
