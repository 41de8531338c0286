"""Reads of the public-recipient directory (chorus-pro-features.md row 26): active public structures only."""

import re

from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404

from organisation.models import Service, Structure

# GET value → ordering; the primary key last so that pages never overlap
TRIS = {
    "nom": ("raison_sociale", "pk"),
    "-nom": ("-raison_sociale", "-pk"),
    "identifiant": ("identifiant", "pk"),
    "-identifiant": ("-identifiant", "-pk"),
}
TRI_DEFAUT = "nom"

# The routing parameters of a recipient, with Chorus Pro's labels (chorus-pro-api.md §4.8): the model's
# verbose names are those labels.
PARAMETRES = [
    "code_service_obligatoire",
    "engagement_obligatoire",
    "engagement_ou_service",
    "statut_mise_en_paiement_non_remonte",
    "moa_uniquement",
]


def libelle_parametre(champ):
    return str(Structure._meta.get_field(champ).verbose_name)


def parametres(structure):
    """[(label, value)] of a structure's routing parameters, in Chorus Pro's order."""
    return [(libelle_parametre(champ), getattr(structure, champ)) for champ in PARAMETRES]


def _services_actifs():
    return Prefetch(
        "services", queryset=Service.objects.filter(actif=True).order_by("code"), to_attr="services_actifs"
    )


def annuaire_rechercher(recherche="", tri=TRI_DEFAUT):
    """Active public structures whose identifier or name contains `recherche` (case-insensitive)."""
    structures = Structure.objects.publiques_actives()
    recherche = (recherche or "").strip()
    if recherche:
        # "213 500 017 00013" finds the SIRET 21350001700013
        compact = re.sub(r"[\s.\-]", "", recherche)
        structures = structures.filter(
            Q(identifiant__icontains=compact or recherche) | Q(raison_sociale__icontains=recherche)
        )
    return structures.annotate(nb_services=Count("services", filter=Q(services__actif=True))).order_by(
        *TRIS.get(tri, TRIS[TRI_DEFAUT])
    )


def annuaire_structure_ou_404(pk):
    """A private, pending, refused or inactive structure is not in the directory: 404."""
    return get_object_or_404(Structure.objects.publiques_actives().prefetch_related(_services_actifs()), pk=pk)


def annuaire_complet():
    """Every directory entry with its active services, for the downloads: read in chunks, so memory stays flat."""
    return (
        Structure.objects.publiques_actives()
        .order_by("type_identifiant", "identifiant")
        .prefetch_related(_services_actifs())
        .iterator(chunk_size=500)
    )
