"""The validator's services of `factures/v1/…` (chorus-pro-api.md §2.1), the works pieces of `facturesTravaux/v1/…`
(§2.2) and the public-recipient directory of `transverses/v1/…` (§2.5), each through the portal's own selectors and
services as the account's technical user: the « Factures à valider » space, the works visibility rule
(travaux.selectors.visibilite) and refusal table (travaux_refus.csv, canal SERVICE), the « Annuaire » pages.

The refusal motifs refuser accepts are listed by `transverses/v1/recuperer/motifs/refus/Facture/AValider`
(raccordement/api/referentiels.py); a validator's motif (A9, A12) is free text (facturation.forms.decision)."""

import base64
import io
import zipfile
from datetime import date

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from chorus.exceptions import ApplicationError
from chorus.workflow import TransitionInterdite
from facturation.enums import StatutFacture
from facturation.selectors import validation as selecteurs_validation
from facturation.services import validation as services_validation
from facturation.services.traitement import facture_traiter
from facturation.workflow import CADRES_TRAVAUX
from organisation.annuaire_fichiers import morceaux_xml
from organisation.models import Structure
from organisation.selectors import annuaire
from raccordement.api import enveloppe
from raccordement.api.factures import TRIS, facture_complete, sans_critere
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
from raccordement.api.vues import ErreurDonnees, ServiceCpro, champ
from travaux import refus
from travaux.enums import CanalDepot, RoleTravaux
from travaux.models import PieceTravaux
from travaux.selectors import listes
from travaux.services.refus import PieceNonAccessible, peut_agir, piece_refuser
from travaux.views.dossier.lecture import piece_ou_404

# --- common reading helpers ----------------------------------------------------------------------------------------


def _jour(corps, cle):
    valeur = champ(corps, cle, type_=str)
    if valeur is None:
        return None
    try:
        # Pastell sends « 2022-01-07T23:59:59 »: the day is what the portal filters on
        return date.fromisoformat(valeur[:10])
    except ValueError:
        raise ErreurDonnees(f"{cle} : date AAAA-MM-JJ attendue, pas « {valeur} ».", champ=cle) from None


def _booleen(corps, cle):
    valeur = corps.get(cle)
    if valeur is None:
        return None
    if not isinstance(valeur, bool):
        raise ErreurDonnees(f"{cle} : true ou false est attendu.", champ=cle)
    return valeur


def _partie(structure, service=None):
    if structure is None:
        return None
    return {
        "idStructure": structure.pk,
        "identifiant": structure.identifiant,
        "typeIdentifiant": structure.type_identifiant,
        "raisonSociale": structure.raison_sociale,
        "codeService": service.code if service else "",
    }


def _type_demande(facture):
    return "FACTURE_TRAVAUX" if facture.cadre in CADRES_TRAVAUX else "FACTURE"


def _historique(facture):
    return {
        "histoStatut": [
            {
                "histoStatutCode": h.vers_statut,
                "histoStatutDatePassage": date_api(h.le),
                "histoStatutCommentaire": " — ".join(x for x in (h.motif, h.commentaire) if x),
                "histoStatutUtilisateurNom": h.par.nom if h.par else "",
                "histoStatutUtilisateurPrenom": h.par.prenom if h.par else "",
            }
            for h in facture.historique.all()
        ]
    }


# --- factures/v1: the validator ------------------------------------------------------------------------------------

FACTURE_A_VALIDER = {
    "idFacture": {"type": "integer"},
    "numeroFacture": {"type": "string"},
    "statut": {"type": "string"},
    "typeDemandePaiement": {"type": "string", "enum": ["FACTURE", "FACTURE_TRAVAUX"]},
    "idFournisseur": {"type": "integer"},
    "identifiantFournisseur": {"type": "string"},
    "idDestinataire": {"type": "integer"},
    "idValideur": {"type": "integer"},
    "montantTTC": {"type": "number"},
    "devise": {"type": "string"},
}


def sans_les_valideurs(qs):
    """A validator list's rows without the joins of their two validators and delegation: read by `avec_les_valideurs`
    in one small query on the page's ids. Joined, the page's query had nine relations and PostgreSQL took 34–63 ms to
    plan it at 200 000 invoices (EXPLAIN, 6 plans) for 0.3 ms of execution; without them, 1.1–1.6 ms."""
    return qs.select_related(None).select_related("fournisseur", "destinataire", "service_destinataire")


def avec_les_valideurs(lignes):
    """The validator structures of a page's rows, by one query (none when no row has one)."""
    ids = {i for f in lignes for i in (f.valideur_1_id, f.valideur_2_id) if i is not None}
    colonnes = ("identifiant", "type_identifiant", "raison_sociale")  # what _ligne_valideur reads
    structures = Structure.objects.only(*colonnes).in_bulk(ids) if ids else {}
    for f in lignes:
        for champ_, id_ in (("valideur_1", f.valideur_1_id), ("valideur_2", f.valideur_2_id)):
            if id_ is not None:
                setattr(f, champ_, structures[id_])
    return lignes


def _ligne_valideur(f):
    valideur = selecteurs_validation.structure_en_attente(f)
    service = f.service_destinataire
    return {
        "idFacture": f.pk,
        "numeroFacture": f.numero,
        "statut": f.statut,
        "typeDemandePaiement": _type_demande(f),
        "typeFacture": f.type_facture,
        "cadreFacturation": CADRE_API.get(f.cadre, f.cadre),
        "dateDepot": date_api(f.deposee_le),
        "dateFacture": date_api(f.date_facture),
        "dateHeureEtatCourant": date_api(f.statut_depuis),
        "idFournisseur": f.fournisseur_id,
        "identifiantFournisseur": f.fournisseur.identifiant,
        "typeIdentifiantFournisseur": f.fournisseur.type_identifiant,
        "designationFournisseur": f.fournisseur.raison_sociale,
        "idDestinataire": f.destinataire_id,
        "identifiantDestinataire": f.destinataire.identifiant,
        "typeIdentifiantDestinataire": f.destinataire.type_identifiant,
        "designationDestinataire": f.destinataire.raison_sociale,
        "idServiceExecutant": service.pk if service else None,
        "codeServiceExecutant": service.code if service else "",
        "nomServiceExecutant": service.libelle if service else "",
        "idValideur": valideur.pk if valideur else None,
        "identifiantValideur": valideur.identifiant if valideur else "",
        "typeIdentifiantValideur": valideur.type_identifiant if valideur else "",
        "designationValideur": valideur.raison_sociale if valideur else "",
        "numeroEngagement": f.numero_engagement,
        "numeroMarche": f.numero_marche,
        "montantHT": montant_api(f.total_ht, f.devise),
        "montantTTC": montant_api(f.total_ttc, f.devise),
        "montantAPayer": montant_api(f.net_a_payer, f.devise),
        "devise": f.devise,
    }


def _sans_resultat(reponse, lignes, code=enveloppe.AUCUN_RESULTAT):
    if not lignes:
        reponse.update(codeRetour=code, libelle=enveloppe.LIBELLE_AUCUN_RESULTAT)
    return reponse


class RechercherFactureParValideur(ServiceCpro):
    """Les factures que le compte technique valide (sous-traitance, cotraitance, délégation de validation) : celles
    de l'espace « Factures à valider » du portail, au premier niveau, ou au second une fois le premier passé.
    `numeroFacture` cherche une partie du numéro, comme le portail ; pagination sous `pagination`."""

    lecture_seule = True  # a search: outside the request's transaction (vues.ServiceCpro)

    requete = objet(
        {
            "numeroFacture": {"type": "string"},
            "statutCourant": {"type": "array", "items": {"type": "string"}},
            "cadreFacturation": {"type": "string"},
            "typeFacture": {"type": "string", "enum": ["FACTURE", "AVOIR"]},
            "typeDemandePaiement": {"type": "string", "enum": ["FACTURE", "FACTURE_TRAVAUX"]},
            "idFournisseur": {"type": "integer"},
            "idDestinataire": {"type": "integer"},
            "idServiceExecutant": {"type": "integer"},
            "idStructureValideur": {"type": "integer"},
            "periodeDateDepotDu": {"type": "string", "format": "date"},
            "periodeDateDepotAu": {"type": "string", "format": "date"},
            **pagination("pagination"),
        }
    )
    reponse = {"listeFactures": liste(FACTURE_A_VALIDER), **PARAMETRES_RETOUR}

    def traiter(self, request, corps):
        def filtrer(qs):
            if statuts := statuts_demandes(corps):
                qs = qs.filter(statut__in=statuts)
            if type_facture := champ(corps, "typeFacture", type_=str):
                qs = qs.filter(type_facture=type_facture)
            if type_demande := champ(corps, "typeDemandePaiement", type_=str):
                if type_demande not in ("FACTURE", "FACTURE_TRAVAUX"):
                    raise ErreurDonnees(
                        f"typeDemandePaiement : « {type_demande} » inconnu (FACTURE, FACTURE_TRAVAUX).",
                        champ="typeDemandePaiement",
                    )
                travaux = Q(cadre__in=CADRES_TRAVAUX)
                qs = qs.filter(travaux if type_demande == "FACTURE_TRAVAUX" else ~travaux)
            for cle, filtre in (
                ("idFournisseur", "fournisseur_id"),
                ("idDestinataire", "destinataire_id"),
                ("idServiceExecutant", "service_destinataire_id"),
            ):
                if (valeur := champ(corps, cle, type_=int)) is not None:
                    qs = qs.filter(**{filtre: valeur})
            if (valideur := champ(corps, "idStructureValideur", type_=int)) is not None:
                qs = qs.filter(Q(valideur_1_id=valideur) | Q(valideur_2_id=valideur))
            return sans_les_valideurs(qs)

        liste = selecteurs_validation.rechercher_en_pages(
            request.user,
            filtrer,
            numero=champ(corps, "numeroFacture", type_=str, defaut=""),
            cadre=cadre_demande(corps) or "",
            du=_jour(corps, "periodeDateDepotDu"),
            au=_jour(corps, "periodeDateDepotAu"),
        )
        # no criterion: the total is the validators' counters (selectors.validation.nombre), not a COUNT
        sans_filtre = sans_critere(corps, self.requete, "pagination")
        total = (lambda: selecteurs_validation.nombre(request.user)) if sans_filtre else None
        lignes, parametres = paginer(corps, "pagination", liste, TRIS, "DateDepot", total=total, lire_page=liste.lire)
        reponse = {
            "listeFactures": [_ligne_valideur(f) for f in avec_les_valideurs(lignes)],
            "parametresRetour": parametres,
        }
        return _sans_resultat(reponse, lignes)


class ConsulterFactureParValideur(ServiceCpro):
    """Une facture à valider, complète (cadre et valideurs, parties, références, lignes, TVA, montants, pièces
    jointes), si le compte technique en est valideur ; sinon elle est introuvable."""

    requete = objet({"identifiantFactureCPP": {"type": "integer"}, "idFacture": {"type": "integer"}})
    reponse = {
        "identifiantFactureCPP": {"type": "integer"},
        "numeroFacture": {"type": "string"},
        "statutCourant": {"type": "string"},
        "cadreDeFacturation": objet(),
    }

    def traiter(self, request, corps):
        pk = identifiant_demande(corps, "identifiantFactureCPP", "idFacture")
        return facture_complete(selecteurs_validation.facture_detail_ou_404(request.user, pk))


# traiterFactureAValider's processing actions → the status the delegate's « droit de traitement » gives
# (facturation/regles/traitements_recus.csv, acteur « valideur delegue traitement »)
ACTIONS_TRAITEMENT = {
    "MISE_EN_PAIEMENT": StatutFacture.MISE_EN_PAIEMENT,
    "MISE_EN_RECYCLAGE": StatutFacture.A_RECYCLER,
    "SUSPENSION": StatutFacture.SUSPENDUE,
    "REJET": StatutFacture.REJETEE,
}
ACTIONS_A_VALIDER = ("VALIDATION", "REFUS", *ACTIONS_TRAITEMENT)


def _erreur_api(erreur, correspondances):
    """A service's refusal naming its own field becomes a 400 naming the request's field."""
    if isinstance(erreur, TransitionInterdite) or erreur.champ not in correspondances:
        return erreur
    return ErreurDonnees(erreur.message, champ=correspondances[erreur.champ])


class TraiterFactureAValider(ServiceCpro):
    """Le valideur répond : VALIDATION (la facture part aussitôt au second valideur, à la maîtrise d'œuvre ou au
    destinataire) ou REFUS (`motifRefus` obligatoire, « Refusée par niveau 1/2 », définitif). Le valideur délégué
    avec droit de traitement traite aussi la facture à la place du destinataire : MISE_EN_PAIEMENT,
    MISE_EN_RECYCLAGE, SUSPENSION et REJET (`motifRefus` obligatoire pour ces deux-là). `complementInfo` figure dans
    l'historique. Une action que le statut ou les droits ne permettent pas répond 409."""

    requete = objet(
        {
            "idFacture": {"type": "integer"},
            "action": {"type": "string", "enum": list(ACTIONS_A_VALIDER)},
            "motifRefus": {"type": "string"},
            "complementInfo": {"type": "string"},
        },
        ["idFacture", "action"],
    )
    reponse = {
        "idFacture": {"type": "integer"},
        "numeroFacture": {"type": "string"},
        "statutFacture": {"type": "string"},
        "dateTraitement": {"type": "string"},
    }

    def traiter(self, request, corps):
        pk = identifiant_demande(corps, "idFacture")
        action = champ(corps, "action", type_=str, obligatoire=True)
        if action not in ACTIONS_A_VALIDER:
            raise ErreurDonnees(f"action : « {action} » inconnue ({', '.join(ACTIONS_A_VALIDER)}).", champ="action")
        motif = champ(corps, "motifRefus", type_=str, defaut="")
        commentaire = champ(corps, "complementInfo", type_=str, defaut="")
        facture = selecteurs_validation.facture_ou_404(request.user, pk)
        try:
            if action == "VALIDATION":
                historique = services_validation.facture_valider(
                    facture=facture, par=request.user, commentaire=commentaire
                )
            elif action == "REFUS":
                historique = services_validation.facture_refuser(
                    facture=facture, par=request.user, motif=motif, commentaire=commentaire
                )
            else:
                historique = facture_traiter(
                    facture=facture,
                    par=request.user,
                    statut_cible=ACTIONS_TRAITEMENT[action],
                    motif=motif,
                    commentaire=commentaire,
                )
        except ApplicationError as erreur:
            raise _erreur_api(erreur, {"motif": "motifRefus", "commentaire": "complementInfo"}) from None
        return {
            "idFacture": facture.pk,
            "numeroFacture": facture.numero,
            "statutFacture": facture.statut,
            "dateTraitement": date_api(historique.le),
        }


# --- facturesTravaux/v1 --------------------------------------------------------------------------------------------

# chorus-pro-api.md §1 (PASTELL): « 20007 : GFT_MSG_01.075 - La recherche n'a retourné aucun résultat »
AUCUN_RESULTAT_TRAVAUX = 20007
ROLES_API = {"FOURNISSEUR": RoleTravaux.FOURNISSEUR, "MOE": RoleTravaux.MOE, "MOA": RoleTravaux.MOA}
ROLE_API_DU_ROLE = {role.value: nom for nom, role in ROLES_API.items()}
# The deposit, the status date and the status are the piece's own keys (travaux migration 0003): sorted on the index
# of the party, without reading the invoices.
TRIS_TRAVAUX = {
    "DateDepot": ("deposee_le",),
    "NumeroFactureTravaux": ("facture__numero",),
    "NumeroDossierFacturation": ("dossier__numero",),
    "DateHeureEtatCourant": ("statut_depuis",),
    "Statut": ("statut_facture",),
    "MontantTtc": ("facture__total_ttc",),
}
FACTURE_TRAVAUX = {
    "idFactureTravaux": {"type": "integer"},
    "numeroFactureTravaux": {"type": "string"},
    "numeroDossierFacturation": {"type": "string"},
    "cadreFacturation": {"type": "string"},
    "statutFactureTravaux": {"type": "string"},
    "identifiantFournisseur": {"type": "string"},
    "idDestinataire": {"type": "integer"},
    "montantTTC": {"type": "number"},
}
ID_FACTURE_TRAVAUX = {"idFactureTravaux": {"type": "integer"}}


def _role(corps):
    valeur = champ(corps, "roleUtilisateur", type_=str)
    if valeur is None:
        return None
    if valeur not in ROLES_API:
        raise ErreurDonnees(
            f"roleUtilisateur : « {valeur} » inconnu ({', '.join(ROLES_API)}).", champ="roleUtilisateur"
        )
    return ROLES_API[valeur]


def _ligne_travaux(piece):
    f, dossier = piece.facture, piece.dossier
    service = dossier.service_moa
    return {
        "idFactureTravaux": f.pk,
        "numeroFactureTravaux": f.numero,
        "idDossierFacturation": dossier.pk,
        "numeroDossierFacturation": dossier.numero,
        "cadreFacturation": CADRE_API.get(f.cadre, f.cadre),
        "typeFactureTravaux": listes.type_de_piece(f.cadre),
        "statutFactureTravaux": f.statut,
        "roleUtilisateur": ROLE_API_DU_ROLE.get(piece.role, ""),
        "dateFactureTravaux": date_api(f.date_facture),
        "dateDepot": date_api(f.deposee_le),
        "dateHeureEtatCourant": date_api(f.statut_depuis),
        "idFournisseur": dossier.fournisseur_id,
        "identifiantFournisseur": dossier.fournisseur.identifiant,
        "typeIdentifiantFournisseur": dossier.fournisseur.type_identifiant,
        "designationFournisseur": dossier.fournisseur.raison_sociale,
        "idMoe": dossier.moe_id,
        "identifiantMoe": dossier.moe.identifiant if dossier.moe else "",
        "designationMoe": dossier.moe.raison_sociale if dossier.moe else "",
        # the MOA is the works invoice's recipient
        "idDestinataire": dossier.moa_id,
        "identifiantDestinataire": dossier.moa.identifiant,
        "designationDestinataire": dossier.moa.raison_sociale,
        "idServiceExecutant": service.pk if service else None,
        "identifiantServiceExecutant": service.code if service else "",
        "montantHT": montant_api(f.total_ht, f.devise),
        "montantTTC": montant_api(f.total_ttc, f.devise),
        "devise": f.devise,
        "factureTelechargee": f.telechargee,
    }


class RechercherFactureTravaux(ServiceCpro):
    """Les pièces de travaux des dossiers où la structure du compte technique est fournisseur, maîtrise d'œuvre ou
    maîtrise d'ouvrage (la règle de visibilité du portail), filtrées par `roleUtilisateur` (FOURNISSEUR, MOE, MOA ;
    tous par défaut). Sans résultat : codeRetour 20007 (GFT_MSG_01.075)."""

    lecture_seule = True  # a search: outside the request's transaction (vues.ServiceCpro)

    requete = objet(
        {
            "roleUtilisateur": {"type": "string", "enum": list(ROLES_API)},
            "idDestinataire": {"type": "integer"},
            "idServiceExecutant": {"type": "integer"},
            "numeroDossierFacturation": {"type": "string"},
            "cadreFacturation": {"type": "string"},
            "statutCourant": {"type": "array", "items": {"type": "string"}},
            "periodeDateHeureEtatCourantDu": {"type": "string"},
            "periodeDateHeureEtatCourantAu": {"type": "string"},
            "flagTelecharge": {"type": "boolean"},
            **pagination("rechercheFactureTravaux"),
        }
    )
    reponse = {
        "codeRetour": {"type": "integer", "description": "0 si tout va bien ; 20007 : aucun résultat."},
        "listeFacturesTravaux": liste(FACTURE_TRAVAUX),
        **PARAMETRES_RETOUR,
    }

    def traiter(self, request, corps):
        role = _role(corps)
        criteres = {
            "role": role or "",
            "numero_dossier": champ(corps, "numeroDossierFacturation", type_=str, defaut=""),
            "cadre": cadre_demande(corps) or "",
        }
        qs = listes.rechercher(request.user, criteres, en_pages=True)
        if (destinataire := champ(corps, "idDestinataire", type_=int)) is not None:
            qs = qs.filter(id_moa=destinataire)
        if (service := champ(corps, "idServiceExecutant", type_=int)) is not None:
            qs = qs.filter(id_service_moa=service)
        if statuts := statuts_demandes(corps):
            qs = qs.filter(statut_facture__in=statuts)
        if du := _jour(corps, "periodeDateHeureEtatCourantDu"):
            qs = qs.filter(statut_depuis__depuis_le=du)
        if au := _jour(corps, "periodeDateHeureEtatCourantAu"):
            qs = qs.filter(statut_depuis__jusqu_au=au)
        if (telechargee := _booleen(corps, "flagTelecharge")) is not None:
            qs = qs.filter(telechargee=telechargee)
        # role by role (listes._par_role): the total comes with the page when every role's rows are fewer than it reads
        lire = getattr(qs, "lire", None)
        lignes, parametres = paginer(corps, "rechercheFactureTravaux", qs, TRIS_TRAVAUX, "DateDepot", lire_page=lire)
        lignes = listes.pour_la_page(lignes)  # the ids' page, loaded with what a row shows
        reponse = {"listeFacturesTravaux": [_ligne_travaux(p) for p in lignes], "parametresRetour": parametres}
        return _sans_resultat(reponse, lignes, AUCUN_RESULTAT_TRAVAUX)


def _piece_id(user, corps):
    """The visible piece whose invoice is `idFactureTravaux` (a draft, another's or a missing one: 404)."""
    pk = identifiant_demande(corps, "idFactureTravaux")
    piece_id = listes.pieces(user).filter(facture_id=pk).values_list("pk", flat=True).first()
    if piece_id is None:
        raise Http404("idFactureTravaux")
    return piece_id


def _reference(piece):
    if piece is None:
        return None
    return {"idFactureTravaux": piece.facture_id, "numeroFactureTravaux": piece.facture.numero}


def _suivante(piece):
    try:
        return piece.piece_suivante
    except PieceTravaux.DoesNotExist:
        return None


class ConsulterFactureTravaux(ServiceCpro):
    """Une pièce de travaux : son dossier de facturation, son cadre, son statut, les trois acteurs du dossier, les
    pièces précédente et suivante, ses lignes et montants, et l'historique de ses statuts."""

    requete = objet(ID_FACTURE_TRAVAUX, ["idFactureTravaux"])
    reponse = {
        **FACTURE_TRAVAUX,
        "historiquesDesStatuts": objet({"histoStatut": {"type": "array"}}),
    }

    def traiter(self, request, corps):
        piece = piece_ou_404(request.user, _piece_id(request.user, corps))
        f, dossier = piece.facture, piece.dossier
        return {
            **facture_complete(f),
            "idFactureTravaux": f.pk,
            "numeroFactureTravaux": f.numero,
            "idDossierFacturation": dossier.pk,
            "numeroDossierFacturation": dossier.numero,
            "numeroMarche": dossier.numero_marche,
            "cadreFacturation": CADRE_API.get(f.cadre, f.cadre),
            "typeFactureTravaux": listes.type_de_piece(f.cadre),
            "statutFactureTravaux": f.statut,
            "libelleStatutFactureTravaux": StatutFacture(f.statut).label,
            "roleDeposant": piece.role_deposant,
            "dateDepot": date_api(f.deposee_le),
            "dateHeureEtatCourant": date_api(f.statut_depuis),
            "fournisseur": _partie(dossier.fournisseur),
            "moe": _partie(dossier.moe, dossier.service_moe),
            "moa": _partie(dossier.moa, dossier.service_moa),
            "piecePrecedente": _reference(piece.piece_precedente),
            "pieceSuivante": _reference(_suivante(piece)),
            "historiquesDesStatuts": _historique(f),
        }


def _acteur(user, piece, role):
    """The actor the account refuses as: the one named, else the one holding the piece, as the portal's page
    chooses it (travaux.services.actions.actions_possibles)."""
    if role is not None:
        return role
    statut = piece.facture.statut
    agissants = [a for a in refus.ACTEURS if peut_agir(user, piece, a)]
    for acteur in agissants:
        if statut in refus.STATUTS_EN_MAIN[acteur]:
            return acteur
    if agissants:
        return agissants[0]  # the service then says why this status cannot be refused
    raise ApplicationError("Vous ne pouvez pas agir sur cette pièce.")


class RefuserFactureTravaux(ServiceCpro):
    """L'acteur qui détient la pièce la refuse avec un motif (`motifRefus`) : la maîtrise d'œuvre, la maîtrise
    d'ouvrage, ou le fournisseur pour le décompte général. Motifs acceptés par le service (table des refus,
    colonne API) : sur un A4, seulement « Mauvaise MOE » et « Mauvaise MOA » ; « Erreur de montant » est refusé
    avec « Le motif de refus indiqué ne correspond pas aux critères définis ». `roleUtilisateur` (MOE, MOA,
    FOURNISSEUR) choisit l'acteur quand la structure en tient plusieurs."""

    requete = objet(
        {
            **ID_FACTURE_TRAVAUX,
            "motifRefus": {"type": "string"},
            "commentaire": {"type": "string"},
            "roleUtilisateur": {"type": "string", "enum": list(ROLES_API)},
        },
        ["idFactureTravaux", "motifRefus"],
    )
    reponse = {
        "idFactureTravaux": {"type": "integer"},
        "numeroFactureTravaux": {"type": "string"},
        "statutFactureTravaux": {"type": "string"},
        "dateTraitement": {"type": "string"},
    }

    def traiter(self, request, corps):
        piece_id = _piece_id(request.user, corps)
        motif = champ(corps, "motifRefus", type_=str, obligatoire=True)
        commentaire = champ(corps, "commentaire", type_=str, defaut="")
        role = _role(corps)
        piece = listes.pour_liste(listes.pieces(request.user)).get(pk=piece_id)
        try:
            historique = piece_refuser(
                piece=piece,
                par=request.user,
                acteur=_acteur(request.user, piece, role),
                motif=motif,
                commentaire=commentaire,
                canal=CanalDepot.SERVICE,
            )
        except PieceNonAccessible:
            raise Http404("idFactureTravaux") from None
        except ApplicationError as erreur:
            raise _erreur_api(erreur, {"motif": "motifRefus", "commentaire": "commentaire"}) from None
        return {
            "idFactureTravaux": piece.facture_id,
            "numeroFactureTravaux": piece.facture.numero,
            "statutFactureTravaux": piece.facture.statut,
            "dateTraitement": date_api(historique.le),
        }


# --- transverses/v1: the public-recipient directory ----------------------------------------------------------------

TRIS_DESTINATAIRES = {"RaisonSociale": ("raison_sociale",), "Identifiant": ("identifiant",)}


class RechercherDestinataire(ServiceCpro):
    """L'annuaire des destinataires publics (structures publiques actives), comme la page « Annuaire » du portail :
    `identifiant` cherche dans le SIRET (un SIREN trouve ses établissements, les espaces sont ignorés) ou la raison
    sociale ; `nomVilleCodePostal` dans la raison sociale, la ville ou le code postal."""

    lecture_seule = True  # a search: outside the request's transaction (vues.ServiceCpro)

    requete = objet(
        {
            "identifiant": {"type": "string"},
            "nomVilleCodePostal": {"type": "string"},
            "typeStructure": {"type": "string", "enum": ["PUBLIQUE", "PRIVEE"]},
            **pagination("parametresRecherche"),
        }
    )
    reponse = {
        "listeDestinataires": liste(
            {
                "idStructureCPP": {"type": "integer"},
                "siret": {"type": "string"},
                "nomDestinataire": {"type": "string"},
            }
        ),
        **PARAMETRES_RETOUR,
    }

    def traiter(self, request, corps):
        qs = annuaire.annuaire_rechercher(champ(corps, "identifiant", type_=str, defaut=""))
        if texte := champ(corps, "nomVilleCodePostal", type_=str):
            texte = texte.strip()
            qs = qs.filter(
                Q(raison_sociale__icontains=texte) | Q(ville__icontains=texte) | Q(code_postal__startswith=texte)
            )
        type_structure = champ(corps, "typeStructure", type_=str)
        if type_structure not in (None, "PUBLIQUE", "PRIVEE"):
            raise ErreurDonnees(
                f"typeStructure : « {type_structure} » inconnu (PUBLIQUE, PRIVEE).", champ="typeStructure"
            )
        if type_structure == "PRIVEE":
            qs = qs.none()  # the directory lists public recipients only
        lignes, parametres = paginer(corps, "parametresRecherche", qs, TRIS_DESTINATAIRES, "RaisonSociale")
        reponse = {
            "listeDestinataires": [
                {
                    "idStructureCPP": s.pk,
                    "siret": s.identifiant,
                    "typeIdentifiantStructure": s.type_identifiant,
                    "nomDestinataire": s.raison_sociale,
                    "adresseCodePostal": s.code_postal,
                    "adresseVille": s.ville,
                    "nombreServicesActifs": s.nb_services,
                }
                for s in lignes
            ],
            "parametresRetour": parametres,
        }
        return _sans_resultat(reponse, lignes)


class TelechargerAnnuaireDestinataire(ServiceCpro):
    """L'annuaire complet des destinataires publics en un fichier : une archive ZIP (en base 64 dans
    `fichierResultat`) contenant le XML du portail (« Annuaire », téléchargement XML) : identifiant, raison sociale,
    adresse, paramètres d'acheminement et services actifs de chaque structure publique active."""

    requete = objet()
    reponse = {
        "fichierResultat": {"type": "string", "format": "byte"},
        "nomFichier": {"type": "string"},
    }

    def traiter(self, request, corps):
        nom = f"annuaire-destinataires-{timezone.localdate():%Y%m%d}.xml"
        tampon = io.BytesIO()
        with (
            zipfile.ZipFile(tampon, "w", compression=zipfile.ZIP_DEFLATED) as archive,
            archive.open(nom, "w") as fichier,
        ):
            # the portal's own XML writer, streamed into the archive chunk by chunk
            for morceau in morceaux_xml():
                fichier.write(morceau)
        return {
            "fichierResultat": base64.b64encode(tampon.getvalue()).decode("ascii"),
            "nomFichier": nom.removesuffix(".xml") + ".zip",
        }


SERVICES = [
    ("cpro/factures/v1/rechercher/valideur", RechercherFactureParValideur, "api_factures_rechercher_valideur"),
    ("cpro/factures/v1/consulter/valideur", ConsulterFactureParValideur, "api_factures_consulter_valideur"),
    ("cpro/factures/v1/traiter/factureAValider", TraiterFactureAValider, "api_factures_traiter_a_valider"),
    ("cpro/facturesTravaux/v1/rechercher", RechercherFactureTravaux, "api_factures_travaux_rechercher"),
    ("cpro/facturesTravaux/v1/consulter", ConsulterFactureTravaux, "api_factures_travaux_consulter"),
    ("cpro/facturesTravaux/v1/refuser", RefuserFactureTravaux, "api_factures_travaux_refuser"),
    ("cpro/transverses/v1/rechercher/destinataire", RechercherDestinataire, "api_rechercher_destinataire"),
    (
        "cpro/transverses/v1/telecharger/annuaire/destinataire",
        TelechargerAnnuaireDestinataire,
        "api_telecharger_annuaire_destinataire",
    ),
]
