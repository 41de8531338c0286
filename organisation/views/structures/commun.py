"""What the structure views share: the scoped fetch, the "modification" gate and the delayed-change form loop."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as formater_date

from chorus.exceptions import ApplicationError, erreur_dans_le_formulaire
from organisation.regles import PJ_EXTENSIONS, PJ_NOM_LONGUEUR_MAX
from organisation.selectors import structures as selecteurs

REFUS_CONSULTATION = (
    "Vous n'êtes pas habilité à modifier cette structure : il faut le profil « Organisation – modification ». "
    "Demandez-le à un gestionnaire de la structure."
)


def url_structure(structure, section=""):
    return reverse("organisation:structure", args=[structure.pk]) + (f"#{section}" if section else "")


def effective_le(modification):
    return formater_date(timezone.localtime(modification.effective_le), r"d/m/Y à H \h i")


def soumis(request, fichiers=False):
    """The form's data: bound on any POST, even one where every box is unchecked."""
    if request.method != "POST":
        return (None, None) if fichiers else (None,)
    return (request.POST, request.FILES) if fichiers else (request.POST,)


def regles_pieces_jointes():
    return {"nom_max": PJ_NOM_LONGUEUR_MAX, "extensions": ", ".join(sorted(e.lower() for e in PJ_EXTENSIONS))}


def structure_a_modifier(request, pk):
    """(structure, None) for a user who may modify it; (structure, redirect with a message) for a reader; 404 for
    anyone else (not even the existence of the structure is told)."""
    structure = selecteurs.structure_consultable_ou_404(request.user, pk)
    if not selecteurs.peut_modifier(request.user, structure):
        messages.error(request, REFUS_CONSULTATION)
        return structure, redirect(url_structure(structure))
    return structure, None


def formulaire(request, *, structure, form, action, succes, titre, section, bouton, intro=""):
    """Render a structure edit form; on a valid POST call `action(form)` (a service), then go back to the
    structure page with `succes` and, for a delayed change, when it takes effect."""
    if request.method == "POST" and form.is_valid():
        try:
            resultat = action(form)
        except ApplicationError as erreur:
            erreur_dans_le_formulaire(form, erreur)
        else:
            if hasattr(resultat, "effective_le"):
                succes = (
                    f"{succes} Date d'effet : {effective_le(resultat)}. D'ici là, la page de la structure l'affiche "
                    "comme « Modification en attente »."
                )
            messages.success(request, succes)
            return redirect(url_structure(structure, section))
    contexte = {
        "structure": structure,
        "form": form,
        "titre": titre,
        "intro": intro,
        "bouton": bouton,
        "retour": url_structure(structure, section),
        "televersement": form.is_multipart(),
        "regles_pj": regles_pieces_jointes(),
    }
    return render(request, "organisation/structures/formulaire.html", contexte)
