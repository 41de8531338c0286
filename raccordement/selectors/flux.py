"""Reads of the flux pipeline: « Suivi des flux » and the API's consulterCR / consulterCRDetaille.

Visibility (one rule, through the one policy): a flux is visible to the users who hold « Factures émises » or
« Raccordement » (consultation or modification) on its structure: the first follow the invoices they send, the second
run the connection that sends them. A technical account sees its own structure's flux (`flux_de_structure`).
"""

from django.db.models import Count, Prefetch, Q

from facturation.rapport_depot import ligne_api, ligne_rapport
from organisation.enums import Application, Niveau
from organisation.habilitations import filtre_visible, objet_visible_ou_404
from organisation.models import Structure
from raccordement.enums import EtatFlux
from raccordement.models import Flux, FluxErreur, FluxFacture

APPLICATIONS = (Application.FACTURES_EMISES, Application.RACCORDEMENT)

TRIS = {
    "-recu": ("-recu_le", "-pk"),
    "recu": ("recu_le", "pk"),
    "numero": ("numero",),
    "-numero": ("-numero",),
    "etat": ("etat", "-recu_le", "-pk"),
    "canal": ("canal", "-recu_le", "-pk"),
}
TRI_DEFAUT = "-recu"


def _visible(user):
    q = Q()
    for application in APPLICATIONS:
        q |= filtre_visible(user, application, Niveau.CONSULTATION, chemin_structure="structure")
    return q


def flux_visibles(user):
    if not user.is_authenticated:
        return Flux.objects.none()
    return Flux.objects.filter(_visible(user))


def structures_du_suivi(user):
    """The structures whose flux `user` may follow, for the list's filter."""
    q = Q()
    for application in APPLICATIONS:
        q |= filtre_visible(user, application, Niveau.CONSULTATION, chemin_structure="pk")
    return Structure.objects.filter(q).order_by("raison_sociale", "pk")


def avec_comptes(qs):
    return qs.annotate(
        nb_factures=Count("factures", distinct=True),
        nb_integrees=Count("factures", filter=Q(factures__integree=True), distinct=True),
        nb_rejetees=Count("factures", filter=Q(factures__integree=False), distinct=True),
    )


def flux_liste(user, *, structure=None, etat="", du=None, au=None, tri=TRI_DEFAUT):
    qs = flux_visibles(user).select_related("structure", "depose_par", "compte_technique")
    if structure is not None:
        qs = qs.filter(structure=structure)
    if etat:
        qs = qs.filter(etat=etat)
    if du:
        qs = qs.filter(recu_le__date__gte=du)
    if au:
        qs = qs.filter(recu_le__date__lte=au)
    return avec_comptes(qs).order_by(*TRIS.get(tri, TRIS[TRI_DEFAUT]))


def _rapport(qs):
    erreurs = FluxErreur.objects.order_by("rang", "pk")
    return qs.select_related("structure", "depose_par", "compte_technique", "doublon_de").prefetch_related(
        Prefetch("erreurs", queryset=erreurs.filter(flux_facture__isnull=True), to_attr="erreurs_techniques"),
        Prefetch(
            "factures",
            queryset=FluxFacture.objects.order_by("rang").prefetch_related(Prefetch("erreurs", queryset=erreurs)),
            to_attr="lignes",
        ),
    )


def flux_consulter(user, pk):
    """One flux with its whole report (fixed number of queries); 404 when `user` may not see it."""
    return objet_visible_ou_404(_rapport(avec_comptes(flux_visibles(user))), pk=pk)


def flux_etat(user, pk):
    return objet_visible_ou_404(flux_visibles(user).only("pk", "etat", "numero"), pk=pk)


def flux_de_structure(structure):
    """A technical account's scope: its structure's flux."""
    return Flux.objects.filter(structure=structure)


# --- consulterCR / consulterCRDetaille (chorus-pro-api.md §2.5) -------------------------------------------------


def compte_rendu(flux):
    """consulterCR: the flux's state (the integration report as a document is the portal's detail page)."""
    return {
        "numeroFluxDepot": flux.numero,
        "dateDepot": flux.recu_le.date().isoformat(),
        "syntaxeFlux": flux.syntaxe,
        "etatCourantFlux": flux.etat,
        "libelle": EtatFlux(flux.etat).label,
    }


def compte_rendu_detaille(flux):
    """consulterCRDetaille: the state, every technical error and every invoice error, untruncated."""
    if not hasattr(flux, "lignes"):
        flux = _rapport(Flux.objects.filter(pk=flux.pk)).get()
    return {
        "numeroFluxDepot": flux.numero,
        "etatCourantDepotFlux": flux.etat,
        "libelle": EtatFlux(flux.etat).label,
        "listeErreurTechnique": [{"libelleErreur": e.message, "codeErreur": e.code} for e in flux.erreurs_techniques],
        "listeErreurDP": [ligne_api(ligne) for ligne in lignes_erreurs_factures(flux)],
    }


def lignes_erreurs_factures(flux):
    """listeErreurDP with its detail (rapport_depot.ligne_rapport): one row per error of each invoice."""
    return [
        ligne_rapport(
            e,
            identifiant_fournisseur=ligne.identifiant_fournisseur,
            identifiant_destinataire=ligne.identifiant_destinataire,
            numero=ligne.numero_facture,
        )
        for ligne in flux.lignes
        for e in ligne.erreurs.all()
    ]


def rapport_lignes(flux):
    """The flux's report as the CSV gives it: its technical errors (the whole flux: no invoice named, the libellé
    being listeErreurTechnique's libelleErreur), then listeErreurDP's rows. `flux` comes from flux_consulter."""
    techniques = [{**ligne_rapport(e), "libelleErreurDP": e.message} for e in flux.erreurs_techniques]
    return techniques + lignes_erreurs_factures(flux)
