"""A works piece deposited by flux (Factur-X FSO1137A, syntaxes E4/E5: raccordement.services.flux) becomes a works
piece through the web deposit's own service (travaux.services.depot.piece_deposer): the same matrix, chain, dossier,
checks and statuses.

What the file says:
- BT-23 (business process) carries the works cadre (A4, A7…); the piece is deposited by the role the cadre belongs
  to, which must be the supplier's side (the file's seller is the depositing structure: a flux never carries an MOE's
  or an MOA's piece, chorus-pro-api.md §4.6 « EDI cannot carry MOE/MOA pieces »).
- The buyer (BT-46/BT-47, the recipient) is the maîtrise d'ouvrage, with its service code in BT-10.
- The maîtrise d'œuvre is the buyer's agent (`BuyerAgentTradeParty`, Factur-X EXTENDED), identified by its SIRET
  (SpecifiedLegalOrganization/ID or GlobalID, scheme 0002, or its ID). A piece bound for the MOE that does not name
  it is deposited « À associer par la MOE » (A_ASSOCIER_MOE): the supplier names it later (travaux.services.moe),
  and the MOE's 7-day deadline starts then.
- BT-25 (preceding invoice reference) naming one of the supplier's works pieces, or one of its dossiers de
  facturation (the dossier's piece still awaiting its next one), is a deposit « à partir d'une pièce existante »:
  the piece joins that dossier and its actors at once (travaux/regles/enchainements.csv). A BT-25 that names
  nothing of the supplier's is an error: the deposit would otherwise open a second dossier for the same cycle.

The support matrix's column is the flux's transport: the EDI drop is « EDI », `factures/v1/deposer/flux` the
« service », the portal's flux upload the « portail » (facturation/regles/cadres.csv).
"""

from django.core.files.storage import default_storage
from django.db import transaction

from chorus.exceptions import ApplicationError
from facturation.enums import FormatDepot
from facturation.services.depot import DepotRefuse
from facturation.services.televersement import (
    COUCHE_CHORUS,
    ErreurDepot,
    TeleversementRefuse,
    facture_du_fichier,
    montants_du_fichier,
)
from organisation.enums import StatutStructure, TypeIdentifiant
from organisation.models import Structure
from travaux import regles
from travaux.enums import RoleTravaux, TypeDepot
from travaux.models import PieceTravaux
from travaux.services.depot import piece_deposer

CHAMP_CADRE = "BT-23 (cadre de facturation)"
CHAMP_MOE = "BuyerAgentTradeParty (maîtrise d'œuvre)"
CHAMP_PRECEDENTE = "BT-25 (pièce précédente)"

# piece_deposer's fields → the file's
CHAMPS_DU_FICHIER = {
    "cadre": CHAMP_CADRE,
    "moe": CHAMP_MOE,
    "service_moe": CHAMP_MOE,
    "moa": "BT-47 (SIRET de l'acheteur, maîtrise d'ouvrage)",
    "service_moa": "BT-10 (code service de la maîtrise d'ouvrage)",
    "code_service": "BT-10 (code service de la maîtrise d'ouvrage)",
    "destinataire": "BT-47 (SIRET de l'acheteur, maîtrise d'ouvrage)",
    "numero_engagement": "BT-13 (numéro d'engagement)",
    "piece_precedente": CHAMP_PRECEDENTE,
    "fournisseur": "BT-30 (SIRET du vendeur)",
    "date_facture": "BT-2 (date de la pièce)",
    "numero": "BT-1 (numéro de la pièce)",
    "valideur_1": "valideur (sous-traitance, cotraitance)",
}

_NS = {"ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"}
_AGENT = "//ram:ApplicableHeaderTradeAgreement/ram:BuyerAgentTradeParty"


def _erreur(code, message, champ):
    return ErreurDepot(COUCHE_CHORUS, code, message, champ=champ)


def siret_moe(racine):
    """The SIRET of the buyer's agent (the MOE), or "" when the file names none."""
    if racine is None:
        return ""
    for chemin in (
        f"{_AGENT}/ram:SpecifiedLegalOrganization/ram:ID",
        f"{_AGENT}/ram:GlobalID[@schemeID='0002']",
        f"{_AGENT}/ram:ID",
    ):
        for element in racine.xpath(chemin, namespaces=_NS):
            valeur = (element.text or "").strip().replace(" ", "")
            if valeur:
                return valeur
    return ""


def _moe(siret, erreurs):
    if not siret:
        return None
    moe = Structure.objects.filter(type_identifiant=TypeIdentifiant.SIRET, identifiant=siret).first()
    if moe is None or moe.statut != StatutStructure.ACTIVE:
        erreurs.append(
            _erreur(
                "MOE_INCONNUE",
                f"La maîtrise d'œuvre du fichier (SIRET {siret}) n'est pas une structure active de l'annuaire.",
                CHAMP_MOE,
            )
        )
        return None
    return moe


def piece_precedente_du_fichier(fournisseur, reference):
    """The supplier's piece BT-25 names: a piece number, else a dossier number (its piece still awaiting the next
    one). None when it names nothing of the supplier's."""
    pieces = PieceTravaux.objects.filter(dossier__fournisseur=fournisseur).select_related("facture")
    piece = pieces.filter(facture__numero=reference).order_by("-facture__deposee_le", "-pk").first()
    if piece is None:
        piece = (
            pieces.filter(dossier__numero=reference, piece_suivante__isnull=True)
            .order_by("-facture__deposee_le", "-pk")
            .first()
        )
    return piece


def _depuis_refus(erreurs):
    return [
        _erreur("TRAVAUX", getattr(e, "message", str(e)), CHAMPS_DU_FICHIER.get(getattr(e, "champ", ""), ""))
        for e in erreurs
    ]


def piece_flux_deposer(*, analyse, racine, cadre, fournisseur, par, canal, mode_depot, service_fournisseur=None):
    """Deposit the works Factur-X of `analyse` (no blocking error) for `fournisseur`; returns its PieceTravaux.

    `par`: the user who deposited the flux, the technical account's user, or None for the EDI drop (the structure's
    EDI raccordement authorised it). Raises TeleversementRefuse with every error, named by the file's field; nothing
    is saved then (the files written are removed)."""
    if analyse.bloquantes or analyse.neutre is None:
        raise TeleversementRefuse(analyse.erreurs, analyse.neutre)
    neutre = analyse.neutre
    role = regles.ROLE_DU_CADRE.get(cadre)
    if role is None:
        raise TeleversementRefuse(
            [_erreur("CADRE", f"Le cadre {cadre} n'est pas un cadre de facturation de travaux.", CHAMP_CADRE)], neutre
        )
    if role not in regles.ROLES_COTE_FOURNISSEUR:
        raise TeleversementRefuse(
            [
                _erreur(
                    "CADRE",
                    f"Le cadre {cadre} est déposé par la {RoleTravaux(role).label.lower()} : un flux ne porte que les "
                    "pièces du fournisseur, du sous-traitant ou du cotraitant. Déposez cette pièce dans « Factures "
                    "de travaux » ou par le service facturesTravaux.",
                    CHAMP_CADRE,
                )
            ],
            neutre,
        )
    erreurs = []
    moe = _moe(siret_moe(racine), erreurs)
    precedente = None
    if neutre.facture_origine:
        precedente = piece_precedente_du_fichier(fournisseur, neutre.facture_origine)
        if precedente is None:
            erreurs.append(
                _erreur(
                    "PIECE_PRECEDENTE",
                    f"La pièce précédente « {neutre.facture_origine} » (BT-25) n'est ni une pièce ni un dossier de "
                    f"facturation de {fournisseur.raison_sociale}.",
                    CHAMP_PRECEDENTE,
                )
            )
    if erreurs:
        raise TeleversementRefuse(erreurs, neutre)

    facture = facture_du_fichier(
        neutre,
        analyse.syntaxe_xml,
        fournisseur=fournisseur,
        par=par,
        service_fournisseur=service_fournisseur,
        acheminement=analyse.acheminement,
    )
    fichiers = []
    try:
        with transaction.atomic():
            try:
                piece = _deposer(
                    par=par,
                    role=role,
                    cadre=cadre,
                    canal=canal,
                    facture=facture,
                    analyse=analyse,
                    moe=moe,
                    precedente=precedente,
                    mode_depot=mode_depot,
                )
            finally:
                fichiers += [f.name for f in (facture.fichier_pdf, facture.fichier_xml) if f]
    except DepotRefuse as refus:
        _effacer(fichiers)
        raise TeleversementRefuse(_depuis_refus(refus.erreurs), neutre) from refus
    except ApplicationError as refus:
        _effacer(fichiers)
        raise TeleversementRefuse(_depuis_refus([refus]), neutre) from refus
    except BaseException:
        _effacer(fichiers)
        raise
    return piece


def _deposer(*, par, role, cadre, canal, facture, analyse, moe, precedente, mode_depot):
    # an associated piece keeps its dossier's actors: those the file names are checked against them
    return piece_deposer(
        par=par,
        role=role,
        cadre=cadre,
        type_depot=TypeDepot.ASSOCIATION if precedente else TypeDepot.INITIAL,
        canal=canal,
        facture=facture,
        lignes=analyse.lignes,
        piece_precedente=precedente,
        pdf=analyse.contenu,
        nom_pdf=analyse.nom,
        xml=analyse.xml,
        nom_xml="factur-x.xml",
        format_depot=FormatDepot.FACTURX,
        montants=montants_du_fichier(analyse.neutre),
        mode_depot=mode_depot,
        moe_a_associer=True,
        par_raccordement=par is None,
        moe=moe,
        moa=facture.destinataire if facture.destinataire_id else None,
        service_moa=facture.service_destinataire if facture.service_destinataire_id else None,
    )


def _effacer(noms):
    # a file written to disk does not follow the transaction's rollback
    for nom in noms:
        if nom and default_storage.exists(nom):
            default_storage.delete(nom)
