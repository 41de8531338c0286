"""The works services of `facturesTravaux/v1/…` (chorus-pro-api.md §2.2) beyond rechercher, consulter and refuser
(raccordement.api.valideurs_travaux): the Synthèse « à traiter », the dossier de facturation, and the supplier's
follow-up of a works piece once it has reached the payer (complete a suspended one, recycle one to recycle).

Chorus Pro documents these services only by their 2017 path `factures/travaux/<x>` [CS17]; the reference notes they
presumably map to `facturesTravaux/v1/<x>` (the one PISTE path confirmed, `facturesTravaux/v1/rechercher`, has this
form), and that mapping is unverified: this module serves the v1 form.

Reads go through the works policy and the pages' own selectors (travaux.selectors.listes.synthese, the dossier page's
travaux.views.dossier.lecture); writes through the services the « Factures émises » pages call for a works piece at
the payer (facturation.services.suivi: transitions of facturation/regles/traitements_recus.csv), one transaction
each.

`facturesTravaux/v1/demander/recyclage` (demanderRecyclagePiecePrecedente): the MOE or the MOA holding a piece asks
the supplier to recycle the previous one, through the piece page's service (travaux.services.recyclage, rules in
travaux/regles/demande_recyclage.csv); the supplier then recycles it with `facturesTravaux/v1/recycler`."""

from django.core.files.base import ContentFile
from django.http import Http404

from chorus.exceptions import ApplicationError
from facturation.enums import StatutFacture
from facturation.models import PieceJointeFacture
from facturation.services.depot import DepotRefuse
from facturation.services.suivi import facture_completer, facture_recycler
from raccordement.api.factures_fournisseur import (
    CHEMIN_RECYCLAGE,
    ErreursSoumission,
    _bloc,
    _contenu,
    _pieces,
    _texte,
)
from raccordement.api.pagination import paginer
from raccordement.api.schema import PARAMETRES_RETOUR, liste, objet, pagination
from raccordement.api.valeurs import CADRE_API, date_api, identifiant_demande, montant_api, statuts_demandes
from raccordement.api.valideurs_travaux import (
    AUCUN_RESULTAT_TRAVAUX,
    FACTURE_TRAVAUX,
    ID_FACTURE_TRAVAUX,
    ROLES_API,
    TRIS_TRAVAUX,
    _booleen,
    _historique,
    _ligne_travaux,
    _partie,
    _piece_id,
    _role,
    _sans_resultat,
)
from raccordement.api.vues import ErreurDonnees, ServiceCpro, champ
from travaux.selectors import listes
from travaux.selectors.visibilite import dossiers_visibles
from travaux.services.recyclage import piece_demander_recyclage
from travaux.views.dossier.lecture import dossier_ou_404, pieces_en_ordre

# --- rechercherFactureTravauxATraiter -------------------------------------------------------------------------------


class RechercherFactureTravauxATraiter(ServiceCpro):
    """La Synthèse des factures de travaux : les pièces qui attendent la structure du compte technique, chacune
    selon son rôle dans le dossier (à la maîtrise d'œuvre celles mises à sa disposition ou prises en compte, à la
    maîtrise d'ouvrage celles mises à sa disposition, au fournisseur les décomptes généraux à signer), et les pièces
    refusées ou rejetées que la structure a déposées tant que le rejet n'est pas traité. `idStructure` est le filtre
    « Structure » de la page ; `roleUtilisateur` (FOURNISSEUR, MOE, MOA) garde le rôle sous lequel la pièce
    apparaît. Tri par défaut : date de l'état courant (`triSens` Descendant pour l'ordre de la page). Sans
    résultat : codeRetour 20007."""

    lecture_seule = True  # a search: outside the request's transaction (vues.ServiceCpro)

    requete = objet(
        {
            "idStructure": {"type": "integer"},
            "roleUtilisateur": {"type": "string", "enum": list(ROLES_API)},
            "statutCourant": {"type": "array", "items": {"type": "string"}},
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
        structure = None
        if (pk := champ(corps, "idStructure", type_=int)) is not None:
            # the page's « Structure » choices: another structure is not found
            structure = listes.structures_travaux(request.user).filter(pk=pk).first()
            if structure is None:
                raise Http404("idStructure")
        qs = listes.synthese(request.user, structure=structure, en_pages=True)
        if role is not None:
            qs = qs.filter(role=role.value)
        if statuts := statuts_demandes(corps):
            qs = qs.filter(statut_facture__in=statuts)
        if (telechargee := _booleen(corps, "flagTelecharge")) is not None:
            qs = qs.filter(telechargee=telechargee)
        lire = getattr(qs, "lire", None)  # role by role: listes._par_role
        lignes, parametres = paginer(
            corps, "rechercheFactureTravaux", qs, TRIS_TRAVAUX, "DateHeureEtatCourant", lire_page=lire
        )
        lignes = listes.pour_la_page(lignes)  # the ids' page, loaded with what a row shows
        reponse = {"listeFacturesTravaux": [_ligne_travaux(p) for p in lignes], "parametresRetour": parametres}
        return _sans_resultat(reponse, lignes, AUCUN_RESULTAT_TRAVAUX)


# --- consulterDossierDeFacturation ----------------------------------------------------------------------------------

PIECE_JOINTE = {
    "pieceJointeId": {"type": "integer"},
    "pieceJointeNom": {"type": "string"},
    "pieceJointeTypeMime": {"type": "string"},
    "pieceJointeTaille": {"type": "integer"},
}
PIECE_DU_DOSSIER = {
    **FACTURE_TRAVAUX,
    "historiqueDemandePaiement": objet({"histoStatut": {"type": "array"}}),
    "listePiecesJointes": liste(PIECE_JOINTE),
}


def _dossier(user, corps):
    """The dossier named by `idDossierFacturation` or `numeroDossierFacturation`, through the dossier page's read."""
    numero = champ(corps, "numeroDossierFacturation", type_=str)
    if corps.get("idDossierFacturation") in (None, "") and numero:
        trouve = dossiers_visibles(user).filter(numero=numero.strip()).values_list("pk", flat=True).first()
        if trouve is None:
            raise Http404("numeroDossierFacturation")
        return dossier_ou_404(user, trouve)
    return dossier_ou_404(user, identifiant_demande(corps, "idDossierFacturation"))


def _jointes(pieces):
    par_facture = {}
    for pj in PieceJointeFacture.objects.filter(facture_id__in=[p.facture_id for p in pieces]).order_by("pk"):
        par_facture.setdefault(pj.facture_id, []).append(
            {
                "pieceJointeId": pj.pk,
                "pieceJointeNom": pj.nom,
                "pieceJointeTypeMime": pj.type_mime,
                "pieceJointeTaille": pj.taille,
            }
        )
    return par_facture


def _piece_du_dossier(piece, precedente, jointes):
    f = piece.facture
    return {
        "idFactureTravaux": f.pk,
        "numeroFactureTravaux": f.numero,
        "cadreFacturation": CADRE_API.get(f.cadre, f.cadre),
        "typeFactureTravaux": listes.type_de_piece(f.cadre),
        "statutFactureTravaux": f.statut,
        "libelleStatutFactureTravaux": StatutFacture(f.statut).label,
        "roleDeposant": piece.role_deposant,
        "typeDepot": piece.type_depot,
        "dateFactureTravaux": date_api(f.date_facture),
        "dateDepot": date_api(f.deposee_le),
        "dateHeureEtatCourant": date_api(f.statut_depuis),
        "idFactureTravauxPrecedente": precedente.facture_id if precedente else None,
        "numeroFactureTravauxPrecedente": precedente.facture.numero if precedente else "",
        "numeroEngagement": f.numero_engagement,
        "montantHT": montant_api(f.total_ht, f.devise),
        "montantTTC": montant_api(f.total_ttc, f.devise),
        "montantAPayer": montant_api(f.net_a_payer, f.devise),
        "devise": f.devise,
        "historiqueDemandePaiement": _historique(f),
        "listePiecesJointes": jointes.get(f.pk, []),
    }


class ConsulterDossierDeFacturation(ServiceCpro):
    """Un dossier de facturation, comme sa page « Consultation d'un dossier de facturation » : ses trois acteurs,
    et ses pièces dans l'ordre de la chaîne (chaque pièce suivie de celle qui lui répond), chacune avec l'historique
    de ses statuts et ses pièces jointes. Le dossier d'une autre structure est introuvable."""

    requete = objet(
        {"idDossierFacturation": {"type": "integer"}, "numeroDossierFacturation": {"type": "string"}},
    )
    reponse = {
        "idDossierFacturation": {"type": "integer"},
        "numeroDossierFacturation": {"type": "string"},
        "numeroMarche": {"type": "string"},
        "listeFactureTravaux": liste(PIECE_DU_DOSSIER),
    }

    def traiter(self, request, corps):
        dossier = _dossier(request.user, corps)
        pieces = pieces_en_ordre(dossier)
        par_pk = {p.pk: p for p in pieces}
        jointes = _jointes(pieces)
        return {
            "idDossierFacturation": dossier.pk,
            "numeroDossierFacturation": dossier.numero,
            "numeroMarche": dossier.numero_marche,
            "dateCreation": date_api(dossier.cree_le),
            "fournisseur": _partie(dossier.fournisseur),
            "moe": _partie(dossier.moe, dossier.service_moe),
            "moa": _partie(dossier.moa, dossier.service_moa),
            "listeFactureTravaux": [_piece_du_dossier(p, par_pk.get(p.piece_precedente_id), jointes) for p in pieces],
        }


# --- completerFactureTravaux, recyclerFactureTravaux ----------------------------------------------------------------

REPONSE_TRAITEMENT = {
    "idFactureTravaux": {"type": "integer"},
    "numeroFactureTravaux": {"type": "string"},
    "statutFactureTravaux": {"type": "string"},
    "dateTraitement": {"type": "string"},
}


def _piece(user, corps):
    """The visible works piece `idFactureTravaux` (another structure's or a missing one: 404)."""
    return listes.pieces(user).get(pk=_piece_id(user, corps))


def _traitement(facture, historique):
    return {
        "idFactureTravaux": facture.pk,
        "numeroFactureTravaux": facture.numero,
        "statutFactureTravaux": facture.statut,
        "dateTraitement": date_api(historique.le),
    }


class CompleterFactureTravaux(ServiceCpro):
    """Le fournisseur complète une pièce de travaux suspendue par le payeur (statut SUSPENDUE) d'un commentaire
    et/ou de pièces jointes (identifiants rendus par transverses/v1/ajouter/fichier) : elle passe au statut
    COMPLETEE et revient au payeur, comme « Compléter » dans les factures émises. Un autre statut, ou un compte qui
    n'agit pas pour le fournisseur de la pièce, est refusé (409)."""

    requete = objet(
        {
            "idUtilisateurCourant": {"type": "integer"},
            **ID_FACTURE_TRAVAUX,
            "commentaire": {"type": "string"},
            "pieceJointeComplementaire": liste(
                {
                    "pieceJointeComplementaireDesignation": {"type": "string"},
                    "pieceJointeComplementaireId": {"type": "integer"},
                }
            ),
        },
        ["idFactureTravaux"],
    )
    reponse = REPONSE_TRAITEMENT

    def traiter(self, request, corps):
        piece = _piece(request.user, corps)
        commentaire = champ(corps, "commentaire", type_=str, defaut="")
        jointes = _pieces(request.user, corps, "pieceJointeComplementaire", "pieceJointeComplementaireId")
        try:
            historique = facture_completer(
                facture=piece.facture,
                par=request.user,
                commentaire=commentaire,
                pieces_jointes=[ContentFile(_contenu(p), name=p.nom) for p in jointes],
            )
        except ApplicationError as erreur:
            if erreur.champ in ("pieces_jointes", "pieces_structure"):
                raise ErreurDonnees(
                    f"pieceJointeComplementaire : {erreur.message}", champ="pieceJointeComplementaire"
                ) from erreur
            raise
        return _traitement(piece.facture, historique)


CHEMIN_RECYCLAGE_TRAVAUX = {
    **CHEMIN_RECYCLAGE,
    "numero": "idFactureTravaux",
    "fournisseur": "idFactureTravaux",
}


class RecyclerFactureTravaux(ServiceCpro):
    """Le fournisseur réachemine une pièce de travaux que le payeur a mise « À recycler » (statut A_RECYCLER), ou
    dont la maîtrise d'œuvre ou d'ouvrage a demandé le recyclage (statut EN_ATTENTE_RECYCLAGE_FOURNISSEUR,
    `facturesTravaux/v1/demander/recyclage`), sous le même numéro : SIRET du destinataire
    (`destinataire.codeDestinataire`), code service (`destinataire.codeServiceExecutant`) et/ou numéro d'engagement
    (`reference.numeroBonCommande`) ; les règles d'acheminement du dépôt s'appliquent de nouveau et la pièce est mise
    à disposition du destinataire. Une donnée omise garde sa valeur ; il faut en changer au moins une. Les refus
    d'acheminement sont tous listés dans `listeErreurs`."""

    requete = objet(
        {
            "idUtilisateurCourant": {"type": "integer"},
            **ID_FACTURE_TRAVAUX,
            "commentaire": {"type": "string"},
            "destinataire": objet(
                {"codeDestinataire": {"type": "string"}, "codeServiceExecutant": {"type": "string"}}
            ),
            "reference": objet({"numeroBonCommande": {"type": "string"}}),
        },
        ["idFactureTravaux"],
    )
    reponse = REPONSE_TRAITEMENT

    def traiter(self, request, corps):
        piece = _piece(request.user, corps)
        facture = piece.facture
        destinataire = _bloc(corps, "destinataire")
        reference = _bloc(corps, "reference") or _bloc(corps, "references")
        champ(corps, "commentaire", type_=str)
        for cle in ("destinataire.codeDestinataire", "destinataire.codeServiceExecutant"):
            champ(corps, cle, type_=str)
        if (engagement := reference.get("numeroBonCommande")) is not None and not isinstance(engagement, str | int):
            raise ErreurDonnees(
                "reference.numeroBonCommande : une chaîne de caractères est attendue.",
                champ="reference.numeroBonCommande",
            )
        identifiant = _texte(destinataire.get("codeDestinataire")) or facture.destinataire.identifiant
        code_service = destinataire.get("codeServiceExecutant")
        if code_service is None:
            code_service = facture.service_destinataire.code if facture.service_destinataire_id else ""
        try:
            historique = facture_recycler(
                facture=facture,
                par=request.user,
                identifiant_destinataire=identifiant,
                code_service=_texte(code_service),
                numero_engagement=_texte(engagement) if engagement is not None else facture.numero_engagement,
            )
        except DepotRefuse as refus:
            erreurs = [
                (CHEMIN_RECYCLAGE_TRAVAUX.get(e.champ, "destinataire.codeDestinataire"), str(e)) for e in refus.erreurs
            ]
            raise ErreursSoumission(erreurs) from refus
        return _traitement(facture, historique)

    def handle_exception(self, exc):
        reponse = super().handle_exception(exc)
        if isinstance(exc, ErreursSoumission):
            reponse.data["listeErreurs"] = [{"champ": c, "libelle": m} for c, m in exc.erreurs]
        return reponse


# --- demanderRecyclagePiecePrecedente -------------------------------------------------------------------------------


class DemanderRecyclagePiecePrecedente(ServiceCpro):
    """La maîtrise d'œuvre ou la maîtrise d'ouvrage qui détient la pièce `idFactureTravaux` (statuts où elle peut la
    refuser) demande au fournisseur de recycler la pièce précédente du dossier, adressée avec de mauvaises données
    d'acheminement ; `commentaire` (le motif) est obligatoire. La pièce précédente, déposée par le fournisseur (ou
    son sous-traitant, son cotraitant) et encore ni traitée ni close (Associée, Mise à disposition du destinataire,
    Complétée), passe au statut EN_ATTENTE_RECYCLAGE_FOURNISSEUR et le fournisseur en est averti ; il la recycle
    ensuite avec `facturesTravaux/v1/recycler`. La réponse décrit la pièce précédente. Un autre statut, ou un compte
    qui n'agit pas pour l'acteur qui détient la pièce, est refusé (409) ; la pièce d'une autre structure est
    introuvable (404)."""

    requete = objet(
        {"idUtilisateurCourant": {"type": "integer"}, **ID_FACTURE_TRAVAUX, "commentaire": {"type": "string"}},
        ["idFactureTravaux", "commentaire"],
    )
    reponse = {
        "idFactureTravaux": {"type": "integer", "description": "La pièce précédente, dont le recyclage est demandé."},
        "numeroFactureTravaux": {"type": "string"},
        "statut": {"type": "string", "description": "EN_ATTENTE_RECYCLAGE_FOURNISSEUR"},
        "dateTraitement": {"type": "string"},
    }

    def traiter(self, request, corps):
        piece = _piece(request.user, corps)
        commentaire = champ(corps, "commentaire", type_=str, obligatoire=True)
        historique = piece_demander_recyclage(piece=piece, par=request.user, commentaire=commentaire)
        precedente = piece.piece_precedente.facture
        return {
            "idFactureTravaux": precedente.pk,
            "numeroFactureTravaux": precedente.numero,
            "statut": historique.vers_statut,
            "dateTraitement": date_api(historique.le),
        }


SERVICES = [
    (
        "cpro/facturesTravaux/v1/rechercher/atraiter",
        RechercherFactureTravauxATraiter,
        "api_factures_travaux_rechercher_a_traiter",
    ),
    (
        "cpro/facturesTravaux/v1/consulter/dossierfacturation",
        ConsulterDossierDeFacturation,
        "api_factures_travaux_consulter_dossier",
    ),
    ("cpro/facturesTravaux/v1/completer", CompleterFactureTravaux, "api_factures_travaux_completer"),
    ("cpro/facturesTravaux/v1/recycler", RecyclerFactureTravaux, "api_factures_travaux_recycler"),
    (
        "cpro/facturesTravaux/v1/demander/recyclage",
        DemanderRecyclagePiecePrecedente,
        "api_factures_travaux_demander_recyclage",
    ),
]
