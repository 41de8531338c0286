"""« Fiche d'identité du marché » (S3, FEAT #80): the documentation aid of a works contract, filled from one dossier
de facturation — the actors with their SIRET, services and recipient parameters, the engagement numbers used, and who
deposits what. Read through the works policy: a dossier outside the user's dossiers is a 404."""

from dataclasses import dataclass, field

from django.shortcuts import render
from django.views.decorators.http import require_GET

from facturation.models import Facture
from travaux.enums import RoleTravaux
from travaux.views.dossier.lecture import dossier_ou_404
from travaux.views.fiche.qui_depose_quoi import CANAUX, lignes_du_role

# The deck's actors beyond the dossier's three: they deposit through the supplier's structure.
_AUTRES_ROLES = (RoleTravaux.SOUS_TRAITANT, RoleTravaux.COTRAITANT)


@dataclass
class Acteur:
    role: RoleTravaux
    structure: object = None
    services: list = field(default_factory=list)
    cadres: list = field(default_factory=list)

    @property
    def identifiant_html(self):
        return f"acteur-{self.role.value}"


def _pieces(dossier):
    return list(
        Facture.objects.filter(piece_travaux__dossier=dossier)
        .select_related("service_fournisseur")
        .only(
            "cadre",
            "numero",
            "numero_engagement",
            "deposee_le",
            "service_fournisseur__code",
            "service_fournisseur__libelle",
            "service_fournisseur__engagement_obligatoire",
        )
        .order_by("deposee_le", "pk")
    )


def _services_du_fournisseur(pieces):
    vus = {}
    for facture in pieces:
        if facture.service_fournisseur_id is not None:
            vus.setdefault(facture.service_fournisseur_id, facture.service_fournisseur)
    return list(vus.values())


@require_GET
def fiche_marche(request, pk):
    dossier = dossier_ou_404(request.user, pk)
    pieces = _pieces(dossier)
    acteurs = [
        Acteur(RoleTravaux.FOURNISSEUR, dossier.fournisseur, _services_du_fournisseur(pieces)),
        Acteur(RoleTravaux.MOE, dossier.moe, [dossier.service_moe] if dossier.service_moe else []),
        Acteur(RoleTravaux.MOA, dossier.moa, [dossier.service_moa] if dossier.service_moa else []),
    ]
    for acteur in acteurs:
        acteur.cadres = lignes_du_role(acteur.role)
    autres = [Acteur(role, cadres=lignes_du_role(role)) for role in _AUTRES_ROLES]
    engagements = sorted({f.numero_engagement for f in pieces if f.numero_engagement})
    contexte = {
        "dossier": dossier,
        "acteurs": acteurs,
        "qui_depose_quoi": acteurs + autres,
        "canaux": [canal.label for canal in CANAUX],
        "pieces": pieces,
        "engagements": engagements,
    }
    return render(request, "travaux/fiche/fiche_marche.html", contexte)
