"""The remaining reference lists of `transverses/v1/…` (chorus-pro-api.md §2.5), each read from what the portal's own
forms and services accept, so that a value the API lists is a value the portal takes:

- attachment types: the extensions every attachment check of the portal allows (organisation.regles.PJ_EXTENSIONS);
- refusal motifs of a piece to validate: the works refusal table, API column (travaux/regles/travaux_refus.csv);
- VAT exemption reasons, countries, payment means, flux formats and syntaxes, payment request types, works piece
  types, structure identifier types and structure types: the enums and tables of the invoice entry form, the
  structure forms and the flux deposit;
- a structure's valid bank details, the structures of the technical account, the ticket categories: the same
  querysets as the entry form, the account's attachments and the ticket form.

Field names follow the public clients where chorus-pro-api.md gives none (the Go client of the Chorus Pro API
`choruspro`, the PHP client `PisteGouvFr\\Api\\ChorusPro`); each service says which."""

import re
import unicodedata

from django.http import Http404

from facturation.acheminement import CADRES_AVEC_VALIDEUR
from facturation.enums import ModePaiement
from facturation.motifs_exoneration import motifs_exoneration
from facturation.referentiels import pays_choix
from organisation import types_pieces
from organisation.enums import Application, Niveau, StatutRattachement, StatutStructure, TypeIdentifiant
from organisation.forms_structures import PRIVEE, PUBLIQUE
from organisation.habilitations import structures_visibles
from organisation.models import CoordonneeBancaire, Rattachement
from organisation.regles import PJ_EXTENSIONS
from raccordement.api import enveloppe
from raccordement.api.pagination import paginer
from raccordement.api.schema import PARAMETRES_RETOUR, liste, objet, pagination
from raccordement.api.structures import RecupererStructuresActives
from raccordement.api.transverses import TYPES_DEMANDE_PAIEMENT
from raccordement.api.valeurs import CADRE_API, CADRE_DU_CODE_API
from raccordement.api.vues import ErreurDonnees, ServiceLecture, champ
from raccordement.enums import SyntaxeFlux
from support.models import Categorie
from support.selectors.sollicitations import sous_categories
from travaux import refus
from travaux.enums import CanalDepot
from travaux.selectors.listes import TYPES_DE_PIECE

CODES_LANGUE = ["FR", "EN"]
CODE_LANGUE = {"codeLangue": {"type": "string", "enum": CODES_LANGUE}}


def _code_langue(corps):
    """codeLangue (FR, EN): the portal speaks French only, so EN is accepted and answered in French."""
    valeur = champ(corps, "codeLangue", type_=str, defaut="FR")
    if valeur.upper() not in CODES_LANGUE:
        raise ErreurDonnees(f"codeLangue : « {valeur} » inconnu (FR ou EN).", champ="codeLangue")
    return valeur.upper()


def code(libelle):
    """A stable code from a label: « Mauvaise MOE » → MAUVAISE_MOE (accents dropped, anything else → _)."""
    sans_accents = unicodedata.normalize("NFKD", libelle).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Z0-9]+", "_", sans_accents.upper()).strip("_")


def _sans_resultat(reponse, lignes):
    if not lignes:
        reponse.update(codeRetour=enveloppe.AUCUN_RESULTAT, libelle=enveloppe.LIBELLE_AUCUN_RESULTAT)
    return reponse


# --- attachment types ----------------------------------------------------------------------------------------------

# typeObjet (chorus-pro-api.md §4.5). The portal keeps attachments for these objects, each checked by the same rule
# (organisation.services.coordonnees.verifier_piece_jointe): an invoice or a works piece, a structure, a ticket, a
# file kept for a later deposit (ajouter/fichier). A structure's documents are typed instead (RIB, Kbis…:
# organisation.types_pieces). The others name objects the portal keeps no attachment for.
TYPES_OBJET = [
    "STRUCTURE",
    "UTILISATEUR",
    "CB",
    "MANDAT",
    "FICHE_RACCORDEMENT",
    "EJ",
    "MEMOIRE",
    "DMD_RBST",
    "TRANSVERSE",
    "FACTURE_TRAVAUX",
    "FACTURE",
    "DMDE_CPTE_DEV_SI_EXT",
    "SOLLICITATION",
    "CERTIFICAT",
    "PJ_REJET_EDI",
]
TYPES_OBJET_AVEC_PJ = {"FACTURE", "FACTURE_TRAVAUX", "SOLLICITATION", "TRANSVERSE"}
EXTENSIONS = sorted(PJ_EXTENSIONS)


class RecupererTypePieceJointe(ServiceLecture):
    """Les types de pièce jointe qu'un objet accepte : les extensions de fichier admises par le portail (les mêmes
    pour une facture, une pièce de travaux, une structure, une sollicitation et un fichier déposé par
    ajouter/fichier). `codeTypePieceJointe` est l'extension à donner en `pieceJointeExtension`. Pour STRUCTURE, ce
    sont les types de document d'une structure (RIB, Kbis…), ceux que rechercher/pj/* rendent et filtrent
    (`pieceJointeTypeId`, `pieceJointeTypeCode`). Un objet pour
    lequel le portail ne garde aucune pièce jointe n'en a aucun (codeRetour 20000). Champs du client Go
    (`idTypePieceJointe`, `typeObjet`) en plus de ceux du catalogue."""

    requete = objet({"typeObjet": {"type": "string", "enum": TYPES_OBJET}, **CODE_LANGUE})
    reponse = {
        "listeTypePieceJointe": liste(
            {
                "idTypePieceJointe": {"type": "integer"},
                "codeTypePieceJointe": {"type": "string"},
                "libelleTypePieceJointe": {"type": "string"},
                "typeObjet": {"type": "string", "nullable": True},
            }
        )
    }

    def traiter(self, request, corps):
        _code_langue(corps)
        type_objet = champ(corps, "typeObjet", type_=str)
        if type_objet is not None and type_objet not in TYPES_OBJET:
            raise ErreurDonnees(f"typeObjet : « {type_objet} » inconnu.", champ="typeObjet")
        if type_objet == "STRUCTURE":
            lignes = [
                {
                    "idTypePieceJointe": t["id"],
                    "codeTypePieceJointe": t["code"],
                    "libelleTypePieceJointe": t["libelle"],
                    "typeObjet": type_objet,
                }
                for t in types_pieces.TYPES
            ]
            return {"listeTypePieceJointe": lignes}
        extensions = EXTENSIONS if type_objet is None or type_objet in TYPES_OBJET_AVEC_PJ else []
        lignes = [
            {
                "idTypePieceJointe": rang,
                "codeTypePieceJointe": extension,
                "libelleTypePieceJointe": f"Fichier {extension} (.{extension.lower()})",
                "typeObjet": type_objet,
            }
            for rang, extension in enumerate(extensions, 1)
        ]
        return _sans_resultat({"listeTypePieceJointe": lignes}, lignes)


# --- refusal motifs of a piece to validate -------------------------------------------------------------------------


def _identifiants_motifs():
    """idMotif: the rank of the motif's first row in travaux_refus.csv, stable while the table only grows."""
    rangs = {}
    for rang, ligne in enumerate(refus.LIGNES, 1):
        rangs.setdefault(ligne["motif"], rang)
    return rangs


ID_MOTIF = _identifiants_motifs()


def motifs_refus_api(cadre):
    """The refusal motifs refuserFactureTravaux accepts on `cadre`, whoever holds the piece, in the table's order."""
    motifs = []
    for acteur in refus.ACTEURS:
        for motif in refus.motifs_proposes(cadre, acteur, CanalDepot.SERVICE):
            if motif not in motifs:
                motifs.append(motif)
    return motifs


class RecupererMotifsRefusFactureAValider(ServiceLecture):
    """Les motifs de refus d'une pièce à valider, pour son cadre de facturation (code court A4 ou code API
    A4_PROJET_DECOMPTE_MENSUEL_FOURNISSEUR) : ceux que le service facturesTravaux/v1/refuser accepte (table des
    refus des pièces de travaux, colonne API ; sur un A4, « Mauvaise MOE » et « Mauvaise MOA » seulement).
    `libelleMotif` est la valeur à donner en `motifRefus`. Le valideur d'une facture de sous-traitance ou de
    cotraitance (A9, A12) saisit son motif librement : ces cadres n'ont pas de liste (codeRetour 20000), comme les
    cadres qu'on ne refuse pas."""

    requete = objet({"codeCadreFacturationAValider": {"type": "string"}}, ["codeCadreFacturationAValider"])
    reponse = {
        "listeMotifRefusFactureAValider": liste(
            {"idMotif": {"type": "integer"}, "codeMotif": {"type": "string"}, "libelleMotif": {"type": "string"}}
        )
    }

    def traiter(self, request, corps):
        valeur = champ(corps, "codeCadreFacturationAValider", type_=str, obligatoire=True)
        cadre = CADRE_DU_CODE_API.get(valeur, valeur)
        if cadre not in CADRE_API:
            raise ErreurDonnees(
                f"codeCadreFacturationAValider : « {valeur} » n'est pas un cadre de facturation.",
                champ="codeCadreFacturationAValider",
            )
        motifs = [] if cadre in CADRES_AVEC_VALIDEUR else motifs_refus_api(cadre)
        lignes = [{"idMotif": ID_MOTIF[m], "codeMotif": code(m), "libelleMotif": m} for m in motifs]
        return _sans_resultat({"listeMotifRefusFactureAValider": lignes}, lignes)


# --- values of the invoice entry form ------------------------------------------------------------------------------


class RecupererMotifsExonerationTva(ServiceLecture):
    """Les motifs d'exonération de TVA : les codes VATEX (BT-121) que l'artefact officiel accepte dans une facture
    structurée (facturation/motifs_exoneration.py), avec leur libellé. La saisie du portail garde un motif libre
    (`motifExonerationTva` de soumettre : 255 caractères au plus), où l'on peut écrire le code ou le libellé. Champs
    des clients Go et PHP (`listeMotifsExonerationTva[{codeMotifExonerationTva, libelleMotifExonerationTva}]`)."""

    requete = objet(CODE_LANGUE)
    reponse = {
        "listeMotifsExonerationTva": liste(
            {"codeMotifExonerationTva": {"type": "string"}, "libelleMotifExonerationTva": {"type": "string"}}
        )
    }

    def traiter(self, request, corps):
        _code_langue(corps)
        return {
            "listeMotifsExonerationTva": [
                {"codeMotifExonerationTva": code, "libelleMotifExonerationTva": libelle}
                for code, libelle in motifs_exoneration()
            ]
        }


class RecupererPays(ServiceLecture):
    """Les pays des adresses de structure et de service : codes ISO 3166-1 et noms français, la France d'abord
    (la liste des formulaires du portail). Champs des clients Go et PHP (`listePays[{codePays, libellePays}]`)."""

    requete = objet(CODE_LANGUE)
    reponse = {"listePays": liste({"codePays": {"type": "string"}, "libellePays": {"type": "string"}})}

    def traiter(self, request, corps):
        _code_langue(corps)
        return {"listePays": [{"codePays": c, "libellePays": nom} for c, nom in pays_choix()]}


class RecupererModeReglements(ServiceLecture):
    """Les modes de règlement d'une facture (`references.modePaiement` de soumettre, liste du formulaire de
    saisie)."""

    requete = objet()
    reponse = {"listeModePaiement": liste({"modePaiement": {"type": "string", "enum": ModePaiement.values}})}

    def traiter(self, request, corps):
        return {"listeModePaiement": [{"modePaiement": mode} for mode in ModePaiement.values]}


# --- flux --------------------------------------------------------------------------------------------------------

# formatFlux (PHP client IFormatFlux: IN_DP_E1_STRUCT, IN_DP_E2_MIXTE, IN_DP_E2_FACTURX): the family of the
# syntaxes the portal integrates (raccordement.enums.SYNTAXES_LUES). E3, E4 and PDF archives have no known format
# code in the public clients: they are not listed.
FORMATS_FLUX = {
    "IN_DP_E1_STRUCT": [s for s in SyntaxeFlux if s.startswith("IN_DP_E1_")],
    "IN_DP_E2_MIXTE": [s for s in SyntaxeFlux if s.startswith("IN_DP_E2_") and s != SyntaxeFlux.IN_DP_E2_CII_FACTURX],
    "IN_DP_E2_FACTURX": [SyntaxeFlux.IN_DP_E2_CII_FACTURX],
}


class RecupererFormatFlux(ServiceLecture):
    """Les formats de flux : structuré (E1), mixte (E2 : données minimales et PDF) et Factur-X (E2), chacun
    regroupant des syntaxes de deposer/flux (recuperer/syntaxeflux). Champs du client PHP
    (`listeFormatFlux[{formatFlux}]` et la pagination à plat)."""

    requete = objet()
    reponse = {
        "listeFormatFlux": liste({"formatFlux": {"type": "string", "enum": list(FORMATS_FLUX)}}),
        **{c: {"type": "integer"} for c in ("nbResultatsParPage", "pageCourante", "pages", "total")},
    }

    def traiter(self, request, corps):
        return {
            "listeFormatFlux": [{"formatFlux": f} for f in FORMATS_FLUX],
            "nbResultatsParPage": len(FORMATS_FLUX),
            "pageCourante": 1,
            "pages": 1,
            "total": len(FORMATS_FLUX),
        }


class RecupererSyntaxeFlux(ServiceLecture):
    """Les syntaxes de flux que deposer/flux accepte (`syntaxeFlux`), toutes les valeurs de l'énumération du
    portail. Aucun client public ne lit ce service : la liste suit la forme des autres listes
    (`listeSyntaxeFlux[{syntaxeFlux, libelleSyntaxeFlux}]`)."""

    requete = objet()
    reponse = {
        "listeSyntaxeFlux": liste(
            {"syntaxeFlux": {"type": "string", "enum": SyntaxeFlux.values}, "libelleSyntaxeFlux": {"type": "string"}}
        )
    }

    def traiter(self, request, corps):
        return {"listeSyntaxeFlux": [{"syntaxeFlux": s.value, "libelleSyntaxeFlux": s.label} for s in SyntaxeFlux]}


# --- types -------------------------------------------------------------------------------------------------------


class RecupererTypeDemandePaiement(ServiceLecture):
    """Les types de demande de paiement (`typeDemandePaiement` de recuperer/cadrefacturation, rechercher/
    recipiendaire…)."""

    requete = objet()
    reponse = {
        "listeTypeDemandePaiement": liste(
            {"typeDemandePaiement": {"type": "string", "enum": list(TYPES_DEMANDE_PAIEMENT)}}
        )
    }

    def traiter(self, request, corps):
        return {"listeTypeDemandePaiement": [{"typeDemandePaiement": t} for t in TYPES_DEMANDE_PAIEMENT]}


class RecupererTypeFactureTravaux(ServiceLecture):
    """Les types de pièce de travaux, ceux du filtre « Type de pièce » des factures de travaux et du champ
    `typeFactureTravaux` que rendent facturesTravaux/v1/rechercher et consulter."""

    requete = objet()
    reponse = {"listeTypeFactureTravaux": liste({"typeFactureTravaux": {"type": "string"}})}

    def traiter(self, request, corps):
        return {"listeTypeFactureTravaux": [{"typeFactureTravaux": t} for t in TYPES_DE_PIECE]}


class RecupererTypeIdentifiantStructure(ServiceLecture):
    """Les types d'identifiant d'une structure (formulaire de création d'une structure)."""

    requete = objet()
    reponse = {
        "listeTypeIdentifiant": liste({"typeIdentifiantStructure": {"type": "string", "enum": TypeIdentifiant.values}})
    }

    def traiter(self, request, corps):
        return {"listeTypeIdentifiant": [{"typeIdentifiantStructure": t} for t in TypeIdentifiant.values]}


class RecupererTypeStructure(ServiceLecture):
    """Les types de structure : PRIVEE, PUBLIQUE (`structurePriveePublique` de structures/v1/consulter).

    Chemin : aucun client public n'appelle ce service (la bibliothèque PHP le déclare sans l'implémenter) ; il
    est servi sous `recuperer/typestructure`, sur le modèle des autres listes de types (`recuperer/typedp`,
    `recuperer/typefacturetravaux`, `recuperer/typeidentifiant/structure` : le nom de la méthode sans
    « recuperer », en minuscules). La réponse suit la même forme : `listeTypeStructure[{typeStructure}]`."""

    requete = objet()
    reponse = {"listeTypeStructure": liste({"typeStructure": {"type": "string", "enum": [PRIVEE, PUBLIQUE]}})}

    def traiter(self, request, corps):
        return {"listeTypeStructure": [{"typeStructure": t} for t in (PRIVEE, PUBLIQUE)]}


# --- the account's structures and bank details ---------------------------------------------------------------------


def fournisseurs_du_compte(user):
    """The structures the technical user issues invoices for: those the entry form offers as supplier."""
    return structures_visibles(user, Application.FACTURES_EMISES, Niveau.MODIFICATION).filter(
        statut=StatutStructure.ACTIVE
    )


class RecupererCoordonneesBancairesValides(ServiceLecture):
    """Les coordonnées bancaires actives d'une structure, celles que le formulaire de saisie propose
    (`fournisseur.codeCoordonneesBancairesFournisseur` de soumettre = `idCoordonneeBancaire`). Seulement pour
    une structure dont le compte technique émet les factures : une autre est introuvable. Champs du client PHP
    (la pagination à plat)."""

    requete = objet({"idStructure": {"type": "integer"}}, ["idStructure"])
    reponse = {
        "listeCoordonneeBancaire": liste(
            {"idCoordonneeBancaire": {"type": "integer"}, "nomCoordonneeBancaire": {"type": "string"}}
        ),
        **{c: {"type": "integer"} for c in ("nbResultatsParPage", "pageCourante", "pages", "total")},
    }

    def traiter(self, request, corps):
        identifiant = champ(corps, "idStructure", type_=int, obligatoire=True)
        if not fournisseurs_du_compte(request.user).filter(pk=identifiant).exists():
            raise Http404("idStructure")
        coordonnees = list(
            CoordonneeBancaire.objects.filter(structure_id=identifiant, actif=True).order_by("titulaire", "pk")
        )
        lignes = [{"idCoordonneeBancaire": c.pk, "nomCoordonneeBancaire": str(c)} for c in coordonnees]
        reponse = {
            "listeCoordonneeBancaire": lignes,
            "nbResultatsParPage": len(lignes),
            "pageCourante": 1,
            "pages": 1,
            "total": len(lignes),
        }
        return _sans_resultat(reponse, lignes)


class RecupererStructuresActivesFactureTravaux(RecupererStructuresActives):
    """Les structures pour lesquelles le compte technique traite des factures de travaux."""

    application = Application.FACTURES_TRAVAUX


class RecupererStructuresPourUtilisateur(ServiceLecture):
    """Les structures auxquelles le compte technique est rattaché (rattachement actif). `espaceFo` (client PHP)
    est admis et sans effet : le compte technique agit pour les structures de ses rattachements. Champs du client
    PHP (`listeStructures[{idStructure, identifiantStructure, designationStructure, typeIdentifiantStructure}]`)."""

    requete = objet({"espaceFo": {"type": "integer"}})
    reponse = {
        "listeStructures": liste(
            {
                "idStructure": {"type": "integer"},
                "identifiantStructure": {"type": "string"},
                "designationStructure": {"type": "string"},
                "typeIdentifiantStructure": {"type": "string"},
            }
        )
    }

    def traiter(self, request, corps):
        champ(corps, "espaceFo", type_=int)
        rattachements = (
            Rattachement.objects.filter(utilisateur=request.user, statut=StatutRattachement.ACTIF)
            .select_related("structure")
            .order_by("structure__raison_sociale", "pk")
        )
        lignes = [
            {
                "idStructure": r.structure.pk,
                "identifiantStructure": r.structure.identifiant,
                "designationStructure": r.structure.designation,
                "typeIdentifiantStructure": r.structure.type_identifiant,
            }
            for r in rattachements
        ]
        return _sans_resultat({"listeStructures": lignes}, lignes)


# --- ticket categories ---------------------------------------------------------------------------------------------


def _categorie(c):
    return {"codeCategorie": code(c.libelle), "libelleCategorie": c.libelle, "idTechniqueCategorie": c.pk}


class RechercherCategorieSollicitation(ServiceLecture):
    """Les catégories de sollicitation que le formulaire de sollicitation propose (actives, avec au moins une
    sous-catégorie active). Critères : `codeCategorie`, `libelleCategorie` (une partie suffit). Champs du client
    Go (`listeCategories[{codeCategorie, libelleCategorie, idTechniqueCategorie}]`, `parametresRetour`)."""

    requete = objet(
        {
            "codeCategorie": {"type": "string"},
            "libelleCategorie": {"type": "string"},
            "estActif": {"type": "boolean"},
            **pagination("pagination"),
        }
    )
    reponse = {
        "listeCategories": liste(
            {
                "codeCategorie": {"type": "string"},
                "libelleCategorie": {"type": "string"},
                "idTechniqueCategorie": {"type": "integer"},
            }
        ),
        **PARAMETRES_RETOUR,
    }

    def traiter(self, request, corps):
        qs = Categorie.objects.filter(pk__in=sous_categories().values("categorie_id"))
        qs = _filtrer(corps, qs, "codeCategorie", "libelleCategorie")
        lignes, parametres = paginer(corps, "pagination", qs, TRIS_CATEGORIES, "Ordre")
        return _sans_resultat(
            {"listeCategories": [_categorie(c) for c in lignes], "parametresRetour": parametres}, lignes
        )


TRIS_CATEGORIES = {"Ordre": ("ordre", "libelle"), "Libelle": ("libelle",)}
TRIS_SOUS_CATEGORIES = {
    "Ordre": ("categorie__ordre", "categorie__libelle", "ordre", "libelle"),
    "Libelle": ("libelle",),
}


def _filtrer(corps, qs, cle_code, cle_libelle):
    """The criteria of both searches: the code (derived from the label, so matched in Python over the small
    referential), a part of the label, and estActif (only active values are offered: false finds none)."""
    if corps.get("estActif") is False:
        return qs.none()
    if texte := champ(corps, cle_libelle, type_=str):
        qs = qs.filter(libelle__icontains=texte)
    if valeur := champ(corps, cle_code, type_=str):
        qs = qs.filter(
            pk__in=[pk for pk, libelle in qs.values_list("pk", "libelle") if code(libelle) == valeur.upper()]
        )
    return qs


class RechercherSousCategorieSollicitation(ServiceLecture):
    """Les sous-catégories de sollicitation que le formulaire de sollicitation propose, groupées par catégorie.
    Critères : `idTechniqueCategorie` (la catégorie), `code`, `libelle` (une partie suffit). Champs du client Go
    (`listeSousCategories[{categorie[…], ssCategorie[{code, libelle, estActif, idTechniqueCategorie}]}]`,
    `parametresRetour`) ; `idTechniqueCategorie` d'une sous-catégorie est son propre identifiant."""

    requete = objet(
        {
            "idTechniqueCategorie": {"type": "integer"},
            "code": {"type": "string"},
            "libelle": {"type": "string"},
            "estActif": {"type": "boolean"},
            **pagination("pagination"),
        }
    )
    reponse = {
        "listeSousCategories": liste(
            {
                "categorie": liste(
                    {
                        "codeCategorie": {"type": "string"},
                        "libelleCategorie": {"type": "string"},
                        "idTechniqueCategorie": {"type": "integer"},
                    }
                ),
                "ssCategorie": liste(
                    {
                        "code": {"type": "string"},
                        "libelle": {"type": "string"},
                        "estActif": {"type": "boolean"},
                        "idTechniqueCategorie": {"type": "integer"},
                    }
                ),
            }
        ),
        **PARAMETRES_RETOUR,
    }

    def traiter(self, request, corps):
        qs = sous_categories()
        if (categorie := champ(corps, "idTechniqueCategorie", type_=int)) is not None:
            qs = qs.filter(categorie_id=categorie)
        qs = _filtrer(corps, qs, "code", "libelle")
        lignes, parametres = paginer(corps, "pagination", qs, TRIS_SOUS_CATEGORIES, "Ordre")
        groupes = {}
        for sc in lignes:
            groupe = groupes.setdefault(sc.categorie.pk, {"categorie": [_categorie(sc.categorie)], "ssCategorie": []})
            groupe["ssCategorie"].append(
                {"code": code(sc.libelle), "libelle": sc.libelle, "estActif": sc.active, "idTechniqueCategorie": sc.pk}
            )
        return _sans_resultat({"listeSousCategories": list(groupes.values()), "parametresRetour": parametres}, lignes)


SERVICES = [
    ("cpro/transverses/v1/recuperer/typespj", RecupererTypePieceJointe, "api_recuperer_typespj"),
    (
        "cpro/transverses/v1/recuperer/motifs/refus/Facture/AValider",
        RecupererMotifsRefusFactureAValider,
        "api_recuperer_motifs_refus_a_valider",
    ),
    (
        "cpro/transverses/v1/recuperer/motifs/exonerationtva",
        RecupererMotifsExonerationTva,
        "api_recuperer_motifs_exoneration_tva",
    ),
    ("cpro/transverses/v1/recuperer/pays", RecupererPays, "api_recuperer_pays"),
    ("cpro/transverses/v1/recuperer/modereglements", RecupererModeReglements, "api_recuperer_modereglements"),
    ("cpro/transverses/v1/recuperer/formatflux", RecupererFormatFlux, "api_recuperer_formatflux"),
    ("cpro/transverses/v1/recuperer/syntaxeflux", RecupererSyntaxeFlux, "api_recuperer_syntaxeflux"),
    ("cpro/transverses/v1/recuperer/typedp", RecupererTypeDemandePaiement, "api_recuperer_typedp"),
    (
        "cpro/transverses/v1/recuperer/typefacturetravaux",
        RecupererTypeFactureTravaux,
        "api_recuperer_typefacturetravaux",
    ),
    (
        "cpro/transverses/v1/recuperer/typeidentifiant/structure",
        RecupererTypeIdentifiantStructure,
        "api_recuperer_typeidentifiant_structure",
    ),
    ("cpro/transverses/v1/recuperer/typestructure", RecupererTypeStructure, "api_recuperer_typestructure"),
    (
        "cpro/transverses/v1/recuperer/coordbanc/valides",
        RecupererCoordonneesBancairesValides,
        "api_recuperer_coordbanc_valides",
    ),
    (
        "cpro/transverses/v1/recuperer/structures/actives/facturetravaux",
        RecupererStructuresActivesFactureTravaux,
        "api_structures_actives_facturetravaux",
    ),
    (
        "cpro/transverses/v1/recuperer/structuresPourUtilisateur",
        RecupererStructuresPourUtilisateur,
        "api_recuperer_structures_pour_utilisateur",
    ),
    (
        "cpro/transverses/v1/rechercher/categorieSollicitation",
        RechercherCategorieSollicitation,
        "api_rechercher_categorie_sollicitation",
    ),
    (
        "cpro/transverses/v1/rechercher/sousCategorieSollicitation",
        RechercherSousCategorieSollicitation,
        "api_rechercher_sous_categorie_sollicitation",
    ),
]
