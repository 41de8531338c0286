"""Reads of the « Factures reçues » space (chorus-pro-features.md rows 47, 54–61): what a recipient sees.

One policy: `Facture.objects.recues_visibles` (a « Factures reçues » profile on the recipient structure, limited to
the invoice's service when the profile names services). A draft is still the supplier's: never shown here. Lists,
exports, the dashboard and the consult page all start from `factures_recues`, so they cannot disagree.
"""

from dataclasses import dataclass, field

from django.db.models import OuterRef, Q, Subquery, Sum

from facturation.enums import StatutFacture
from facturation.models import CompteurFactures, Facture, q_hors_circuit_travaux
from facturation.selectors.consultation import facture_detail_ou_404
from facturation.workflow import DESTINATAIRE, FACTURE_WORKFLOW, statuts_cibles
from organisation import habilitations
from organisation.enums import Application, Niveau
from organisation.models import Service, Structure
from organisation.selectors.structures import ids_des_structures

SANS_SERVICE = "aucun"

# GET value → ordering; the primary key last so that two pages never share a row
TRIS = {
    "numero": ("numero", "pk"),
    "fournisseur": ("fournisseur__raison_sociale", "pk"),
    "date": ("date_facture", "pk"),
    "depot": ("deposee_le", "pk"),
    "montant": ("total_ttc", "pk"),
    "statut": ("statut", "pk"),
    "statut_depuis": ("statut_depuis", "pk"),
}
TRIS.update({f"-{cle}": tuple(f"-{champ}" for champ in champs) for cle, champs in list(TRIS.items())})
TRI_DEFAUT = "-depot"


# The recipient's path (chorus-pro-api.md §4.3) then its detours: the order of the columns and of the dashboard.
CHEMIN = [
    StatutFacture.MISE_A_DISPOSITION,
    StatutFacture.COMPLETEE,
    StatutFacture.SERVICE_FAIT,
    StatutFacture.MANDATEE,
    StatutFacture.MISE_A_DISPOSITION_COMPTABLE,
    StatutFacture.COMPTABILISEE,
    StatutFacture.MISE_EN_PAIEMENT,
    StatutFacture.A_RECYCLER,
    StatutFacture.SUSPENDUE,
    StatutFacture.REJETEE,
]


def _dans_l_ordre(statuts):
    """The path's statuses in its order, then any other in the status table's order."""
    return [s for s in CHEMIN if s in statuts] + [s for s in StatutFacture if s in statuts and s not in CHEMIN]


def _statuts_a_traiter():
    """The statuses from which the recipient itself moves the invoice.

    A suspended invoice is left out: it waits for the supplier's complement and comes back as « Complétée ».
    """
    sources = {
        statut
        for t in FACTURE_WORKFLOW.transitions.values()
        if t.acteur == DESTINATAIRE and t.par_traitement
        for statut in t.sources
    }
    sources.discard(StatutFacture.SUSPENDUE)
    return _dans_l_ordre(sources)


STATUTS_A_TRAITER = _statuts_a_traiter()


def condition(user, niveau=Niveau.CONSULTATION):
    """`factures_recues` as a condition on the invoice's own columns (see emises.condition)."""
    return (
        Facture.objects.q_recues_visibles(user, niveau) & ~Q(statut=StatutFacture.BROUILLON) & q_hors_circuit_travaux()
    )


def factures_recues(user, niveau=Niveau.CONSULTATION):
    # A_VALIDER_1/2 invoices are shown (the recipient follows them) but only the validator may act on them.
    return Facture.objects.filter(condition(user, niveau))


def compteurs(user, niveau=Niveau.CONSULTATION):
    """The counter rows (CompteurFactures) whose sum is `factures_recues(user, niveau)` counted: the same perimeter
    and works rule; the counters hold no draft and no archived invoice. A few rows read on their key's index, where
    counting the invoices reads every one of them (149 000 for the largest demo commune at 1 M invoices)."""
    perimetre = habilitations.perimetre(user, Application.FACTURES_RECUES, niveau)
    return CompteurFactures.objects.filter(
        perimetre.filtre("id_structure", "id_service"), q_hors_circuit_travaux(), cote=CompteurFactures.RECUES
    ).order_by()


def nombre(user):
    """How many invoices `factures_recues(user)` holds, from the counters (the API's unfiltered `total`)."""
    return compteurs(user).aggregate(n=Sum("nombre"))["n"] or 0


def facture_recue_ou_404(user, pk):
    return facture_detail_ou_404(factures_recues(user), pk)


def facture_recue_a_telecharger_ou_404(user, pk):
    """Only what a download needs: the file fields and who the recipient is."""
    return habilitations.objet_visible_ou_404(
        factures_recues(user).select_related("destinataire", "service_destinataire"), pk=pk
    )


def peut_traiter(user, facture):
    return habilitations.peut(
        user, Application.FACTURES_RECUES, Niveau.MODIFICATION, facture.destinataire, facture.service_destinataire
    )


def cibles_de_traitement(facture, user):
    """The statuses the recipient may give the invoice now; a supplier's own actions (acknowledging a rejection…)
    belong to the « Factures émises » space even when the same user works for both structures."""
    if not peut_traiter(user, facture):
        return []
    du_destinataire = {
        t.cible
        for t in FACTURE_WORKFLOW.transitions.values()
        if t.acteur == DESTINATAIRE and facture.statut in t.sources
    }
    return [cible for cible in statuts_cibles(facture, user) if cible in du_destinataire]


def structures_recues(user):
    """[(id, raison sociale, identifiant)] of the structures whose received invoices the user sees, whole or for some
    of their services, by raison sociale: from the user's profiles, which the page's header and rows read too."""
    return habilitations.structures_du_perimetre(user, Application.FACTURES_RECUES)


def services_recus(user):
    """[(id, raison sociale of the structure, code, libellé)] of the services the user sees the invoices of: all
    those of a structure-wide profile, or the profile's own. By ids (the perimeter the rows read), as value rows."""
    perimetre = habilitations.perimetre(user, Application.FACTURES_RECUES)
    return (
        Service.objects.filter(perimetre.filtre("structure", "pk"))
        .order_by("structure__raison_sociale", "structure_id", "code")
        .values_list("pk", "structure__raison_sociale", "code", "libelle")
    )


@dataclass
class GroupeSynthese:
    structure_id: int
    raison_sociale: str
    identifiant: str
    service_id: int | None
    service_code: str
    service_libelle: str
    comptes: dict = field(default_factory=dict)

    @property
    def total(self):
        return sum(self.comptes.values())

    def compte(self, statut):
        return self.comptes.get(statut, 0)

    @property
    def cellules(self):
        """[(statut, nombre)] in the columns' order, for the template."""
        return [(statut, self.compte(statut)) for statut in STATUTS_A_TRAITER]


def a_traiter(user):
    """The invoices awaiting the recipient's action (the Synthèse's, and the API's rechercher/atraiter)."""
    return factures_recues(user).filter(statut__in=STATUTS_A_TRAITER)


def nombre_a_traiter(user, *, structure=None, service=None):
    """How many invoices `a_traiter(user)` holds, of one structure and one service when given: from the counters,
    whose key they are (the API's rechercher/atraiter/recipiendaire total)."""
    qs = compteurs(user).filter(statut__in=STATUTS_A_TRAITER)
    if structure is not None:
        qs = qs.filter(id_structure=structure)
    if service is not None:
        # 0 stands for « sans service » in the counters: no service has that id
        qs = qs.filter(id_service=service) if service > 0 else qs.none()
    return qs.aggregate(n=Sum("nombre"))["n"] or 0


def synthese(user, *, masquer_telechargees=False):
    """The invoices awaiting the recipient's action, counted per structure, service and status: one query over the
    counters, with the names of the structure and service of each group."""
    qs = compteurs(user).filter(statut__in=STATUTS_A_TRAITER)
    if masquer_telechargees:
        qs = qs.filter(telechargee=False)
    structure = Structure.objects.filter(pk=OuterRef("id_structure"))
    service = Service.objects.filter(pk=OuterRef("id_service"))
    lignes = (
        qs.values("id_structure", "id_service", "statut")
        .annotate(
            n=Sum("nombre"),
            raison_sociale=Subquery(structure.values("raison_sociale")),
            identifiant=Subquery(structure.values("identifiant")),
            service_code=Subquery(service.values("code")),
            service_libelle=Subquery(service.values("libelle")),
        )
        .filter(n__gt=0)
    )
    groupes = {}
    for ligne in lignes:
        cle = (ligne["id_structure"], ligne["id_service"] or None)
        groupe = groupes.get(cle)
        if groupe is None:
            groupe = groupes[cle] = GroupeSynthese(
                structure_id=cle[0],
                raison_sociale=ligne["raison_sociale"],
                identifiant=ligne["identifiant"],
                service_id=cle[1],
                service_code=ligne["service_code"] or "",
                service_libelle=ligne["service_libelle"] or "",
            )
        groupe.comptes[ligne["statut"]] = ligne["n"]
    # the structure's invoices without a service first, then its services by code
    return sorted(
        groupes.values(),
        key=lambda g: (g.raison_sociale, g.structure_id, g.service_id is not None, g.service_code, g.service_id or 0),
    )


def rechercher(user, criteres=None, tri=TRI_DEFAUT):
    """Chorus Pro's recipient search (rechercher/recipiendaire, chorus-pro-api.md §2.1). `criteres`: the cleaned
    values of the search form; an empty or missing value does not filter."""
    c = {cle: valeur for cle, valeur in (criteres or {}).items() if valeur not in (None, "")}
    qs = factures_recues(user).select_related(
        "fournisseur", "destinataire", "service_destinataire", "valideur_1", "valideur_2"
    )
    if "numero" in c:
        qs = qs.numero_commence_par(c["numero"])
    if "fournisseur" in c:
        texte = c["fournisseur"].strip()
        compact = "".join(texte.split())
        # the matching suppliers first (a small table), then their invoices by id: a join on the name and an OR
        # over it made PostgreSQL read every invoice of the recipient
        fournisseurs = Structure.objects.filter(Q(raison_sociale__icontains=texte) | Q(identifiant=compact))
        qs = qs.filter(fournisseur_id__in=ids_des_structures(fournisseurs))
    if "destinataire" in c:
        qs = qs.filter(destinataire_id=c["destinataire"])
    if c.get("service") == SANS_SERVICE:
        qs = qs.filter(service_destinataire__isnull=True)
    elif "service" in c:
        qs = qs.filter(service_destinataire_id=c["service"])
    if "statut" in c:
        qs = qs.filter(statut=c["statut"])
    if "cadre" in c:
        qs = qs.filter(cadre=c["cadre"])
    if "depot_du" in c:
        qs = qs.filter(deposee_le__depuis_le=c["depot_du"])
    if "depot_au" in c:
        qs = qs.filter(deposee_le__jusqu_au=c["depot_au"])
    if "facture_du" in c:
        qs = qs.filter(date_facture__gte=c["facture_du"])
    if "facture_au" in c:
        qs = qs.filter(date_facture__lte=c["facture_au"])
    if "montant_min" in c:
        qs = qs.filter(total_ttc__gte=c["montant_min"])
    if "montant_max" in c:
        qs = qs.filter(total_ttc__lte=c["montant_max"])
    if c.get("telechargee") in ("oui", "non"):
        qs = qs.filter(telechargee=c["telechargee"] == "oui")
    return qs.order_by(*TRIS.get(tri, TRIS[TRI_DEFAUT]))


# What a row of the search page shows (templates/facturation/recues/rechercher.html): the page reads these columns
# only, where the search's queryset (shared with the exports and the API) loads five whole related rows. At demo size
# building 21 invoices with ~150 columns was most of the page's ORM time (issue #16).
COLONNES_DE_LA_LISTE = (
    "numero",
    "cadre",
    "date_facture",
    "deposee_le",
    "total_ttc",
    "devise",
    "statut",
    "statut_depuis",
    "telechargee",
    "fournisseur__raison_sociale",
    "fournisseur__identifiant",
    "destinataire__raison_sociale",
    "service_destinataire__code",
)


def pour_la_liste(factures):
    """`factures` (a search's queryset) with only what the list page shows."""
    return (
        factures.select_related(None)
        .select_related("fournisseur", "destinataire", "service_destinataire")
        .only(*COLONNES_DE_LA_LISTE)
    )


def tableau_de_bord(user):
    """[(statut, libellé, nombre)]: the recipient's path always, even at zero, then the other statuses present."""
    comptes = dict(compteurs(user).values_list("statut").annotate(n=Sum("nombre")))
    statuts = _dans_l_ordre(set(CHEMIN) | {s for s, n in comptes.items() if n})
    return [(statut, StatutFacture(statut).label, comptes.get(statut, 0)) for statut in statuts]
