from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from chorus.exceptions import ApplicationError, erreur_dans_le_formulaire
from organisation.enums import ObjetLien, StatutRattachement, StatutStructure
from organisation.forms import ChangementAdresseForm, ChangementMotDePasseForm
from organisation.selectors import utilisateurs as selecteurs_utilisateurs
from organisation.services import comptes, second_facteur


def mon_compte(request):
    rattachements = list(selecteurs_utilisateurs.rattachements_du_compte(request.user))
    actifs = [r for r in rattachements if r.statut == StatutRattachement.ACTIF]
    contexte = {
        "rattachements": rattachements,
        "gestionnaire": any(r.gere for r in actifs),
        "gestionnaire_principal": any(
            r.est_gestionnaire_principal and r.structure.statut == StatutStructure.ACTIVE for r in actifs
        ),
        "application": second_facteur.application_declaree(request.user),
    }
    return render(request, "organisation/mon_compte.html", contexte)


@require_http_methods(["GET", "POST"])
def changer_adresse(request):
    form = ChangementAdresseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            comptes.adresse_changement_demander(
                utilisateur=request.user,
                nouvelle_adresse=form.cleaned_data["nouvelle_adresse"],
                mot_de_passe=form.cleaned_data["mot_de_passe"],
            )
        except ApplicationError as erreur:
            erreur_dans_le_formulaire(form, erreur)
        else:
            messages.success(
                request,
                f"Un courriel de confirmation a été envoyé à {form.cleaned_data['nouvelle_adresse']}. "
                "Votre adresse de connexion changera lorsque vous aurez cliqué sur le lien qu'il contient "
                "(valable 24 heures).",
            )
            return redirect("organisation:mon_compte")
    return render(request, "organisation/changer_adresse.html", {"form": form})


@login_not_required
@require_http_methods(["GET", "POST"])
def adresse_confirmer(request, jeton):
    try:
        lien = comptes.lien_verifier(jeton=jeton, objet=ObjetLien.CHANGEMENT_ADRESSE)
    except comptes.LienInvalide as erreur:
        return render(request, "organisation/lien_invalide.html", {"erreur": erreur, "adresse": True}, status=410)
    if request.method == "POST":
        try:
            comptes.adresse_changement_confirmer(jeton=jeton)
        except ApplicationError as erreur:
            messages.error(request, erreur.message)
            return redirect("accueil")
        logout(request)
        messages.success(
            request,
            f"Votre adresse de connexion est désormais {lien.nouvelle_adresse}. Connectez-vous avec cette adresse.",
        )
        return redirect("organisation:connexion")
    return render(request, "organisation/adresse_confirmer.html", {"lien": lien})


@require_http_methods(["GET", "POST"])
def changer_mot_de_passe(request):
    form = ChangementMotDePasseForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        update_session_auth_hash(request, form.user)  # other sessions end, this one stays
        messages.success(request, "Votre mot de passe a été modifié. Vos autres sessions ont été fermées.")
        return redirect("organisation:mon_compte")
    return render(request, "organisation/changer_mot_de_passe.html", {"form": form})
