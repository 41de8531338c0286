"""Reads of the supplier's « Factures émises » space (chorus-pro-features.md rows 40–47).

Everything starts from `Facture.objects.emises_visibles(user, niveau)`: the « Factures émises » profile on the
supplier structure. Lists show the motif and comment of the current status from the invoice's own columns, so a
page costs the same number of queries whatever its length, and no history lookup per row.
"""

import re

from django.db.models import Q, Sum

from chorus.chiffres import que_des_chiffres
from facturation.enums import StatutFacture
from facturation.models import CompteurFactures, Facture, q_hors_circuit_travaux
from facturation.selectors.consultation import facture_detail_ou_404
from facturation.services.suivi import STATUTS_TRAITER_LE_REJET
from organisation import habilitations
from organisation.enums import Application, Niveau
from organisation.models import Structure
from organisation.selectors.structures import ids_des_structures

TRIS = {
    "-depot": ("-deposee_le", "-pk"),
    "depot": ("deposee_le", "pk"),
    "numero": ("numero", "pk"),
    "-numero": ("-numero", "-pk"),
    "destinataire": ("destinataire__raison_sociale", "pk"),
    "-destinataire": ("-destinataire__raison_sociale", "-pk"),
    "date_facture": ("date_facture", "pk"),
    "-date_facture": ("-date_facture", "-pk"),
    "montant": ("total_ttc", "pk"),
    "-montant": ("-total_ttc", "-pk"),
    "statut": ("statut", "pk"),
    "-statut": ("-statut", "-pk"),
    "-statut_depuis": ("-statut_depuis", "-pk"),
    "statut_depuis": ("statut_depuis", "pk"),
}
TRI_DEFAUT = "-depot"

# A works piece waits for its supplier's recycling when its MOE or MOA asked for it (demanderRecyclagePiecePrecedente).
A_TRAITER = (StatutFacture.A_RECYCLER, StatutFacture.EN_ATTENTE_RECYCLAGE_FOURNISSEUR, StatutFacture.SUSPENDUE)
# a works piece also shows in the supplier's space while it waits for the supplier to recycle it
PIECES_CHEZ_LE_FOURNISSEUR = (StatutFacture.EN_ATTENTE_RECYCLAGE_FOURNISSEUR,)


def condition(user, niveau=Niveau.CONSULTATION):
    """`factures_emises` as a condition on the invoice's own columns, so a search over several spaces can count
    each invoice once by testing the row (rechercherDemandePaiement), where a test of membership in the other
    spaces' sets probes the table once per row."""
    return (
        Facture.objects.q_emises_visibles(user, niveau)
        & ~Q(statut=StatutFacture.BROUILLON)
        & q_hors_circuit_travaux(*PIECES_CHEZ_LE_FOURNISSEUR)
    )


def factures_emises(user, niveau=Niveau.CONSULTATION):
    """The deposited invoices of the user's supplier structures (drafts belong to the entry pages)."""
    return Facture.objects.filter(condition(user, niveau))


def compteurs(user, niveau=Niveau.CONSULTATION):
    """The counter rows (CompteurFactures) whose sum is `factures_emises(user, niveau)` counted: the supplier
    structures of the user's profiles (a supplier's profile covers the whole structure) and the same works rule."""
    perimetre = habilitations.perimetre(user, Application.FACTURES_EMISES, niveau)
    return CompteurFactures.objects.filter(
        perimetre.filtre("id_structure"),
        q_hors_circuit_travaux(*PIECES_CHEZ_LE_FOURNISSEUR),
        cote=CompteurFactures.EMISES,
    ).order_by()


def nombre(user):
    """How many invoices `factures_emises(user)` holds, from the counters (the API's unfiltered `total`)."""
    return compteurs(user).aggregate(n=Sum("nombre"))["n"] or 0


def _pour_liste(qs):
    # motif_statut and commentaire_statut are columns of the invoice (FactureHistorique.save keeps them)
    return qs.select_related("destinataire", "service_destinataire")


# What a row of the lists shows (templates/facturation/emises/_tableau.html): the pages read these columns only, where
# the search's queryset (shared with the exports) loads the invoice's ~70 columns and two whole related rows (issue
# #16: the ORM's time of a page at demo size).
COLONNES_DE_LA_LISTE = (
    "numero",
    "fournisseur_id",
    "deposee_le",
    "total_ttc",
    "devise",
    "statut",
    "statut_depuis",
    "rejet_traite_le",
    "motif_statut",
    "commentaire_statut",
    "destinataire__raison_sociale",
    "destinataire__identifiant",
    "service_destinataire__code",
)


def pour_la_liste(factures):
    """`factures` (from `rechercher` or `synthese`) with only what the list pages show."""
    return factures.only(*COLONNES_DE_LA_LISTE)


def _en_attente(qs):
    """The two kinds of invoices waiting for the supplier: those whose status says so, the rejections not handled."""
    return qs.filter(statut__in=A_TRAITER), qs.filter(
        statut__in=STATUTS_TRAITER_LE_REJET, rejet_traite_le__isnull=True
    )


def synthese(user):
    """The invoices waiting for the supplier (row 40): to recycle, suspended, and rejections not yet handled with
    « Traiter le rejet » (acknowledging a rejection does not remove it)."""
    par_statut, rejets = _en_attente(factures_emises(user))
    return _pour_liste(par_statut | rejets).order_by("-statut_depuis", "-pk")


def nombre_en_attente(user, **filtres):
    """How many invoices `synthese(user).filter(**filtres)` holds, as two counts: each reads a range of
    facture_emises_idx alone (party, status; the works rule and `rejet_traite_le` are its INCLUDE columns). Their OR
    in one COUNT reads every entry of the supplier instead: 140 ms at 10 M invoices against 30."""
    return sum(qs.filter(**filtres).order_by().count() for qs in _en_attente(factures_emises(user)))


def _sans_espaces(texte):
    return re.sub(r"\s", "", texte or "")


def rechercher(user, criteres=None, tri=TRI_DEFAUT):
    """rechercherFactureParFournisseur's criteria (API §2.1) on what the user sees. `criteres` holds the search
    form's cleaned values; missing or empty ones do not filter."""
    c = criteres or {}
    qs = factures_emises(user)
    if c.get("numero"):
        qs = qs.numero_commence_par(c["numero"])
    if c.get("destinataire"):
        texte = c["destinataire"].strip()
        identifiant = _sans_espaces(texte)
        if c.get("recherche_siren") and que_des_chiffres(identifiant):
            # rechercheSirenDestinataire: every establishment of the recipient's company
            condition = Q(identifiant__startswith=identifiant[:9])
        elif que_des_chiffres(identifiant):
            condition = Q(identifiant=identifiant)
        else:
            condition = Q(raison_sociale__icontains=texte)
        # the matching recipients first (a small table), then the invoices by id rather than a join on the name
        qs = qs.filter(destinataire_id__in=ids_des_structures(Structure.objects.filter(condition)))
    if c.get("code_service"):
        qs = qs.filter(service_destinataire__code__iexact=c["code_service"].strip())
    for champ in ("statut", "cadre", "type_facture", "mode_depot"):
        if c.get(champ):
            qs = qs.filter(**{champ: c[champ]})
    bornes = {
        "depot_du": "deposee_le__depuis_le",
        "depot_au": "deposee_le__jusqu_au",
        "facture_du": "date_facture__gte",
        "facture_au": "date_facture__lte",
        "statut_du": "statut_depuis__depuis_le",
        "statut_au": "statut_depuis__jusqu_au",
        "montant_min": "total_ttc__gte",
        "montant_max": "total_ttc__lte",
    }
    for champ, filtre in bornes.items():
        if c.get(champ) not in (None, ""):
            qs = qs.filter(**{filtre: c[champ]})
    if c.get("rejet_traite") == "oui":
        qs = qs.filter(rejet_traite_le__isnull=False)
    elif c.get("rejet_traite") == "non":
        qs = qs.filter(statut__in=STATUTS_TRAITER_LE_REJET, rejet_traite_le__isnull=True)
    return _pour_liste(qs).order_by(*TRIS.get(tri, TRIS[TRI_DEFAUT]))


def tableau_de_bord(user):
    """[(statut, libellé, nombre)] for every status the user's invoices have, in the status table's order (row 47)."""
    comptes = dict(compteurs(user).values_list("statut").annotate(n=Sum("nombre")).filter(n__gt=0))
    return [(code, libelle, comptes[code]) for code, libelle in StatutFacture.choices if code in comptes]


def rejets_a_acquitter(user):
    """The rejections not yet acknowledged that the user may acknowledge (row 41), oldest deposit first."""
    qs = factures_emises(user, Niveau.MODIFICATION).filter(
        statut=StatutFacture.REJETEE, rejet_acquitte_le__isnull=True, rejet_traite_le__isnull=True
    )
    return _pour_liste(qs).order_by("deposee_le", "pk")


def structures_modifiables(user):
    """The ids of the supplier structures where the user may act (Factures émises – modification, on the whole
    structure): from the user's profiles, read once per request with the header's and the rows'."""
    return set(habilitations.perimetre(user, Application.FACTURES_EMISES, Niveau.MODIFICATION).structures)


def facture_ou_404(user, pk, niveau=Niveau.CONSULTATION):
    return facture_detail_ou_404(factures_emises(user, niveau), pk)
