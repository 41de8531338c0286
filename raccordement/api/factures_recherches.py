"""The last services of `factures/v1/…` (chorus-pro-api.md §2.1): the supplier corrects the validator of a co- or
sub-contracting invoice, the cross-type search over invoices and works pieces (rechercherDemandePaiement), the three
« Synthèse » lists of invoices awaiting action, and the statuses a validator retrieves invoices at. Each reads
through the selectors of the portal's own pages, as the account's technical user, and writes through its service.

rechercherDemandePaiement's `dpOuDpArchive`: invoices closed for years move to the archive
(facturation/services/archivage.py, docs/features.md row 50): DEMANDE_PAIEMENT (the default) searches the live base,
DP_ARCHIVE the archived invoices the account's user sends or receives (the Archives pages' selectors). The mémoire
fields of the Go client (codeJuridiction, raisonSocialeTGI…) are not returned: the portal holds no mémoires de
justice."""

from dataclasses import dataclass

from django.db.models import Count, IntegerField, Q, QuerySet, Sum, Value

from chorus.exceptions import ApplicationError
from chorus.pagination import page_par_branches
from chorus.workflow import TransitionInterdite
from facturation.enums import StatutFacture, lire_table
from facturation.models import Facture
from facturation.selectors import archives, emises, recues
from facturation.selectors import validation as selecteurs_validation
from facturation.services.suivi import facture_corriger_valideur
from facturation.workflow import CADRES_TRAVAUX, FACTURE_WORKFLOW, VALIDEUR_1, VALIDEUR_2, VALIDEUR_DELEGUE
from organisation import habilitations
from organisation.enums import Application, Niveau, TypeIdentifiant
from organisation.models import Structure
from raccordement.api import enveloppe
from raccordement.api.factures import TRIS, sans_critere
from raccordement.api.pagination import paginer
from raccordement.api.schema import PARAMETRES_RETOUR, liste, objet, pagination
from raccordement.api.valeurs import (
    CADRE_API,
    cadre_demande,
    date_api,
    identifiant_demande,
    montant_api,
    statuts_demandes,
)
from raccordement.api.valideurs_travaux import (
    FACTURE_A_VALIDER,
    _jour,
    _ligne_valideur,
    avec_les_valideurs,
    sans_les_valideurs,
)
from raccordement.api.vues import ErreurDonnees, ServiceCpro, champ
from travaux.enums import RoleTravaux
from travaux.models import PieceTravaux
from travaux.selectors import listes as listes_travaux
from travaux.selectors import visibilite as visibilite_travaux

TYPES_DEMANDE_PAIEMENT = ("FACTURE", "FACTURE_TRAVAUX")


def _sans_resultat(reponse, lignes):
    if not lignes:
        reponse.update(codeRetour=enveloppe.AUCUN_RESULTAT, libelle=enveloppe.LIBELLE_AUCUN_RESULTAT)
    return reponse


def _type_demande(facture):
    return "FACTURE_TRAVAUX" if facture.cadre in CADRES_TRAVAUX else "FACTURE"


def _code(service):
    return service.code if service else ""


def _nom(service):
    return service.libelle if service else ""


# --- corrigerValideurFacture ---------------------------------------------------------------------------------------


def _identifiant_valideur(corps):
    """The new validator's SIRET, named by `identifiantStructure` or by `idStructure` (both: they must agree)."""
    type_identifiant = champ(corps, "typeIdentifiantStructure", type_=str)
    if type_identifiant is not None and type_identifiant != TypeIdentifiant.SIRET:
        raise ErreurDonnees(
            f"typeIdentifiantStructure : le valideur se désigne par son SIRET, pas par « {type_identifiant} ».",
            champ="typeIdentifiantStructure",
        )
    identifiant = champ(corps, "identifiantStructure", type_=str)
    pk = champ(corps, "idStructure", type_=int)
    if pk is None:
        if identifiant is None:
            raise ErreurDonnees(
                "identifiantStructure : ce champ est obligatoire (ou idStructure).", champ="identifiantStructure"
            )
        return identifiant, "identifiantStructure"
    structure = Structure.objects.filter(pk=pk).values_list("type_identifiant", "identifiant").first()
    if structure is None or structure[0] != TypeIdentifiant.SIRET:
        raise ErreurDonnees(f"idStructure : aucune structure identifiée par SIRET n'a l'id {pk}.", champ="idStructure")
    if identifiant is not None and "".join(identifiant.split()) != structure[1]:
        raise ErreurDonnees(
            f"identifiantStructure : « {identifiant} » n'est pas le SIRET de la structure {pk} ({structure[1]}).",
            champ="identifiantStructure",
        )
    return structure[1], "idStructure" if identifiant is None else "identifiantStructure"


class CorrigerValideurFacture(ServiceCpro):
    """Le fournisseur d'une facture de sous-traitance ou de cotraitance (A9, A12) désigne un autre valideur, par son
    SIRET (`identifiantStructure`) ou son identifiant technique (`idStructure`), tant que le premier valideur n'a
    pas répondu (statut A_VALIDER_1 ou ERREUR_FOURNISSEUR_SUR_VALIDEUR) : la facture est de nouveau à valider, par
    lui, et le délai de 15 jours repart. Un autre statut, une facture sous délégation ou un compte sans le droit de
    modification répondent 409 ; la facture d'une autre structure est introuvable (404)."""

    requete = objet(
        {
            "idFacture": {"type": "integer"},
            "idStructure": {"type": "integer"},
            "identifiantStructure": {"type": "string"},
            "typeIdentifiantStructure": {"type": "string", "enum": [TypeIdentifiant.SIRET.value]},
        },
        ["idFacture"],
    )
    reponse = {
        "idFacture": {"type": "integer"},
        "numeroFacture": {"type": "string"},
        "statutFacture": {"type": "string"},
        "idStructureValideur": {"type": "integer"},
        "identifiantStructureValideur": {"type": "string"},
        "dateTraitement": {"type": "string"},
    }

    def traiter(self, request, corps):
        pk = identifiant_demande(corps, "idFacture")
        identifiant, cle = _identifiant_valideur(corps)
        # the page's own lookup: the supplier's invoice, with the right to change it
        facture = emises.facture_ou_404(request.user, pk, Niveau.MODIFICATION)
        try:
            historique = facture_corriger_valideur(facture=facture, par=request.user, identifiant_valideur=identifiant)
        except TransitionInterdite:
            raise
        except ApplicationError as erreur:
            if erreur.champ == "identifiant_valideur":
                raise ErreurDonnees(erreur.message, champ=cle) from None
            raise
        return {
            "idFacture": facture.pk,
            "numeroFacture": facture.numero,
            "statutFacture": facture.statut,
            "idStructureValideur": facture.valideur_1.pk,
            "identifiantStructureValideur": facture.valideur_1.identifiant,
            "dateTraitement": date_api(historique.le),
        }


# --- the « Synthèse » lists ----------------------------------------------------------------------------------------

# rechercherFactureATraiter*'s triColonne (CPP 2017 spec, CS17): those the portal's rows can be ordered on
TRIS_A_TRAITER = {
    **TRIS,
    "dateDepot": ("deposee_le",),
    "numeroFacture": ("numero",),
    "dateFacture": ("date_facture",),
    "montantHT": ("total_ht",),
    "montantTTC": ("total_ttc",),
    "montantAPayer": ("net_a_payer",),
    "Statut": ("statut",),
    "typeFacture": ("type_facture",),
    "numeroMarche": ("numero_marche",),
    "numeroBonCommande": ("numero_engagement",),
}
LIENS = ("fournisseur", "service_fournisseur", "destinataire", "service_destinataire")
FACTURE_A_TRAITER = {
    "typeDemandePaiement": {"type": "string", "enum": list(TYPES_DEMANDE_PAIEMENT)},
    "codeFournisseur": {"type": "string"},
    "typeIdentifiantFournisseur": {"type": "string"},
    "designationFournisseur": {"type": "string"},
    "idDestinataire": {"type": "integer"},
    "codeDestinataire": {"type": "string"},
    "idServiceExecutant": {"type": "integer", "nullable": True},
    "codeServiceExecutant": {"type": "string"},
    "typeFacture": {"type": "string"},
    "numeroFacture": {"type": "string"},
    "dateFacture": {"type": "string", "format": "date", "nullable": True},
    "dateDepot": {"type": "string", "format": "date-time", "nullable": True},
    "montantHT": {"type": "number"},
    "montantTTC": {"type": "number"},
    "montantAPayer": {"type": "number"},
    "devise": {"type": "string"},
    "statut": {"type": "string"},
}


def _ligne_a_traiter(f):
    """A row of the CPP « à traiter » lists (rechercherFactureATraiterParFournisseur / ParRecipiendaire)."""
    return {
        "typeDemandePaiement": _type_demande(f),
        "codeFournisseur": f.fournisseur.identifiant,
        "typeIdentifiantFournisseur": f.fournisseur.type_identifiant,
        "designationFournisseur": f.fournisseur.raison_sociale,
        "codeServiceFournisseur": _code(f.service_fournisseur),
        "nomServiceFournisseur": _nom(f.service_fournisseur),
        "idDestinataire": f.destinataire_id,
        "codeDestinataire": f.destinataire.identifiant,
        "designationDestinataire": f.destinataire.raison_sociale,
        "idServiceExecutant": f.service_destinataire_id,
        "codeServiceExecutant": _code(f.service_destinataire),
        "nomServiceExecutant": _nom(f.service_destinataire),
        "typeFacture": f.type_facture,
        "numeroFacture": f.numero,
        "dateFacture": date_api(f.date_facture),
        "dateDepot": date_api(f.deposee_le),
        "dateHeureEtatCourant": date_api(f.statut_depuis),
        "montantHT": montant_api(f.total_ht, f.devise),
        "montantTTC": montant_api(f.total_ttc, f.devise),
        "montantAPayer": montant_api(f.net_a_payer, f.devise),
        "devise": f.devise,
        "statut": f.statut,
        "cadreFacturation": CADRE_API.get(f.cadre, f.cadre),
        "numeroMarche": f.numero_marche,
        "numeroBonCommande": f.numero_engagement,
    }


def _commentaire(facture):
    """The motif and comment of the current status (emises.synthese annotates them)."""
    return " — ".join(x for x in (facture.motif_statut, facture.commentaire_statut) if x)


class RechercherFactureATraiterParFournisseur(ServiceCpro):
    """La « Synthèse » des factures émises : celles qui attendent le fournisseur (à recycler, suspendues, et les
    rejets et refus pas encore traités par « Traiter le rejet »), de toutes ses structures ou de `idStructure`.
    Les pièces de travaux qui attendent le fournisseur sont dans facturesTravaux (§2.2)."""

    lecture_seule = True  # a search: outside the request's transaction (vues.ServiceCpro)

    requete = objet({"idStructure": {"type": "integer"}, **pagination("rechercheFactureATraiterParFournisseur")})
    reponse = {
        "listeFactures": liste({**FACTURE_A_TRAITER, "identifiantFactureCPP": {"type": "integer"}}),
        **PARAMETRES_RETOUR,
    }

    def traiter(self, request, corps):
        qs = emises.synthese(request.user).select_related(*LIENS)
        filtres = {}
        if (structure := champ(corps, "idStructure", type_=int)) is not None:
            filtres["fournisseur_id"] = structure
        lignes, parametres = paginer(
            corps,
            "rechercheFactureATraiterParFournisseur",
            qs.filter(**filtres),
            TRIS_A_TRAITER,
            "DateHeureEtatCourant",
            total=lambda: emises.nombre_en_attente(request.user, **filtres),
        )
        reponse = {
            "listeFactures": [
                {"identifiantFactureCPP": f.pk, **_ligne_a_traiter(f), "commentaireEtatCourant": _commentaire(f)}
                for f in lignes
            ],
            "parametresRetour": parametres,
        }
        return _sans_resultat(reponse, lignes)


class RechercherFactureATraiterParRecipiendaire(ServiceCpro):
    """La « Synthèse » des factures reçues : celles dont le destinataire change lui-même le statut (mise à
    disposition, complétée, et les étapes du chemin de paiement), de toutes ses structures ou de `idStructure` (et
    `idServiceExecutant`). Une facture suspendue attend le fournisseur : elle n'y est pas."""

    lecture_seule = True  # a search: outside the request's transaction (vues.ServiceCpro)

    requete = objet(
        {
            "idStructure": {"type": "integer"},
            "idServiceExecutant": {"type": "integer"},
            **pagination("parametreRechercheFactureATraiterParRecipiendaire"),
        }
    )
    reponse = {
        "listeFactures": liste(
            {
                **FACTURE_A_TRAITER,
                "idFacture": {"type": "integer"},
                "factureTelechargeeParDestinataire": {"type": "boolean"},
            }
        ),
        **PARAMETRES_RETOUR,
    }

    def traiter(self, request, corps):
        qs = recues.a_traiter(request.user).select_related(*LIENS)
        if (structure := champ(corps, "idStructure", type_=int)) is not None:
            qs = qs.filter(destinataire_id=structure)
        if (service := champ(corps, "idServiceExecutant", type_=int)) is not None:
            qs = qs.filter(service_destinataire_id=service)

        # the structure and the service are keys of the counters: the total is read there, never counted
        def total():
            return recues.nombre_a_traiter(request.user, structure=structure, service=service)

        lignes, parametres = paginer(
            corps, "parametreRechercheFactureATraiterParRecipiendaire", qs, TRIS_A_TRAITER, "dateDepot", total=total
        )
        reponse = {
            "listeFactures": [
                {"idFacture": f.pk, **_ligne_a_traiter(f), "factureTelechargeeParDestinataire": f.telechargee}
                for f in lignes
            ],
            "parametresRetour": parametres,
        }
        return _sans_resultat(reponse, lignes)


class RechercherFactureATraiterParValideur(ServiceCpro):
    """La « Synthèse » des factures à valider : celles, visibles du compte technique comme valideur, qui attendent
    une validation (premier niveau, ou second une fois le premier passé) ; `idStructure` retient celles qui
    attendent cette structure-là. La plus ancienne d'abord : le délai de 15 jours court depuis
    dateHeureEtatCourant."""

    lecture_seule = True  # a search: outside the request's transaction (vues.ServiceCpro)

    requete = objet({"idStructure": {"type": "integer"}, **pagination("rechercheFactureATraiterParValideur")})
    reponse = {"listeFactures": liste(FACTURE_A_VALIDER), **PARAMETRES_RETOUR}

    def traiter(self, request, corps):
        # each awaited structure's first rows on its index, the total from the counters (selectors.validation)
        a_valider = selecteurs_validation.AValider(
            request.user,
            champ(corps, "idStructure", type_=int),
            lecture=sans_les_valideurs(Facture.objects.all()),
        )
        lignes, parametres = paginer(
            corps,
            "rechercheFactureATraiterParValideur",
            a_valider,
            TRIS_A_TRAITER,
            "DateHeureEtatCourant",
            total=a_valider.nombre,
            lire_page=a_valider.lire,
        )
        reponse = {
            "listeFactures": [_ligne_valideur(f) for f in avec_les_valideurs(lignes)],
            "parametresRetour": parametres,
        }
        return _sans_resultat(reponse, lignes)


# --- recupererStatutsFactureVisiblesParValideur --------------------------------------------------------------------


def _statuts_visibles_valideur():
    """The validation family of the status table (facturation/regles/statuts.csv), then the statuses a validator
    — first, second, or delegate with the « droit de traitement » — moves an invoice from (traitements_recus.csv,
    validations.csv), in the table's order."""
    acteurs = {VALIDEUR_1, VALIDEUR_2, VALIDEUR_DELEGUE}
    sources = {s for t in FACTURE_WORKFLOW.transitions.values() if t.acteur in acteurs for s in t.sources}
    return [
        ligne["code"]
        for ligne in lire_table("statuts.csv")
        if ligne["famille"] == "validation" or ligne["code"] in sources
    ]


STATUTS_VISIBLES_VALIDEUR = _statuts_visibles_valideur()


class RecupererStatutsFactureVisiblesParValideur(ServiceCpro):
    """Les statuts auxquels un valideur retrouve une facture pour la traiter : ceux du circuit de validation
    (à valider, validée, refusée, hors délai, erreur d'acheminement, aux deux niveaux), dans l'ordre de la table des
    statuts."""

    lecture_seule = True  # a search: outside the request's transaction (vues.ServiceCpro)

    requete = objet({"idUtilisateurCourant": {"type": "integer"}})
    reponse = {"listeStatutFacture": liste({"codeStatutFacture": {"type": "string"}})}

    def traiter(self, request, corps):
        return {"listeStatutFacture": [{"codeStatutFacture": code} for code in STATUTS_VISIBLES_VALIDEUR]}


# --- rechercherDemandePaiement -------------------------------------------------------------------------------------

DP_OU_ARCHIVE = ("DEMANDE_PAIEMENT", "DP_ARCHIVE")
ROLES = ("FOURNISSEUR", "DESTINATAIRE", "VALIDATEUR", "MOE", "MOA")


@dataclass(frozen=True)
class Branche:
    """One space where the account finds payment requests: its condition on the invoice row and, for the spaces
    the counters hold (« Factures émises », « Factures reçues »), the counter rows whose sum is its unfiltered size."""

    condition: Q
    compteurs: QuerySet | None = None


def _voit(user, application):
    """Does a profile of the user reach some structure or service in `application`? A space it does not is left
    out of the search: no branch, no query (the profiles are already read for the call)."""
    visibles = habilitations.perimetre(user, application)
    return bool(visibles.structures or visibles.services)


def _par_role(user):
    """Each role's payment requests, through the selector of its own pages: « Factures émises », « Factures
    reçues », « Factures à valider » (each level), and the works pieces seen as supplier, MOE or MOA (their
    visibility resolved into the account's ids, as the works lists read it). A role whose application no profile
    of the account opens has no branch."""
    roles = {role: [] for role in ROLES}
    if _voit(user, Application.FACTURES_EMISES):
        roles["FOURNISSEUR"].append(Branche(emises.condition(user), emises.compteurs(user)))
    if _voit(user, Application.FACTURES_RECUES):
        roles["DESTINATAIRE"].append(Branche(recues.condition(user), recues.compteurs(user)))
    if _voit(user, Application.VALIDATION):
        roles["VALIDATEUR"] = [Branche(condition) for condition in selecteurs_validation.conditions_par_niveau(user)]
    if _voit(user, Application.FACTURES_TRAVAUX):
        filtres = visibilite_travaux.filtres_resolus(user)
        for role, role_travaux in (
            ("FOURNISSEUR", RoleTravaux.FOURNISSEUR),
            ("MOE", RoleTravaux.MOE),
            ("MOA", RoleTravaux.MOA),
        ):
            pieces = PieceTravaux.objects.filter(filtres[role_travaux]).values("facture_id")
            roles[role].append(Branche(Q(pk__in=pieces) & ~Q(statut=StatutFacture.BROUILLON)))
    return roles


def _visibles(user, role):
    """The branches of the search: whose union is what the account sees (as `role` when given)."""
    if role:
        return _par_role(user)[role]
    return [branche for groupe in _par_role(user).values() for branche in groupe]


def _compter(base, branches, *, compteurs):
    """The exact size of the union of the branches within `base` (the search's criteria), each invoice once,
    without reading the union: each branch counts its invoices that no branch before it holds, a test of the row's
    own columns against their conditions (a UNION of the ids hashed every invoice of the account: 6.8 s at 10 M for a
    commune that receives 1.5 M). Unfiltered (`compteurs`), the supplier's and recipient's spaces, the large ones,
    come first and take their sizes from the counters, less what they share with the ones before them, which the
    planner counts on the smaller side. Every count is one part of a single UNION ALL (one query, one plan, where a
    query per branch cost a round trip and the ORM's compilation each: 12 queries per call at 10 M)."""
    parties, signes, avant = [], [], None
    for branche in sorted(branches, key=lambda b: not (compteurs and b.compteurs is not None)):
        qs = base.filter(branche.condition)
        if compteurs and branche.compteurs is not None:
            parties.append(_partie(branche.compteurs, len(parties), Sum("nombre")))
            signes.append(1)
            if avant is not None:
                parties.append(_partie(qs.filter(avant), len(parties), Count("pk")))
                signes.append(-1)
        else:
            parties.append(_partie(qs.exclude(avant) if avant is not None else qs, len(parties), Count("pk")))
            signes.append(1)
        avant = branche.condition if avant is None else avant | branche.condition
    if not parties:
        return 0
    # a part whose condition can match nothing (an empty list of ids) is left out of the UNION: it counts 0
    return sum(signes[rang] * int(n or 0) for rang, n in parties[0].union(*parties[1:], all=True))


def _partie(qs, rang, agregat):
    """SELECT <rang>, <agregat> FROM … WHERE …: one row (no GROUP BY on a constant), a part of `_compter`'s UNION."""
    return (
        qs.order_by()
        .annotate(rang=Value(rang, IntegerField()))
        .values("rang")
        .annotate(n=agregat)
        .values_list("rang", "n")
    )


def _archivees(user, role):
    # Only invoices outside the works circuit are archived: a supplier or a recipient finds them, no other role.
    cotes = {"FOURNISSEUR": ["emises"], "DESTINATAIRE": ["recues"], None: ["emises", "recues"]}.get(role, [])
    return [archives.archives(user, cote) for cote in cotes]


def _union(manager, branches):
    """The ids of the branches' invoices, each once, to be counted: a UNION, each branch one structure-scoped
    semi-join (an index on the structure's column), where an OR of them would make the database read every invoice.
    Counted as such, not as the invoices whose id is in it (the semi-join cost 45–63 → 37 ms at 200 000 invoices)."""
    if not branches:
        return manager.none()
    ids = [qs.order_by().values("pk") for qs in branches]
    return ids[0].union(*ids[1:]) if len(ids) > 1 else ids[0]


def _lecteur_de_page(manager, branches):
    """Reads a page of the union without sorting the union (chorus.pagination.page_par_branches): each branch gives
    its first `fin` ids on its own index, and the page is sorted from those few; when every branch ran out before
    `fin`, the ids read are the whole union: its total, without a COUNT."""
    lecture = manager.select_related(*LIENS_DEMANDE).only(*COLONNES_DEMANDE)
    return lambda ordre, debut, fin: page_par_branches(branches, lecture, ordre, debut, fin)


STRUCTURES = {
    "structureDestinataire": ("Destinataire", ("destinataire_id",)),
    "structureFournisseur": ("Fournisseur", ("fournisseur_id",)),
    "structureMoa": ("Moa", ("piece_travaux__dossier__moa_id",)),
    "structureMoe": ("Moe", ("piece_travaux__dossier__moe_id",)),
    "structureValideur": ("Valideur", ("valideur_1_id", "valideur_2_id")),
}
SERVICES_FILTRES = {
    "idServiceDestinataire": "service_destinataire_id",
    "idServiceFournisseur": "service_fournisseur_id",
    "idServiceMoa": "piece_travaux__dossier__service_moa_id",
    "idServiceMoe": "piece_travaux__dossier__service_moe_id",
}
TEXTES = {
    "numeroFacture": "numero",
    "numeroBonCommande": "numero_engagement",
    "numeroMarche": "numero_marche",
    "numeroDpMandat": "numero_mandat",
    "numeroFactureOrigine": "numero_facture_origine",
    "numeroDossierFacturation": "piece_travaux__dossier__numero",
}
MONTANTS = {
    "montantHTMin": "total_ht__gte",
    "montantHTMax": "total_ht__lte",
    "montantTTCMin": "total_ttc__gte",
    "montantTTCMax": "total_ttc__lte",
    "montantAPayerMin": "net_a_payer__gte",
    "montantAPayerMax": "net_a_payer__lte",
}
JOURS = {
    "periodeDateDepotDu": "deposee_le__depuis_le",
    "periodeDateDepotAu": "deposee_le__jusqu_au",
    "periodeDateFournisseurDu": "date_facture__gte",
    "periodeDateFournisseurAu": "date_facture__lte",
    "periodeDateHeureEtatCourantDu": "statut_depuis__depuis_le",
    "periodeDateHeureEtatCourantAu": "statut_depuis__jusqu_au",
}
TRIS_DEMANDE = {
    **TRIS,
    "NumeroDemandePaiement": ("numero",),
    "DateFournisseur": ("date_facture",),
    "MontantHT": ("total_ht",),
    "MontantAPayer": ("net_a_payer",),
}


def _choix(corps, cle, valeurs):
    valeur = champ(corps, cle, type_=str)
    if valeur is not None and valeur not in valeurs:
        raise ErreurDonnees(f"{cle} : « {valeur} » inconnu ({', '.join(valeurs)}).", champ=cle)
    return valeur


def _filtre_structure(qs, corps, cle, suffixe, chemins, *, siren=False):
    bloc = corps.get(cle)
    if bloc in (None, {}):
        return qs
    if not isinstance(bloc, dict):
        raise ErreurDonnees(f"{cle} : un objet est attendu.", champ=cle)
    pk = champ(bloc, f"idStructure{suffixe}", type_=int)
    identifiant = champ(bloc, f"identifiantStructure{suffixe}", type_=str)
    type_identifiant = champ(bloc, f"typeIdentifiantStructure{suffixe}", type_=str)
    if type_identifiant is not None and type_identifiant not in TypeIdentifiant.values:
        raise ErreurDonnees(
            f"{cle}.typeIdentifiantStructure{suffixe} : « {type_identifiant} » inconnu.",
            champ=f"{cle}.typeIdentifiantStructure{suffixe}",
        )
    condition = Q()
    if pk is not None:
        condition &= Q(pk=pk)
    if identifiant is not None:
        compact = "".join(identifiant.split())
        # rechercheSiren*: every establishment of the company whose SIRET is given
        condition &= Q(identifiant__startswith=compact[:9]) if siren else Q(identifiant=compact)
    if type_identifiant is not None:
        condition &= Q(type_identifiant=type_identifiant)
    if not condition:
        return qs
    structures = Structure.objects.filter(condition).values("pk")
    filtre = Q()
    for chemin in chemins:
        filtre |= Q(**{f"{chemin}__in": structures})
    return qs.filter(filtre)


def _montant(corps, cle):
    valeur = corps.get(cle)
    if valeur in (None, ""):
        return None
    if isinstance(valeur, bool) or not isinstance(valeur, int | float):
        raise ErreurDonnees(f"{cle} : un montant est attendu.", champ=cle)
    return valeur


def _criteres(qs, corps):
    if statuts := statuts_demandes(corps):
        qs = qs.filter(statut__in=statuts)
    if cadre := cadre_demande(corps):
        qs = qs.filter(cadre=cadre)
    if type_facture := _choix(corps, "typeFacture", ("FACTURE", "AVOIR")):
        qs = qs.filter(type_facture=type_facture)
    if type_demande := _choix(corps, "typeDemandePaiement", TYPES_DEMANDE_PAIEMENT):
        travaux = Q(cadre__in=CADRES_TRAVAUX)
        qs = qs.filter(travaux if type_demande == "FACTURE_TRAVAUX" else ~travaux)
    if type_piece := _choix(corps, "typeFactureTravaux", tuple(listes_travaux.TYPES_DE_PIECE)):
        qs = qs.filter(cadre__in=listes_travaux.TYPES_DE_PIECE[type_piece])
    for cle, chemin in TEXTES.items():
        if valeur := champ(corps, cle, type_=str):
            qs = qs.filter(**{chemin: valeur.strip()})
    for cle, chemin in SERVICES_FILTRES.items():
        if (valeur := champ(corps, cle, type_=int)) is not None:
            qs = qs.filter(**{chemin: valeur})
    for cle, filtre in MONTANTS.items():
        if (valeur := _montant(corps, cle)) is not None:
            qs = qs.filter(**{filtre: valeur})
    for cle, filtre in JOURS.items():
        if (jour := _jour(corps, cle)) is not None:
            qs = qs.filter(**{filtre: jour})
    for cle, (suffixe, chemins) in STRUCTURES.items():
        siren = corps.get(f"rechercheSiren{suffixe}") is True
        qs = _filtre_structure(qs, corps, cle, suffixe, chemins, siren=siren)
    return qs


def _piece(facture):
    try:
        return facture.piece_travaux
    except Facture.piece_travaux.RelatedObjectDoesNotExist:
        return None


def _ligne_demande(f):
    piece = _piece(f)
    dossier = piece.dossier if piece else None
    return {
        "idDemandePaiement": f.pk,
        "numeroDemandePaiement": f.numero,
        "typeDemandePaiement": _type_demande(f),
        "typeFacture": f.type_facture,
        "typeFactureTravaux": listes_travaux.type_de_piece(f.cadre) if f.cadre in CADRES_TRAVAUX else "",
        "cadreFacturation": CADRE_API.get(f.cadre, f.cadre),
        "dpOuDpArchive": "DP_ARCHIVE" if f.archivee else "DEMANDE_PAIEMENT",
        "etatCourant": f.statut,
        "dateHeureEtatCourant": date_api(f.statut_depuis),
        "dateDepot": date_api(f.deposee_le),
        "dateFournisseur": date_api(f.date_facture),
        "idStructureFournisseur": f.fournisseur_id,
        "identifiantStructureFournisseur": f.fournisseur.identifiant,
        "idServiceFournisseur": f.service_fournisseur_id,
        "idStructureDestinataire": f.destinataire_id,
        "identifiantStructureDestinataire": f.destinataire.identifiant,
        "idServiceDestinataire": f.service_destinataire_id,
        "codeServiceDestinataire": _code(f.service_destinataire),
        "nomServiceDestinataire": _nom(f.service_destinataire),
        "idStructureValideur1": f.valideur_1_id,
        "idStructureValideur2": f.valideur_2_id,
        "idDossierFacturation": dossier.pk if dossier else None,
        "numeroDossierFacturation": dossier.numero if dossier else "",
        "idStructureMoa": dossier.moa_id if dossier else None,
        "idServiceMoa": dossier.service_moa_id if dossier else None,
        "idStructureMoe": dossier.moe_id if dossier else None,
        "idServiceMoe": dossier.service_moe_id if dossier else None,
        "montantHT": montant_api(f.total_ht, f.devise),
        "montantTTC": montant_api(f.total_ttc, f.devise),
        "montantAPayer": montant_api(f.net_a_payer, f.devise),
        "numeroBonCommande": f.numero_engagement,
        "numeroMarche": f.numero_marche,
        "numeroDpMandat": f.numero_mandat,
        "numeroFactureOrigine": f.numero_facture_origine,
    }


def _structure_param(cle, suffixe):
    return {
        cle: objet(
            {
                f"idStructure{suffixe}": {"type": "integer"},
                f"identifiantStructure{suffixe}": {"type": "string"},
                f"typeIdentifiantStructure{suffixe}": {"type": "string", "enum": list(TypeIdentifiant.values)},
            }
        )
    }


# The relations and columns `_ligne_demande` reads, and no others (an invoice has about 80 columns, a structure about
# 40; the ORM pays for each selected column on every call): the supplier's service is only an id.
LIENS_DEMANDE = ("fournisseur", "destinataire", "service_destinataire", "piece_travaux__dossier")
COLONNES_DEMANDE = (
    "numero",
    "cadre",
    "type_facture",
    "archivee",
    "statut",
    "statut_depuis",
    "deposee_le",
    "date_facture",
    "fournisseur__identifiant",
    "service_fournisseur_id",
    "destinataire__identifiant",
    "service_destinataire__code",
    "service_destinataire__libelle",
    "valideur_1_id",
    "valideur_2_id",
    "piece_travaux__dossier__numero",
    "piece_travaux__dossier__moa_id",
    "piece_travaux__dossier__service_moa_id",
    "piece_travaux__dossier__moe_id",
    "piece_travaux__dossier__service_moe_id",
    "total_ht",
    "total_ttc",
    "net_a_payer",
    "devise",
    "numero_engagement",
    "numero_marche",
    "numero_mandat",
    "numero_facture_origine",
)


class RechercherDemandePaiement(ServiceCpro):
    """Toutes les demandes de paiement que voit le compte technique, factures et pièces de travaux ensemble : comme
    fournisseur (factures émises, pièces déposées), destinataire (factures reçues), valideur (factures à valider),
    maîtrise d'œuvre ou maîtrise d'ouvrage (pièces de ses dossiers) — `roleUtilisateur` en retient un. `dpOuDpArchive`
    DEMANDE_PAIEMENT (par défaut) cherche dans la base vivante, DP_ARCHIVE parmi les factures archivées (closes
    depuis plus de deux ans) que le compte a émises ou reçues. Pagination sous `paramRecherche`."""

    lecture_seule = True  # a search: outside the request's transaction (vues.ServiceCpro)

    requete = objet(
        {
            "dpOuDpArchive": {"type": "string", "enum": list(DP_OU_ARCHIVE)},
            "roleUtilisateur": {"type": "string", "enum": list(ROLES)},
            "typeDemandePaiement": {"type": "string", "enum": list(TYPES_DEMANDE_PAIEMENT)},
            "typeFactureTravaux": {"type": "string", "enum": list(listes_travaux.TYPES_DE_PIECE)},
            "typeFacture": {"type": "string", "enum": ["FACTURE", "AVOIR"]},
            "cadreFacturation": {"type": "string"},
            "statutCourant": {"type": "string"},
            **{cle: {"type": "string"} for cle in TEXTES},
            **{cle: {"type": "integer"} for cle in SERVICES_FILTRES},
            **{cle: {"type": "number"} for cle in MONTANTS},
            **{cle: {"type": "string", "format": "date"} for cle in JOURS},
            "rechercheSirenDestinataire": {"type": "boolean"},
            "rechercheSirenFournisseur": {"type": "boolean"},
            **{k: v for cle, (suffixe, _) in STRUCTURES.items() for k, v in _structure_param(cle, suffixe).items()},
            **pagination("paramRecherche"),
        }
    )
    reponse = {
        "listeDemandePaiement": liste(
            {
                "idDemandePaiement": {"type": "integer"},
                "numeroDemandePaiement": {"type": "string"},
                "typeDemandePaiement": {"type": "string", "enum": list(TYPES_DEMANDE_PAIEMENT)},
                "dpOuDpArchive": {"type": "string", "enum": list(DP_OU_ARCHIVE)},
                "etatCourant": {"type": "string"},
                "idStructureFournisseur": {"type": "integer"},
                "idStructureDestinataire": {"type": "integer"},
                "numeroDossierFacturation": {"type": "string"},
                "montantTTC": {"type": "number"},
            }
        ),
        **PARAMETRES_RETOUR,
    }

    def traiter(self, request, corps):
        archive = _choix(corps, "dpOuDpArchive", DP_OU_ARCHIVE) == "DP_ARCHIVE"
        role = _choix(corps, "roleUtilisateur", ROLES)
        if archive:
            manager, total = Facture.tous, None
            branches = [_criteres(qs, corps) for qs in _archivees(request.user, role)]
        else:
            manager, base = Facture.objects, _criteres(Facture.objects.all(), corps)
            visibles = _visibles(request.user, role)
            branches = [base.filter(b.condition) for b in visibles]
            # with no criterion but the role, the counters give the large spaces' sizes
            seul_role = {cle: valeur for cle, valeur in corps.items() if cle != "roleUtilisateur"}
            compteurs = sans_critere(seul_role, self.requete, "paramRecherche")
            total = lambda: _compter(base, visibles, compteurs=compteurs)  # noqa: E731
        lignes, parametres = paginer(
            corps,
            "paramRecherche",
            _union(manager, branches),
            TRIS_DEMANDE,
            "DateDepot",
            total=total,
            lire_page=_lecteur_de_page(manager, branches),
        )
        reponse = {"listeDemandePaiement": [_ligne_demande(f) for f in lignes], "parametresRetour": parametres}
        return _sans_resultat(reponse, lignes)


SERVICES = [
    (
        "cpro/factures/v1/corriger/valideur/facture",
        CorrigerValideurFacture,
        "api_factures_corriger_valideur",
    ),
    (
        "cpro/factures/v1/rechercher/demandePaiement",
        RechercherDemandePaiement,
        "api_factures_rechercher_demande_paiement",
    ),
    (
        "cpro/factures/v1/rechercher/atraiter/fournisseur",
        RechercherFactureATraiterParFournisseur,
        "api_factures_a_traiter_fournisseur",
    ),
    (
        "cpro/factures/v1/rechercher/atraiter/recipiendaire",
        RechercherFactureATraiterParRecipiendaire,
        "api_factures_a_traiter_recipiendaire",
    ),
    (
        "cpro/factures/v1/rechercher/atraiter/valideur",
        RechercherFactureATraiterParValideur,
        "api_factures_a_traiter_valideur",
    ),
    (
        "cpro/factures/v1/recuperer/statutsFactureVisibles/valideur",
        RecupererStatutsFactureVisiblesParValideur,
        "api_factures_statuts_visibles_valideur",
    ),
]
