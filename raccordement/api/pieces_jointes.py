"""The attachments of `transverses/v1/…` (chorus-pro-api.md §2.5): download one (`telecharger/pieceJointe`), search
the reusable ones kept on the account (`rechercher/pj/moncompte`) or on a structure (`rechercher/pj/structure`), and
detach one (`detacher/pieceJointe`).

Three kinds of files answer to a `pieceJointeId`: the documents of a structure (PieceJointeStructure: what
`ajouter/fichier` keeps for the next deposits, and what the structure page's « Pièces jointes » holds), the
attachments of an invoice (PieceJointeFacture) and those of a ticket (support.PieceJointe). `objetPieceJointe` says
which (STRUCTURE_PIECEJOINTE, DEMANDE_PAIEMENT, SOLLICITATION); it defaults to the structure's documents, whose ids
`ajouter/fichier` gives out. A file the account may not see answers 404, as a missing one."""

import base64
from pathlib import PurePath

from django.db.models import Q

from facturation.models import PieceJointeFacture
from facturation.selectors.consultables import factures_consultables
from facturation.services.pieces_jointes import piece_jointe_deposant_detacher
from organisation import types_pieces
from organisation.enums import Application
from organisation.habilitations import objet_visible_ou_404, structures_consultables, structures_visibles
from organisation.models import PieceJointeStructure, Structure
from organisation.selectors import structures as selecteurs_structures
from raccordement.api import enveloppe
from raccordement.api.pagination import paginer
from raccordement.api.schema import PARAMETRES_RETOUR, liste, objet, pagination
from raccordement.api.vues import ErreurDonnees, ServiceCpro, champ
from support.selectors import sollicitations as selecteurs_sollicitations

STRUCTURE_PIECEJOINTE = "STRUCTURE_PIECEJOINTE"
DEMANDE_PAIEMENT = "DEMANDE_PAIEMENT"
# a ticket's attachment: the name recuperer/typespj's typeObjet gives tickets (chorus-pro-api.md §4.5). The portal
# keeps no file on a legal commitment (EJ), a billing mandate (MANDAT) or bank details (CB): nothing to serve there.
SOLLICITATION = "SOLLICITATION"
OBJETS = (STRUCTURE_PIECEJOINTE, DEMANDE_PAIEMENT, SOLLICITATION)

TRIS_PIECES = {"PieceJointeDesignation": ("nom",), "DateAjout": ("ajoutee_le",)}


def structures_lisibles(user):
    """The structures whose documents the account may read: those it invoices for (their documents are offered at
    deposit) and those whose page it may open (the page lists them)."""
    return Structure.objects.filter(
        Q(pk__in=structures_visibles(user, Application.FACTURES_EMISES).values("pk"))
        | Q(pk__in=structures_consultables(user).values("pk"))
    )


def pieces_structure_lisibles(user):
    return PieceJointeStructure.objects.filter(structure__in=structures_lisibles(user).values("pk"))


def _extension(nom):
    return PurePath(nom).suffix.lstrip(".").upper()


def _designation(nom):
    return PurePath(nom).stem


PIECE_LISTEE = {
    "pieceJointeId": {"type": "integer"},
    "pieceJointeDesignation": {"type": "string"},
    "pieceJointeExtension": {"type": "string"},
    "pieceJointeObjetId": {"type": "integer"},
    # the structure document's type (organisation.types_pieces: RIB, Kbis…), as recuperer/typespj STRUCTURE lists it
    "pieceJointeTypeId": {"type": "integer"},
    "pieceJointeTypeCode": {"type": "string"},
    "pieceJointeTypeLibelle": {"type": "string"},
    "pieceJointeUtilisateurId": {"type": "integer", "nullable": True},
    "pieceJointeTaille": {"type": "integer"},
    "pieceJointeTypeMime": {"type": "string"},
    "pieceJointeDateAjout": {"type": "string", "format": "date-time"},
}
PIECE_DE_STRUCTURE = {
    **PIECE_LISTEE,
    "pieceJointeStructureId": {"type": "integer"},
    "pieceJointeStructureCode": {"type": "string"},
    "pieceJointeStructureRaisonSociale": {"type": "string"},
}


def _piece(p):
    return {
        "pieceJointeId": p.pk,
        "pieceJointeDesignation": _designation(p.nom),
        "pieceJointeExtension": _extension(p.nom),
        "pieceJointeObjetId": p.structure_id,
        "pieceJointeTypeId": types_pieces.PAR_CODE[p.type_piece]["id"],
        "pieceJointeTypeCode": p.type_piece,
        "pieceJointeTypeLibelle": p.type_libelle,
        "pieceJointeUtilisateurId": p.ajoutee_par_id,
        "pieceJointeTaille": p.taille,
        "pieceJointeTypeMime": p.type_mime,
        "pieceJointeDateAjout": p.ajoutee_le.isoformat(),
    }


def _piece_de_structure(p):
    return {
        **_piece(p),
        "pieceJointeStructureId": p.structure_id,
        "pieceJointeStructureCode": p.structure.identifiant,
        "pieceJointeStructureRaisonSociale": p.structure.raison_sociale,
    }


def _criteres(corps):
    """The filters both searches share, read before any lookup (a bad one is a 400 even on a structure the account
    may not read): `pieceJointeDesignation` (part of the name), the document's type by `pieceJointeTypeId` or
    `pieceJointeTypeCode` (recuperer/typespj STRUCTURE's values; an unknown one is a 400 naming the field, not an
    empty list that would hide a typo)."""
    filtres = {}
    if designation := champ(corps, "pieceJointeDesignation", type_=str):
        filtres["nom__icontains"] = designation.strip()
    # 0 is the Go client's zero value for this required field: no filter
    if id_type := champ(corps, "pieceJointeTypeId", type_=int):
        if id_type not in types_pieces.PAR_ID:
            raise ErreurDonnees(
                f"pieceJointeTypeId : {id_type} inconnu (voir recuperer/typespj, typeObjet STRUCTURE).",
                champ="pieceJointeTypeId",
            )
        filtres["type_piece"] = types_pieces.PAR_ID[id_type]["code"]
    if code_type := champ(corps, "pieceJointeTypeCode", type_=str):
        if code_type not in types_pieces.PAR_CODE:
            raise ErreurDonnees(
                f"pieceJointeTypeCode : « {code_type} » inconnu (voir recuperer/typespj, typeObjet STRUCTURE).",
                champ="pieceJointeTypeCode",
            )
        filtres["type_piece__in"] = [code_type]  # with pieceJointeTypeId too: both must hold
    return filtres


def _liste(corps, qs, transformer):
    lignes, parametres = paginer(corps, "parametresRecherche", qs, TRIS_PIECES, "PieceJointeDesignation")
    reponse = {"listePiecesJointes": [transformer(p) for p in lignes], "parametresRetour": parametres}
    if not lignes:
        reponse.update(codeRetour=enveloppe.AUCUN_RESULTAT, libelle=enveloppe.LIBELLE_AUCUN_RESULTAT)
    return reponse


REQUETE_RECHERCHE = {
    "codeLangue": {"type": "string"},
    "pieceJointeDesignation": {"type": "string"},
    "pieceJointeTypeId": {"type": "integer"},
    "pieceJointeTypeCode": {"type": "string"},
    **pagination("parametresRecherche"),
}


class RechercherPieceJointeSurMonCompte(ServiceCpro):
    """Les pièces jointes réutilisables enregistrées par ce compte technique (ajouter/fichier), parmi les documents
    des structures qu'il peut lire. `pieceJointeDesignation` cherche une partie du nom ; `pieceJointeTypeId` ou
    `pieceJointeTypeCode` retient un type de document (recuperer/typespj, typeObjet STRUCTURE)."""

    requete = objet(REQUETE_RECHERCHE)
    reponse = {"listePiecesJointes": liste(PIECE_LISTEE), **PARAMETRES_RETOUR}

    def traiter(self, request, corps):
        qs = pieces_structure_lisibles(request.user).filter(ajoutee_par=request.user, **_criteres(corps))
        return _liste(corps, qs, _piece)


class RechercherPieceJointeSurStructure(ServiceCpro):
    """Les pièces jointes réutilisables d'une structure : celles de sa page « Pièces jointes » et celles qu'y ont
    enregistrées ses comptes techniques. Une structure que le compte ne peut pas lire répond 404."""

    requete = objet({"idStructureCPP": {"type": "integer"}, **REQUETE_RECHERCHE}, ["idStructureCPP"])
    reponse = {"listePiecesJointes": liste(PIECE_DE_STRUCTURE), **PARAMETRES_RETOUR}

    def traiter(self, request, corps):
        id_structure = champ(corps, "idStructureCPP", type_=int, obligatoire=True)
        criteres = _criteres(corps)
        structure = objet_visible_ou_404(structures_lisibles(request.user), pk=id_structure)
        qs = selecteurs_structures.pieces_jointes(structure).select_related("structure").filter(**criteres)
        return _liste(corps, qs, _piece_de_structure)


def _objet(corps):
    objet_pj = champ(corps, "objetPieceJointe", type_=str, defaut=STRUCTURE_PIECEJOINTE)
    if objet_pj not in OBJETS:
        raise ErreurDonnees(
            f"objetPieceJointe : {' ou '.join(OBJETS)} (reçu « {objet_pj} »).", champ="objetPieceJointe"
        )
    return objet_pj


def _piece_facture(user, corps, id_piece):
    """An attachment of an invoice the account may read (sent or received); `demandePaiement.listeFacture`, when
    given, names the invoices it must belong to, as Chorus Pro's request does."""
    qs = PieceJointeFacture.objects.filter(facture__in=factures_consultables(user).values("pk"))
    bloc = corps.get("demandePaiement")
    if bloc not in (None, ""):
        if not isinstance(bloc, dict):
            raise ErreurDonnees("demandePaiement : un objet est attendu.", champ="demandePaiement")
        factures = bloc.get("listeFacture")
        if factures not in (None, ""):
            if not isinstance(factures, list) or not all(isinstance(f, dict) for f in factures):
                raise ErreurDonnees(
                    "demandePaiement.listeFacture : une liste d'objets est attendue.",
                    champ="demandePaiement.listeFacture",
                )
            ids = []
            for rang, facture in enumerate(factures):
                chemin = f"demandePaiement.listeFacture[{rang}].idFacture"
                try:
                    ids.append(champ(facture, "idFacture", type_=int, obligatoire=True))
                except ErreurDonnees as erreur:
                    raise ErreurDonnees(erreur.message.replace("idFacture", chemin, 1), champ=chemin) from None
            if ids:
                qs = qs.filter(facture_id__in=ids)
    return objet_visible_ou_404(qs, pk=id_piece)


class TelechargerPieceJointe(ServiceCpro):
    """Une pièce jointe, en base64 (`pieceJointe`). `objetPieceJointe` STRUCTURE_PIECEJOINTE (par défaut) : un
    document d'une structure, dont ceux qu'enregistre ajouter/fichier ; DEMANDE_PAIEMENT : une pièce jointe d'une
    facture émise ou reçue que le compte peut consulter (`demandePaiement.listeFacture` peut la restreindre) ;
    SOLLICITATION : une pièce jointe d'une sollicitation émise (hors notes internes) ou reçue par ses structures."""

    requete = objet(
        {
            "pieceJointeId": {"type": "integer"},
            "objetPieceJointe": {"type": "string", "enum": list(OBJETS)},
            "demandePaiement": objet({"listeFacture": liste({"idFacture": {"type": "integer"}})}),
            "structure": objet({"idStructure": {"type": "integer"}}),
        },
        ["pieceJointeId"],
    )
    reponse = {
        "pieceJointe": {"type": "string", "format": "byte"},
        "pieceJointeId": {"type": "integer"},
        "pieceJointeNom": {"type": "string"},
        "pieceJointeExtension": {"type": "string"},
        "pieceJointeTypeMime": {"type": "string"},
        "pieceJointeTaille": {"type": "integer"},
    }

    def traiter(self, request, corps):
        id_piece = champ(corps, "pieceJointeId", type_=int, obligatoire=True)
        objet_pj = _objet(corps)
        if objet_pj == DEMANDE_PAIEMENT:
            piece = _piece_facture(request.user, corps, id_piece)
        elif objet_pj == SOLLICITATION:
            piece = objet_visible_ou_404(selecteurs_sollicitations.pieces_jointes_lisibles(request.user), pk=id_piece)
        else:
            qs = pieces_structure_lisibles(request.user)
            bloc = corps.get("structure")
            if isinstance(bloc, dict) and (id_structure := champ(bloc, "idStructure", type_=int)) is not None:
                qs = qs.filter(structure_id=id_structure)
            elif bloc not in (None, "") and not isinstance(bloc, dict):
                raise ErreurDonnees("structure : un objet est attendu.", champ="structure")
            piece = objet_visible_ou_404(qs, pk=id_piece)
        with piece.fichier.open("rb") as flux:
            contenu = flux.read()
        return {
            "pieceJointe": base64.b64encode(contenu).decode(),
            "pieceJointeId": piece.pk,
            "pieceJointeNom": piece.nom,
            "pieceJointeExtension": _extension(piece.nom),
            "pieceJointeTypeMime": piece.type_mime,
            "pieceJointeTaille": piece.taille,
        }


class DetacherPieceJointe(ServiceCpro):
    """Retire un document réutilisable de la structure (l'inverse d'ajouter/fichier). Le compte technique retire
    ceux qu'il a enregistrés (profil Factures émises – modification) ; les autres documents de la structure
    relèvent du gestionnaire (Organisation – modification). Les factures déjà déposées gardent leur copie."""

    requete = objet(
        {"pieceJointeId": {"type": "integer"}, "idUtilisateurCourant": {"type": "integer"}}, ["pieceJointeId"]
    )
    reponse = {"pieceJointeId": {"type": "integer"}}

    def traiter(self, request, corps):
        id_piece = champ(corps, "pieceJointeId", type_=int, obligatoire=True)
        piece = objet_visible_ou_404(pieces_structure_lisibles(request.user).select_related("structure"), pk=id_piece)
        piece_jointe_deposant_detacher(piece=piece, par=request.user)
        return {"pieceJointeId": id_piece}


SERVICES = [
    ("cpro/transverses/v1/telecharger/pieceJointe", TelechargerPieceJointe, "api_telecharger_piece_jointe"),
    ("cpro/transverses/v1/rechercher/pj/moncompte", RechercherPieceJointeSurMonCompte, "api_rechercher_pj_moncompte"),
    ("cpro/transverses/v1/rechercher/pj/structure", RechercherPieceJointeSurStructure, "api_rechercher_pj_structure"),
    # Path unverified (ZMOG names the method only): the verb-then-object form of its sibling telecharger/pieceJointe
    ("cpro/transverses/v1/detacher/pieceJointe", DetacherPieceJointe, "api_detacher_piece_jointe"),
]
