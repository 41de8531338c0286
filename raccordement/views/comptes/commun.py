"""What the Raccordement pages share: the structure read through the policy (404 for anyone else), the
« modification » gate (403 for a reader, as the facturation pages refuse an action one may see but not do), and
the error of a service put on its field."""

from django.core.exceptions import PermissionDenied
from django.urls import reverse

from raccordement.selectors import comptes as selecteurs

REFUS_CONSULTATION = (
    "Vous pouvez consulter le raccordement de cette structure, pas le modifier : il faut le profil « Raccordement – "
    "modification ». Demandez-le à un gestionnaire de la structure."
)
PAR_PAGE = 20


def structure_lue(request, structure_pk):
    """(structure, may_modify); 404 when the user may not even consult the structure's Raccordement."""
    structure = selecteurs.structure_ou_404(request.user, structure_pk)
    return structure, selecteurs.peut_modifier(request.user, structure)


def structure_modifiable(request, structure_pk):
    structure, modifiable = structure_lue(request, structure_pk)
    if not modifiable:
        raise PermissionDenied(REFUS_CONSULTATION)
    return structure


def contexte(structure, modifiable, courant, **extra):
    return {"structure": structure, "peut_modifier": modifiable, "courant": courant, **extra}


def parametres_sans(request, *cles):
    parametres = request.GET.copy()
    for cle in cles:
        parametres.pop(cle, None)
    return parametres.urlencode()


def colonnes_triables(colonnes, tri):
    """The sortable headers: the next sort of each column and its aria-sort."""
    resultat = []
    for cle, libelle in colonnes:
        courant = tri.lstrip("-") == cle
        suivant = cle if courant and tri.startswith("-") else f"-{cle}" if courant else cle
        sens = ("descending" if tri.startswith("-") else "ascending") if courant else ""
        resultat.append({"libelle": libelle, "tri": suivant, "sens": sens})
    return resultat


def url_liste(nom, structure):
    return reverse(f"raccordement:{nom}", args=[structure.pk])
