from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from chorus.differe import modifications_en_attente
from chorus.exceptions import ApplicationError, erreur_dans_le_formulaire
from organisation.forms import InformationsForm
from organisation.services import comptes


@require_http_methods(["GET", "POST"])
def modifier_informations(request):
    utilisateur = request.user
    form = InformationsForm(
        request.POST or None,
        initial={"prenom": utilisateur.prenom, "nom": utilisateur.nom, "telephone": utilisateur.telephone},
    )
    if request.method == "POST" and form.is_valid():
        try:
            modification = comptes.informations_modifier(utilisateur=utilisateur, **form.cleaned_data)
        except ApplicationError as erreur:
            erreur_dans_le_formulaire(form, erreur)
        else:
            messages.success(
                request,
                f"Modification enregistrée : elle sera effective le "
                f"{timezone.localtime(modification.effective_le):%d/%m/%Y à %H h %M}.",
            )
            return redirect("organisation:mon_compte")
    contexte = {"form": form, "en_attente": modifications_en_attente(perimetre=f"utilisateur:{utilisateur.pk}")}
    return render(request, "organisation/modifier_informations.html", contexte)
