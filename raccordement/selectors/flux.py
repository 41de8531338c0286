"""Reads of the flux pipeline: « Suivi des flux » and the API's consulterCR / consulterCRDetaille.

Visibility (one rule, through the one policy): a flux is visible to the users who hold « Factures émises » or
« Raccordement » (consultation or modification) on its structure: the first follow the invoices they send, the second
run the connection that sends them. A technical account sees its own structure's flux (`flux_de_structure`).
"""

from django.core.cache import cache
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
        qs = qs.filter(recu_le__depuis_le=du)
    if au:
        qs = qs.filter(recu_le__jusqu_au=au)
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


def avec_rapport(flux):
    """`flux` with its report prefetched (as flux_consulter gives it), read once if it is not yet."""
    if hasattr(flux, "lignes"):
        return flux
    return _rapport(Flux.objects.filter(pk=flux.pk)).get()


def flux_etat(user, pk):
    return objet_visible_ou_404(flux_visibles(user).only("pk", "etat", "numero", "recu_le", "sha256"), pk=pk)


def cle_du_flux(flux, quoi):
    """The cache key of what a flux's runs share (its count, its first syntax): the instant and the file's hash with
    the id, so that a key is never read for another flux (a test database reuses ids)."""
    return f"flux:{flux.pk}:{flux.recu_le.timestamp()}:{flux.sha256[:16]}:{quoi}"


def nombre_de_factures(flux):
    """How many invoices the flux's file holds, as its first run counted them (None before, or if the cache lost it):
    the « n / N » of the flux page."""
    return cache.get(cle_du_flux(flux, "nombre"))


def progression(flux):
    """(invoices processed so far, how many the file holds — None until its first run has counted them)."""
    return FluxFacture.objects.filter(flux=flux).count(), nombre_de_factures(flux)


def flux_de_structure(structure):
    """A technical account's scope: its structure's flux."""
    return Flux.objects.filter(structure=structure)


# --- consulterCR / consulterCRDetaille (chorus-pro-api.md §2.5) -------------------------------------------------


# The EDI interface each syntax stands for (chorus-pro-api.md §3.2, « EDI interface codes »); FSO1100, the generic
# deposit interface, for a syntax without its own code.
INTERFACES_FLUX = {
    "IN_DP_E1_UBL_INVOICE": "FSO1140A",
    "IN_DP_E1_CII": "FSO1146A",
    "IN_DP_E2_CII_FACTURX": "FSO1117A",
    "IN_DP_E4_CII_FACTURX": "FSO1137A",
}
INTERFACE_DEPOT = "FSO1100"


def code_interface(flux):
    return INTERFACES_FLUX.get(flux.syntaxe, INTERFACE_DEPOT)


def date_etat_courant(flux):
    """When the flux took its current state: the end of its integration, its start, or its reception."""
    return flux.traitement_fin_le or flux.traitement_debut_le or flux.recu_le


def code_appli_partenaire(flux):
    """The partner application that sent the flux: the technical account for the API, the channel otherwise."""
    if flux.compte_technique_id:
        return flux.compte_technique.login
    return flux.canal


def compte_rendu(flux):
    """consulterCR: the flux, its partner and its state (the report as a PDF: raccordement.compte_rendu_pdf).
    dateDepotFlux is a date, as deposerFluxFacture's dateDepot; dateHeureEtatCourantFlux a timestamp."""
    return {
        "numeroFluxDepot": flux.numero,
        "dateDepotFlux": flux.recu_le.date().isoformat(),
        "dateHeureEtatCourantFlux": date_etat_courant(flux).isoformat(),
        "nomFichierFlux": flux.nom_fichier,
        "syntaxeFlux": flux.syntaxe,
        "codeInterfaceFlux": code_interface(flux),
        "designationPartenaire": flux.structure.designation,
        "codeAppliPartenaire": code_appli_partenaire(flux),
        "etatCourantFlux": flux.etat,
        "libelle": EtatFlux(flux.etat).label,
    }


def compte_rendu_detaille(flux):
    """consulterCRDetaille: the state, every technical error and every invoice error, untruncated."""
    flux = avec_rapport(flux)
    return {
        "numeroFluxDepot": flux.numero,
        "nomFichier": flux.nom_fichier,
        "dateDepotFlux": flux.recu_le.date().isoformat(),
        "codeInterfaceDepotFlux": code_interface(flux),
        "etatCourantDepotFlux": flux.etat,
        "dateHeureEtatCourantFlux": date_etat_courant(flux).isoformat(),
        "libelle": EtatFlux(flux.etat).label,
        "listeErreurTechnique": [
            {"libelleErreur": e.message, "codeErreur": e.code, "natureErreur": e.couche}
            for e in flux.erreurs_techniques
        ],
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
