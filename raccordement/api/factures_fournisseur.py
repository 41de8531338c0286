"""The supplier's services of the API (chorus-pro-api.md §2.1, §2.5, §3.1): keep a file (`ajouter/fichier`), read a
PDF (`deposer/pdf`), submit an invoice from data (`soumettre`), complete a suspended one, recycle one to recycle,
« Traiter le rejet » and download a group of invoices.

Each one goes through the portal's own path, as the account's technical user: `soumettre` reads its JSON into a
FactureSoumise and calls facturation.services.soumission.facture_soumettre (the entry form's rules, asked of
facturation.regles_depot; draft and « Valider et envoyer », the same Factur-X), the others call the services of
the supplier's follow-up (facturation.services.suivi, travaux.rejets) and of the download. A refusal names the
field with Chorus Pro's JSON path (`lignePoste[1].lignePosteQuantite`)."""

import base64
import binascii
import datetime
from decimal import Decimal, InvalidOperation
from pathlib import PurePath

from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404
from rest_framework import status

from chorus.chiffres import nombre_francais
from chorus.exceptions import ApplicationError
from facturation import regles_depot
from facturation.certificat import empreinte_sha256, fichier_depose
from facturation.enums import FormatDepot, ModeDepot, arrondir
from facturation.formats import pdf_texte
from facturation.formats import signature as signatures
from facturation.formats.erreurs import FormatInvalide
from facturation.models import Facture
from facturation.referentiels import taux_ecrit, unite_du_libelle
from facturation.selectors import emises
from facturation.selectors.consultables import factures_consultables
from facturation.services.depot import DepotRefuse
from facturation.services.pieces_jointes import piece_jointe_deposant_ajouter
from facturation.services.soumission import FactureSoumise, LigneSoumise, facture_soumettre, facture_verifier
from facturation.services.suivi import (
    MESSAGE_TRAITER_REJET_NON_ELIGIBLE,
    facture_completer,
    facture_recycler,
    rejet_traiter,
)
from facturation.services.telechargement import GroupeTropGros, factures_telecharger_groupe
from facturation.services.televersement import (
    NOM_FICHIER_LONGUEUR_MAX,
    TAILLE_MAX_OCTETS,
    destinataire_du_pdf,
)
from organisation.enums import Application, Niveau
from organisation.habilitations import structures_visibles
from organisation.models import PieceJointeStructure
from organisation.regles import PJ_NOM_LONGUEUR_MAX
from raccordement.api import enveloppe
from raccordement.api.schema import SchemaCpro, liste, objet
from raccordement.api.valeurs import CADRE_API, CADRE_DU_CODE_API, date_api
from raccordement.api.vues import ErreurDonnees, ServiceCpro, champ
from travaux.models import PieceTravaux
from travaux.rejets import rejets_traiter
from travaux.services.refus import PieceNonAccessible


def _montant(valeur, devise):
    return float(arrondir(Decimal(valeur), devise)) if valeur is not None else None


def _fichier_b64(corps, cle, taille_max=TAILLE_MAX_OCTETS):
    """The bytes of a base64 field, refused when it is not base64 or heavier than the limit (10 Mo)."""
    b64 = champ(corps, cle, type_=str, obligatoire=True)
    if len(b64) > taille_max * 4 // 3 + 4:
        raise ErreurDonnees(f"{cle} : le fichier dépasse {taille_max // (1024 * 1024)} Mo.", champ=cle)
    try:
        return base64.b64decode(b64, validate=True)
    except (binascii.Error, ValueError):
        raise ErreurDonnees(f"{cle} : le contenu du fichier doit être encodé en base64.", champ=cle) from None


def _identifiant(corps, cle):
    return champ(corps, cle, type_=int, obligatoire=True)


def _objets(corps, cle):
    valeur = corps.get(cle)
    if valeur in (None, ""):
        return []
    if isinstance(valeur, dict):  # a single object where Chorus Pro documents a list: accepted as one item
        valeur = [valeur]
    if not isinstance(valeur, list) or not all(isinstance(v, dict) for v in valeur):
        raise ErreurDonnees(f"{cle} : une liste d'objets est attendue.", champ=cle)
    return valeur


def _ids(corps, cle, cle_id):
    """The integer `cle_id` of every object of the list `cle`, a refusal naming `cle[rang].cle_id`."""
    ids = []
    for rang, item in enumerate(_objets(corps, cle)):
        try:
            ids.append(champ(item, cle_id, type_=int, obligatoire=True))
        except ErreurDonnees as erreur:
            chemin = f"{cle}[{rang}].{cle_id}"
            raise ErreurDonnees(erreur.message.replace(cle_id, chemin, 1), champ=chemin) from None
    return ids


def _bloc(corps, cle):
    valeur = corps.get(cle)
    if valeur in (None, ""):
        return {}
    if not isinstance(valeur, dict):
        raise ErreurDonnees(f"{cle} : un objet est attendu.", champ=cle)
    return valeur


# --- the files kept for later deposits (ajouterFichierDansSysteme) -------------------------------------------------


def pieces_du_compte(user):
    """The documents the technical user may join to an invoice: those of the structures it invoices for."""
    structures = structures_visibles(user, Application.FACTURES_EMISES, Niveau.MODIFICATION)
    return PieceJointeStructure.objects.filter(structure__in=structures)


def _pieces(user, corps, cle, cle_id):
    """The PieceJointeStructure named by `cle[i].cle_id`: an unknown or another structure's id answers 404."""
    ids = _ids(corps, cle, cle_id)
    pieces = {p.pk: p for p in pieces_du_compte(user).filter(pk__in=ids)}
    if len(pieces) != len(set(ids)):
        raise Http404(cle)
    return [pieces[i] for i in ids]


def _contenu(piece):
    with piece.fichier.open("rb") as flux:
        return flux.read()


class AjouterFichier(ServiceCpro):
    """Enregistre un fichier (pièce jointe) pour les prochains dépôts de la structure du compte technique ; son
    identifiant `pieceJointeId` se donne ensuite à soumettreFacture (`pieceJointePrincipale`,
    `pieceJointeComplementaire`) ou à completerFacture. Règles de Chorus Pro : nom de 50 caractères au plus,
    extension comprise et de la liste autorisée, fichier non vide de moins de 10 Mo."""

    requete = objet(
        {
            "idUtilisateurCourant": {"type": "integer"},
            "pieceJointeFichier": {"type": "string", "format": "byte"},
            "pieceJointeNom": {"type": "string"},
            "pieceJointeTypeMime": {"type": "string"},
            "pieceJointeExtension": {"type": "string"},
        },
        ["pieceJointeFichier", "pieceJointeNom"],
    )
    reponse = {"pieceJointeId": {"type": "integer"}}

    def traiter(self, request, corps):
        nom = champ(corps, "pieceJointeNom", type_=str, obligatoire=True).strip()
        extension = (champ(corps, "pieceJointeExtension", type_=str, defaut="") or "").strip().lstrip(".")
        if not PurePath(nom).suffix and extension:
            nom = f"{nom}.{extension}"  # the name without its extension, the extension apart: one file name
        elif extension and PurePath(nom).suffix.lstrip(".").lower() != extension.lower():
            raise ErreurDonnees(
                f"pieceJointeExtension : « {extension} » n'est pas l'extension du fichier « {nom} ».",
                champ="pieceJointeExtension",
            )
        contenu = _fichier_b64(corps, "pieceJointeFichier")
        try:
            piece = piece_jointe_deposant_ajouter(
                structure=request.auth.structure, par=request.user, fichier=ContentFile(contenu, name=nom)
            )
        except ApplicationError as erreur:
            cle = "pieceJointeFichier" if "vide" in erreur.message or " Mo" in erreur.message else "pieceJointeNom"
            raise ErreurDonnees(f"{cle} : {erreur.message}", champ=cle) from erreur
        return {"pieceJointeId": piece.pk}


# --- deposerPDFFacture ----------------------------------------------------------------------------------------------

FORMATS_PDF = (FormatDepot.PDF_NON_SIGNE, FormatDepot.PDF_SIGNE_PADES, FormatDepot.PDF_SIGNE_XADES)


def _nom_court(nom):
    """The PDF's name as a document of the structure (50 characters at most, its extension kept)."""
    chemin = PurePath(nom)
    return f"{chemin.stem[: PJ_NOM_LONGUEUR_MAX - len(chemin.suffix)]}{chemin.suffix}"


class DeposerPdf(ServiceCpro):
    """Lit une facture PDF comme le portal pré-remplit la saisie à partir d'un PDF (mots-clés « SIRET client »,
    « engagement », « marché »…) et renvoie les données trouvées, à confirmer, avec le `pieceJointeId` du PDF : il
    se donne ensuite à soumettreFacture en `pieceJointePrincipale` avec `modeDepot` DEPOT_PDF_API. Une donnée non
    trouvée est renvoyée vide (null). Le PDF : 200 caractères au plus pour son nom, 10 Mo au plus ; un PDF signé
    PAdES est vérifié."""

    requete = objet(
        {
            "idUtilisateurCourant": {"type": "integer"},
            "fichierFacture": {"type": "string", "format": "byte"},
            "nomFichier": {"type": "string", "maxLength": NOM_FICHIER_LONGUEUR_MAX},
            "formatDepot": {"type": "string", "enum": list(FORMATS_PDF)},
        },
        ["fichierFacture", "nomFichier", "formatDepot"],
    )
    reponse = {
        "numeroFacture": {"type": "string", "nullable": True},
        "dateFacture": {"type": "string", "nullable": True},
        "codeDestinataire": {"type": "string", "nullable": True},
        "codeServiceExecutant": {"type": "string", "nullable": True},
        "codeFournisseur": {"type": "string"},
        "codeDeviseFacture": {"type": "string", "nullable": True},
        "typeFacture": {"type": "string", "nullable": True},
        "typeTva": {"type": "string", "nullable": True},
        "numeroBonCommande": {"type": "string", "nullable": True},
        "numeroMarche": {"type": "string", "nullable": True},
        "montantTtcAvantRemiseGlobalTTC": {"type": "number", "nullable": True},
        "montantAPayer": {"type": "number", "nullable": True},
        "montantHtTotal": {"type": "number", "nullable": True},
        "montantTVA": {"type": "number", "nullable": True},
        "pieceJointeId": {"type": "integer"},
    }

    def traiter(self, request, corps):
        nom = PurePath(champ(corps, "nomFichier", type_=str, obligatoire=True)).name
        if len(nom) > NOM_FICHIER_LONGUEUR_MAX:
            raise ErreurDonnees(
                f"nomFichier : le nom du fichier fait {len(nom)} caractères : {NOM_FICHIER_LONGUEUR_MAX} au plus.",
                champ="nomFichier",
            )
        if PurePath(nom).suffix.lower() != ".pdf":
            raise ErreurDonnees(f"nomFichier : « {nom} » n'est pas un fichier .pdf.", champ="nomFichier")
        format_depot = champ(corps, "formatDepot", type_=str, obligatoire=True)
        if format_depot not in FORMATS_PDF:
            raise ErreurDonnees(
                f"formatDepot : {', '.join(FORMATS_PDF)} (reçu « {format_depot} »).", champ="formatDepot"
            )
        contenu = _fichier_b64(corps, "fichierFacture")
        if not contenu:
            raise ErreurDonnees(f"fichierFacture : le fichier « {nom} » est vide.", champ="fichierFacture")
        if b"%PDF-" not in contenu[:1024]:
            raise ErreurDonnees(
                f"fichierFacture : « {nom} » n'est pas un PDF (son contenu ne commence pas par « %PDF- »).",
                champ="fichierFacture",
            )
        if format_depot == FormatDepot.PDF_SIGNE_PADES:
            try:
                signatures.verifier_pades(contenu)
            except signatures.SignatureInvalide as exc:
                raise ErreurDonnees(f"fichierFacture : {exc}", champ="fichierFacture") from None
        try:
            donnees = pdf_texte.lire_pdf(contenu)
        except FormatInvalide as exc:
            raise ErreurDonnees(f"fichierFacture : « {nom} » : {exc}", champ="fichierFacture") from None
        fournisseur = request.auth.structure
        destinataire = destinataire_du_pdf(donnees, "", fournisseur)
        try:
            piece = piece_jointe_deposant_ajouter(
                structure=fournisseur, par=request.user, fichier=ContentFile(contenu, name=_nom_court(nom))
            )
        except ApplicationError as erreur:
            raise ErreurDonnees(f"fichierFacture : {erreur.message}", champ="fichierFacture") from erreur
        return {
            "numeroFacture": donnees.numero or None,
            "dateFacture": date_api(donnees.date_facture),
            "codeDestinataire": destinataire.identifiant if destinataire else (donnees.siret_client or None),
            "codeServiceExecutant": None,
            "codeFournisseur": fournisseur.identifiant,
            "codeDeviseFacture": donnees.devise or None,
            "typeFacture": None,
            "typeTva": None,
            "numeroBonCommande": donnees.numero_engagement or None,
            "numeroMarche": donnees.numero_marche or None,
            "montantTtcAvantRemiseGlobalTTC": None,
            "montantAPayer": None,
            "montantHtTotal": None,
            "montantTVA": None,
            "pieceJointeId": piece.pk,
        }


# --- soumettreFacture -----------------------------------------------------------------------------------------------

# the web entry's field → Chorus Pro's JSON path, so that a refusal names what the client sent
CHEMIN_DU_CHAMP = {
    "cadre": "cadreDeFacturation.codeCadreFacturation",
    "siret_valideur": "cadreDeFacturation.codeStructureValideur",
    "valideur_1": "cadreDeFacturation.codeStructureValideur",
    "code_service_valideur": "cadreDeFacturation.codeServiceValideur",
    "destinataire": "destinataire.codeDestinataire",
    "code_service": "destinataire.codeServiceExecutant",
    "service_destinataire": "destinataire.codeServiceExecutant",
    "fournisseur": "fournisseur.idFournisseur",
    "service_fournisseur": "fournisseur.idServiceFournisseur",
    "coordonnee_bancaire": "fournisseur.codeCoordonneesBancairesFournisseur",
    "numero": "numeroFactureSaisi",
    "date_facture": "dateFacture",
    "devise": "references.deviseFacture",
    "type_facture": "references.typeFacture",
    "numero_facture_origine": "references.numeroFactureOrigine",
    "type_tva": "references.typeTva",
    "motif_exoneration": "references.motifExonerationTva",
    "mode_paiement": "references.modePaiement",
    "numero_engagement": "references.numeroBonCommande",
    "numero_marche": "references.numeroMarche",
    "remise_globale": "montantTotal.montantRemiseGlobaleTTC",
    "motif_remise_globale": "montantTotal.motifRemiseGlobaleTTC",
    "commentaire": "commentaire",
    "lignes": "lignePoste",
    "pieces_structure": "pieceJointeComplementaire",
    "pieces_jointes": "pieceJointeComplementaire",
}
CHEMIN_DE_LIGNE = {
    "reference": "lignePosteReference",
    "designation": "lignePosteDenomination",
    "quantite": "lignePosteQuantite",
    "unite": "lignePosteUnite",
    "prix_unitaire_ht": "lignePosteMontantUnitaireHT",
    "remise": "lignePosteMontantRemiseHT",
    "taux_tva": "lignePosteTauxTva",
}
MODES_SOUMISSION = (ModeDepot.SAISIE_API, ModeDepot.DEPOT_PDF_API, ModeDepot.DEPOT_PDF_SIGNE_API)


class ErreursSoumission(ErreurDonnees):
    """Every refusal of a submission at once, the first one naming its field (as the web entry shows them all)."""

    def __init__(self, erreurs):
        self.erreurs = erreurs
        premier_champ, premier_message = erreurs[0]
        super().__init__(premier_message, champ=premier_champ)


def _texte(valeur):
    if valeur is None:
        return ""
    if isinstance(valeur, bool):
        return str(valeur).lower()
    if isinstance(valeur, float | int):
        return format(Decimal(str(valeur)), "f")
    return str(valeur)


def _taux(valeur):
    texte = _texte(valeur).replace(",", ".")
    try:
        return taux_ecrit(Decimal(texte)) if texte else ""
    except InvalidOperation:
        return texte


def _date(texte, erreurs):
    """dateFacture: AAAA-MM-JJ (a time after it is dropped) or JJ/MM/AAAA, as the entry form reads it."""
    texte = texte[:10] if len(texte) > 10 and texte[10] == "T" else texte
    if not texte:
        return None
    for format_ in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(texte, format_).replace(tzinfo=datetime.UTC).date()
        except ValueError:
            continue
    erreurs.append(regles_depot.Erreur("date_facture", regles_depot.MESSAGE_DATE_INVALIDE))
    return None


def _nombre(valeur, champ, message, erreurs):
    """A JSON number (or a text « 1 250,50 ») as a Decimal; None when absent."""
    texte = nombre_francais(_texte(valeur).strip())
    if not texte:
        return None
    try:
        return Decimal(texte)
    except InvalidOperation:
        erreurs.append(regles_depot.Erreur(champ, message))
        return None


def _facture_soumise(corps, fournisseur_id):
    """(the FactureSoumise of soumettreFacture's JSON (chorus-pro-api.md §3.1), the errors of values that are not
    numbers or dates), named as the entry form's fields."""
    cadre_bloc, destinataire = _bloc(corps, "cadreDeFacturation"), _bloc(corps, "destinataire")
    references = _bloc(corps, "references")
    montants = _bloc(corps, "montantTotal")
    cadre = _texte(cadre_bloc.get("codeCadreFacturation")).strip() or "A1_FACTURE_FOURNISSEUR"
    erreurs = []
    lignes = []
    for rang, ligne in enumerate(_objets(corps, "lignePoste")):
        unite = _texte(ligne.get("lignePosteUnite")).strip() or "C62"
        taux = ligne.get("lignePosteTauxTvaManuel")
        montant_invalide = regles_depot.messages_montant
        lignes.append(
            LigneSoumise(
                reference=_texte(ligne.get("lignePosteReference")).strip(),
                designation=_texte(ligne.get("lignePosteDenomination")).strip(),
                quantite=_nombre(
                    ligne.get("lignePosteQuantite"),
                    f"lignes[{rang}].quantite",
                    regles_depot.de_la_ligne(regles_depot.MESSAGES_QUANTITE["invalid"], "Quantité", rang + 1),
                    erreurs,
                ),
                unite=unite_du_libelle(unite),
                prix_unitaire_ht=_nombre(
                    ligne.get("lignePosteMontantUnitaireHT"),
                    f"lignes[{rang}].prix_unitaire_ht",
                    regles_depot.de_la_ligne(
                        montant_invalide("Prix unitaire HT")["invalid"], "Prix unitaire HT", rang + 1
                    ),
                    erreurs,
                ),
                remise=_nombre(
                    ligne.get("lignePosteMontantRemiseHT"),
                    f"lignes[{rang}].remise",
                    regles_depot.de_la_ligne(montant_invalide("Remise HT")["invalid"], "Remise HT", rang + 1),
                    erreurs,
                ),
                taux_tva=_taux(taux if taux not in (None, "") else ligne.get("lignePosteTauxTva")),
            )
        )
    soumise = FactureSoumise(
        fournisseur=fournisseur_id,
        cadre=CADRE_DU_CODE_API.get(cadre, cadre),
        siret_valideur=_texte(cadre_bloc.get("codeStructureValideur")).strip(),
        code_service_valideur=_texte(cadre_bloc.get("codeServiceValideur")).strip(),
        destinataire=_texte(destinataire.get("codeDestinataire")).strip(),
        code_service=_texte(destinataire.get("codeServiceExecutant")).strip(),
        # identifiers checked as 64-bit integers before they reach a query
        service_fournisseur=champ(corps, "fournisseur.idServiceFournisseur", type_=int),
        coordonnee_bancaire=champ(corps, "fournisseur.codeCoordonneesBancairesFournisseur", type_=int),
        numero=_texte(corps.get("numeroFactureSaisi")).strip(),
        date_facture=_date(_texte(corps.get("dateFacture")).strip(), erreurs),
        devise=_texte(references.get("deviseFacture")).strip() or "EUR",
        type_facture=_texte(references.get("typeFacture")).strip() or "FACTURE",
        numero_facture_origine=_texte(references.get("numeroFactureOrigine")).strip(),
        type_tva=_texte(references.get("typeTva")).strip() or "TVA_SUR_DEBIT",
        motif_exoneration=_texte(references.get("motifExonerationTva")).strip(),
        mode_paiement=_texte(references.get("modePaiement")).strip(),
        numero_engagement=_texte(references.get("numeroBonCommande")).strip(),
        numero_marche=_texte(references.get("numeroMarche")).strip(),
        remise_globale=_nombre(
            montants.get("montantRemiseGlobaleTTC"),
            "remise_globale",
            regles_depot.messages_montant("Remise globale TTC")["invalid"],
            erreurs,
        ),
        motif_remise_globale=_texte(montants.get("motifRemiseGlobaleTTC")).strip(),
        commentaire=_texte(corps.get("commentaire")).strip(),
        lignes=tuple(lignes),
    )
    return soumise, erreurs


def _chemin(champ_form):
    """Chorus Pro's JSON path of an entry field (`lignes[1].quantite` → `lignePoste[1].lignePosteQuantite`)."""
    champ_form = champ_form or ""
    if champ_form.startswith("lignes["):
        rang, _, nom = champ_form.partition("].")
        return f"lignePoste[{rang.removeprefix('lignes[')}].{CHEMIN_DE_LIGNE.get(nom, nom)}"
    return CHEMIN_DU_CHAMP.get(champ_form, "numeroFactureSaisi")


def _decimal_fini(valeur):
    """A finite Decimal, or None (not a number, infinite, NaN: nothing to round or compare)."""
    try:
        nombre = Decimal(_texte(valeur))
    except (InvalidOperation, ValueError):
        return None
    return nombre if nombre.is_finite() else None


ANNONCES = {
    "montantHtTotal": "total_ht",
    "montantTVA": "total_tva",
    "montantTtcTotal": "total_ttc",
    "montantAPayer": "net_a_payer",
}
CLE_VENTILATION = {"base_ht": "ligneTvaMontantBaseHtParTaux", "montant_tva": "ligneTvaMontantTvaParTaux"}


def _controler_montants(corps, totaux, devise):
    """The amounts the client announces must be those of its lines: the deposit computes them from the lines (as the
    portal does); a difference is said before anything is saved rather than silently replaced. The comparison is
    facturation.regles_depot.ecarts_annonces; this says it with the JSON's names."""
    montants = _bloc(corps, "montantTotal")
    erreurs, annonces, textes = [], {}, {}
    for cle, total in ANNONCES.items():
        annonce = montants.get(cle)
        if annonce in (None, ""):
            continue
        montant = _decimal_fini(annonce)
        if montant is None:
            erreurs.append((f"montantTotal.{cle}", f"montantTotal.{cle} : un montant est attendu."))
            continue
        annonces[total] = montant
        textes[total] = (cle, _texte(annonce))
    ventilation, rangs = [], []
    for rang, ligne_tva in enumerate(_objets(corps, "ligneTva")):
        taux = ligne_tva.get("ligneTvaTauxManuel")
        taux = taux if taux not in (None, "") else ligne_tva.get("ligneTvaTaux")
        taux_decimal = _decimal_fini(taux)
        if taux_decimal is None:
            erreurs.append((f"ligneTva[{rang}].ligneTvaTaux", f"ligneTva[{rang}].ligneTvaTaux : un taux est attendu."))
            continue
        valeurs = []
        for cle in CLE_VENTILATION.values():
            annonce = ligne_tva.get(cle)
            montant = None if annonce in (None, "") else _decimal_fini(annonce)
            if montant is None and annonce not in (None, ""):
                montant = Decimal("NaN")  # not a number: never equal, said as a difference (as before)
            valeurs.append(montant)
        ventilation.append((taux_decimal, *valeurs))
        rangs.append((rang, _texte(taux), ligne_tva))
    for ecart in regles_depot.ecarts_annonces(
        totaux, devise, totaux_annonces=annonces, ventilation_annoncee=ventilation
    ):
        if ecart.rang is None:
            cle, texte = textes[ecart.cle]
            erreurs.append(
                (
                    f"montantTotal.{cle}",
                    f"montantTotal.{cle} : {texte} {devise} annoncés, les lignes de la facture font "
                    f"{ecart.calcule} {devise}.",
                )
            )
            continue
        rang, taux, ligne_tva = rangs[ecart.rang]
        if ecart.calcule is None:
            erreurs.append(
                (
                    f"ligneTva[{rang}].ligneTvaTaux",
                    f"ligneTva[{rang}].ligneTvaTaux : aucune ligne de la facture n'est au taux de {taux} %.",
                )
            )
            continue
        cle = CLE_VENTILATION[ecart.cle]
        erreurs.append(
            (
                f"ligneTva[{rang}].{cle}",
                f"ligneTva[{rang}].{cle} : {_texte(ligne_tva.get(cle))} {devise} annoncés, les lignes au taux de "
                f"{taux} % font {ecart.calcule} {devise}.",
            )
        )
    return erreurs


def _refus_depot(refus):
    return ErreursSoumission([(_chemin(getattr(e, "champ", None)), str(e)) for e in refus.erreurs])


class SoumettreFacture(ServiceCpro):
    """Crée et dépose une facture à partir de ses données, comme la saisie du portail (« Valider et envoyer ») :
    mêmes contrôles, mêmes règles d'acheminement du destinataire, et la facture reçoit son Factur-X (PDF lisible et
    XML CII) produit des données. Avec `modeDepot` DEPOT_PDF_API (ou DEPOT_PDF_SIGNE_API, PDF signé PAdES), le PDF
    donné en `pieceJointePrincipale` (identifiant rendu par deposer/pdf ou ajouter/fichier) est la facture. Les
    montants sont calculés à partir des lignes ; ceux annoncés (`montantTotal`, `ligneTva`) doivent y correspondre.
    Chaque refus nomme son champ (chemin JSON) ; tous les refus sont listés dans `listeErreurs`."""

    requete = objet(
        {
            "idUtilisateurCourant": {"type": "integer"},
            "numeroFactureSaisi": {"type": "string"},
            "dateFacture": {"type": "string", "format": "date"},
            "modeDepot": {"type": "string", "enum": list(MODES_SOUMISSION)},
            "commentaire": {"type": "string"},
            "cadreDeFacturation": objet(
                {
                    "codeCadreFacturation": {"type": "string"},
                    "codeStructureValideur": {"type": "string"},
                    "codeServiceValideur": {"type": "string"},
                }
            ),
            "destinataire": objet(
                {"codeDestinataire": {"type": "string"}, "codeServiceExecutant": {"type": "string"}}
            ),
            "fournisseur": objet(
                {
                    "idFournisseur": {"type": "integer"},
                    "idServiceFournisseur": {"type": "integer"},
                    "codeCoordonneesBancairesFournisseur": {"type": "integer"},
                }
            ),
            "references": objet(
                {
                    "deviseFacture": {"type": "string"},
                    "typeFacture": {"type": "string", "enum": ["FACTURE", "AVOIR"]},
                    "typeTva": {"type": "string"},
                    "modePaiement": {"type": "string"},
                    "motifExonerationTva": {"type": "string"},
                    "numeroMarche": {"type": "string"},
                    "numeroBonCommande": {"type": "string"},
                    "numeroFactureOrigine": {"type": "string"},
                }
            ),
            "lignePoste": liste(
                {
                    "lignePosteNumero": {"type": "integer"},
                    "lignePosteReference": {"type": "string"},
                    "lignePosteDenomination": {"type": "string"},
                    "lignePosteQuantite": {"type": "number"},
                    "lignePosteUnite": {"type": "string"},
                    "lignePosteMontantUnitaireHT": {"type": "number"},
                    "lignePosteMontantRemiseHT": {"type": "number"},
                    "lignePosteTauxTva": {"type": "number"},
                    "lignePosteTauxTvaManuel": {"type": "number"},
                }
            ),
            "ligneTva": liste(
                {
                    "ligneTvaTaux": {"type": "number"},
                    "ligneTvaTauxManuel": {"type": "number"},
                    "ligneTvaMontantBaseHtParTaux": {"type": "number"},
                    "ligneTvaMontantTvaParTaux": {"type": "number"},
                }
            ),
            "montantTotal": objet(
                {
                    "montantHtTotal": {"type": "number"},
                    "montantTVA": {"type": "number"},
                    "montantTtcTotal": {"type": "number"},
                    "montantRemiseGlobaleTTC": {"type": "number"},
                    "motifRemiseGlobaleTTC": {"type": "string"},
                    "montantAPayer": {"type": "number"},
                }
            ),
            "pieceJointePrincipale": liste(
                {
                    "pieceJointePrincipaleDesignation": {"type": "string"},
                    "pieceJointePrincipaleId": {"type": "integer"},
                }
            ),
            "pieceJointeComplementaire": liste(
                {
                    "pieceJointeComplementaireDesignation": {"type": "string"},
                    "pieceJointeComplementaireId": {"type": "integer"},
                    "pieceJointeComplementaireIdLiaison": {"type": "integer"},
                    "pieceJointeComplementaireNumeroLigneFacture": {"type": "integer"},
                    "pieceJointeComplementaireType": {"type": "string"},
                }
            ),
        },
        ["numeroFactureSaisi", "fournisseur", "destinataire", "lignePoste"],
    )
    reponse = {
        "identifiantFactureCPP": {"type": "integer"},
        "numeroFacture": {"type": "string"},
        "dateDepot": {"type": "string"},
        "statutFacture": {"type": "string"},
        "identifiantStructure": {"type": "string"},
        "empreinteCertificatDepot": {"type": "string"},
    }

    def handle_exception(self, exc):
        reponse = super().handle_exception(exc)
        if isinstance(exc, ErreursSoumission):
            reponse.data["listeErreurs"] = [{"champ": c, "libelle": m} for c, m in exc.erreurs]
        return reponse

    def traiter(self, request, corps):
        mode = champ(corps, "modeDepot", type_=str, defaut=ModeDepot.SAISIE_API)
        if mode not in MODES_SOUMISSION:
            raise ErreurDonnees(
                f"modeDepot : {', '.join(MODES_SOUMISSION)} (reçu « {mode} ») ; un fichier structuré se dépose avec "
                "deposer/flux.",
                champ="modeDepot",
            )
        fournisseur_id = champ(corps, "fournisseur.idFournisseur", type_=int, obligatoire=True)
        cadre = _texte(_bloc(corps, "cadreDeFacturation").get("codeCadreFacturation"))
        if cadre and cadre not in CADRE_DU_CODE_API and cadre not in CADRE_API:
            raise ErreurDonnees(
                f"cadreDeFacturation.codeCadreFacturation : « {cadre} » n'est pas un cadre de facturation.",
                champ="cadreDeFacturation.codeCadreFacturation",
            )
        principale = None
        if mode != ModeDepot.SAISIE_API:
            [principale, *autres] = _pieces(
                request.user, corps, "pieceJointePrincipale", "pieceJointePrincipaleId"
            ) or [None]
            if principale is None or autres:
                raise ErreurDonnees(
                    f"pieceJointePrincipale : le mode {mode} dépose un PDF, et un seul : donnez son identifiant "
                    "(deposer/pdf ou ajouter/fichier).",
                    champ="pieceJointePrincipale",
                )
        complementaires = _pieces(request.user, corps, "pieceJointeComplementaire", "pieceJointeComplementaireId")

        soumise, refus = _facture_soumise(corps, fournisseur_id)
        verifiee, erreurs = None, [(_chemin(e.champ), e.message) for e in refus]
        if not erreurs:
            try:
                verifiee = facture_verifier(par=request.user, donnees=soumise)
            except DepotRefuse as refus_depot:
                erreurs = _refus_depot(refus_depot).erreurs
            else:
                erreurs = _controler_montants(corps, verifiee.totaux, verifiee.valeurs["devise"])
        pdf = None
        if principale is not None:
            pdf = _contenu(principale)
            if b"%PDF-" not in pdf[:1024]:
                erreurs.append(
                    (
                        "pieceJointePrincipale",
                        f"pieceJointePrincipale : « {principale.nom} » n'est pas un PDF : la facture déposée en mode "
                        f"{mode} est un PDF.",
                    )
                )
            elif mode == ModeDepot.DEPOT_PDF_SIGNE_API:
                try:
                    signatures.verifier_pades(pdf)
                except signatures.SignatureInvalide as exc:
                    erreurs.append(("pieceJointePrincipale", f"pieceJointePrincipale : {exc}"))
        if erreurs:
            raise ErreursSoumission(erreurs)

        signe = mode == ModeDepot.DEPOT_PDF_SIGNE_API
        try:
            facture = facture_soumettre(
                par=request.user,
                verifiee=verifiee,
                pieces_structure=complementaires,
                mode_depot=mode,
                pdf=pdf,
                nom_pdf=principale.nom if principale is not None else "",
                format_depot=FormatDepot.PDF_SIGNE_PADES if signe else FormatDepot.PDF_NON_SIGNE,
            )
        except DepotRefuse as refus:
            raise _refus_depot(refus) from refus
        except ApplicationError as erreur:
            if erreur.champ:
                raise ErreursSoumission(
                    [(CHEMIN_DU_CHAMP.get(erreur.champ, erreur.champ), erreur.message)]
                ) from erreur
            raise
        return {
            "identifiantFactureCPP": facture.pk,
            "numeroFacture": facture.numero,
            "dateDepot": date_api(facture.deposee_le.date()),
            "statutFacture": facture.statut,
            "identifiantStructure": facture.fournisseur.identifiant,
            # the certificate of deposit's fingerprint: the SHA-256 of the deposited file it vouches for
            "empreinteCertificatDepot": empreinte_sha256(fichier_depose(facture)),
        }


# --- completerFacture, recyclerFacture ------------------------------------------------------------------------------


def _facture_emise(request, corps, cle="identifiantFactureCPP"):
    pk = _identifiant(corps, cle)
    facture = emises.factures_emises(request.user, Niveau.MODIFICATION).filter(pk=pk).first()
    if facture is None:
        raise Http404(cle)
    return facture


class CompleterFacture(ServiceCpro):
    """Le fournisseur complète une facture suspendue (statut SUSPENDUE) d'un commentaire et/ou de pièces jointes
    (identifiants rendus par ajouter/fichier) ; elle passe au statut COMPLETEE et revient au destinataire."""

    requete = objet(
        {
            "idUtilisateurCourant": {"type": "integer"},
            "identifiantFactureCPP": {"type": "integer"},
            "commentaire": {"type": "string"},
            "pieceJointeComplementaire": liste(
                {
                    "pieceJointeComplementaireDesignation": {"type": "string"},
                    "pieceJointeComplementaireId": {"type": "integer"},
                }
            ),
        },
        ["identifiantFactureCPP"],
    )
    reponse = {
        "identifiantFactureCPP": {"type": "integer"},
        "numeroFacture": {"type": "string"},
        "dateTraitement": {"type": "string"},
    }

    def traiter(self, request, corps):
        facture = _facture_emise(request, corps)
        pieces = _pieces(request.user, corps, "pieceJointeComplementaire", "pieceJointeComplementaireId")
        try:
            historique = facture_completer(
                facture=facture,
                par=request.user,
                commentaire=champ(corps, "commentaire", type_=str, defaut=""),
                pieces_jointes=[ContentFile(_contenu(p), name=p.nom) for p in pieces],
            )
        except ApplicationError as erreur:
            if erreur.champ in ("pieces_jointes", "pieces_structure"):
                raise ErreurDonnees(
                    f"pieceJointeComplementaire : {erreur.message}", champ="pieceJointeComplementaire"
                ) from erreur
            raise
        return {
            "identifiantFactureCPP": facture.pk,
            "numeroFacture": facture.numero,
            "dateTraitement": date_api(historique.le),
        }


CHEMIN_RECYCLAGE = {
    "destinataire": "destinataire.codeDestinataire",
    "code_service": "destinataire.codeServiceExecutant",
    "numero_engagement": "reference.numeroBonCommande",
    "numero": "identifiantFactureCPP",
    "fournisseur": "identifiantFactureCPP",
}


class RecyclerFacture(ServiceCpro):
    """Le fournisseur réachemine une facture à recycler (statut A_RECYCLER) sous le même numéro : nouveau SIRET du
    destinataire, code service et/ou numéro d'engagement (`reference.numeroBonCommande`) ; les règles
    d'acheminement du dépôt s'appliquent de nouveau et la facture est mise à disposition du destinataire. Une
    donnée omise garde sa valeur ; il faut en changer au moins une."""

    requete = objet(
        {
            "idUtilisateurCourant": {"type": "integer"},
            "identifiantFactureCPP": {"type": "integer"},
            "commentaire": {"type": "string"},
            "destinataire": objet(
                {"codeDestinataire": {"type": "string"}, "codeServiceExecutant": {"type": "string"}}
            ),
            "reference": objet({"numeroBonCommande": {"type": "string"}}),
        },
        ["identifiantFactureCPP"],
    )
    reponse = {
        "identifiantFactureCPP": {"type": "integer"},
        "numeroFacture": {"type": "string"},
        "statutFacture": {"type": "string"},
        "dateDepot": {"type": "string"},
        "dateTraitement": {"type": "string"},
    }

    def traiter(self, request, corps):
        facture = _facture_emise(request, corps)
        destinataire = _bloc(corps, "destinataire")
        reference = _bloc(corps, "reference") or _bloc(corps, "references")
        identifiant = _texte(destinataire.get("codeDestinataire")) or facture.destinataire.identifiant
        code_service = destinataire.get("codeServiceExecutant")
        if code_service is None:
            code_service = facture.service_destinataire.code if facture.service_destinataire_id else ""
        engagement = reference.get("numeroBonCommande")
        try:
            historique = facture_recycler(
                facture=facture,
                par=request.user,
                identifiant_destinataire=identifiant,
                code_service=_texte(code_service),
                numero_engagement=_texte(engagement) if engagement is not None else facture.numero_engagement,
            )
        except DepotRefuse as refus:
            erreurs = [(CHEMIN_RECYCLAGE.get(e.champ, "destinataire.codeDestinataire"), str(e)) for e in refus.erreurs]
            raise ErreursSoumission(erreurs) from refus
        return {
            "identifiantFactureCPP": facture.pk,
            "numeroFacture": facture.numero,
            "statutFacture": facture.statut,
            "dateDepot": date_api(facture.deposee_le.date()),
            "dateTraitement": date_api(historique.le),
        }

    def handle_exception(self, exc):
        reponse = super().handle_exception(exc)
        if isinstance(exc, ErreursSoumission):
            reponse.data["listeErreurs"] = [{"champ": c, "libelle": m} for c, m in exc.erreurs]
        return reponse


# --- traiterFacturesRejetees ----------------------------------------------------------------------------------------


class TraiterRejet(ServiceCpro):
    """« Traiter le rejet » : le fournisseur clôt des factures rejetées ou refusées (factures et factures de
    travaux, `idDemandePaiement` = identifiant de la facture). Celles dont le statut le permet sont traitées, les
    autres restent en l'état et sont listées avec le message du portail ; si aucune ne le permet, le traitement est
    refusé (422) avec ce message."""

    requete = objet(
        {
            "idUtilisateurCourant": {"type": "integer"},
            "listeDemandePaiement": liste({"idDemandePaiement": {"type": "integer"}}),
            "motifRejet": {"type": "string"},
            "cpltInfos": {"type": "string"},
        },
        ["listeDemandePaiement"],
    )
    reponse = {
        "listeDemandePaiementTraitees": liste(
            {"idDemandePaiement": {"type": "integer"}, "numeroFacture": {"type": "string"}}
        ),
        "listeDemandePaiementNonTraitees": liste(
            {
                "idDemandePaiement": {"type": "integer"},
                "numeroFacture": {"type": "string"},
                "statut": {"type": "string"},
            }
        ),
        "messageNonTraitees": {"type": "string"},
    }

    def traiter(self, request, corps):
        demandes = _objets(corps, "listeDemandePaiement")
        if not demandes:
            raise ErreurDonnees("listeDemandePaiement : indiquez au moins une facture.", champ="listeDemandePaiement")
        ids = _ids(corps, "listeDemandePaiement", "idDemandePaiement")
        champ(corps, "motifRejet", type_=str)
        champ(corps, "cpltInfos", type_=str)
        ids = list(dict.fromkeys(ids))
        pieces = dict(PieceTravaux.objects.filter(facture_id__in=ids).values_list("facture_id", "pk"))
        factures = [i for i in ids if i not in pieces]
        visibles = set(
            Facture.objects.emises_visibles(request.user, Niveau.MODIFICATION)
            .filter(pk__in=factures)
            .values_list("pk", flat=True)
        )
        if len(visibles) != len(factures):
            raise Http404("idDemandePaiement")
        traitees, non_eligibles = [], []
        try:
            with transaction.atomic():
                if factures:
                    resultat = rejet_traiter(par=request.user, factures=factures)
                    traitees, non_eligibles = traitees + resultat.traitees, non_eligibles + resultat.non_eligibles
                if pieces:
                    resultat = rejets_traiter(par=request.user, pieces=list(pieces.values()))
                    traitees, non_eligibles = traitees + resultat.traitees, non_eligibles + resultat.non_eligibles
        except PieceNonAccessible:
            raise Http404("idDemandePaiement") from None
        if len(non_eligibles) == len(ids):
            # nothing could be processed: the portal's message, as a refusal of the process (nothing changed)
            raise ApplicationError(MESSAGE_TRAITER_REJET_NON_ELIGIBLE)
        return {
            "listeDemandePaiementTraitees": [{"idDemandePaiement": f.pk, "numeroFacture": f.numero} for f in traitees],
            "listeDemandePaiementNonTraitees": [
                {"idDemandePaiement": f.pk, "numeroFacture": f.numero, "statut": f.statut} for f in non_eligibles
            ],
            "messageNonTraitees": MESSAGE_TRAITER_REJET_NON_ELIGIBLE if non_eligibles else "",
        }


# --- telechargerGroupeFacture ---------------------------------------------------------------------------------------


class SchemaTelechargement(SchemaCpro):
    def _get_response_bodies(self, direction="response"):
        corps = super()._get_response_bodies(direction)
        corps["413"] = {
            **corps["400"],
            "description": "Le groupe de fichiers dépasse 120 Mo (codeRetour 20001) : demandez moins de factures.",
        }
        return corps


FORMATS_GROUPE = {"PDF": "pdf", "XML": "xml", "PIVOT": "xml"}


class TelechargerGroupeFacture(ServiceCpro):
    """Les fichiers de plusieurs factures émises ou reçues, en une archive ZIP encodée en base64 (`fichierResultat`) :
    le PDF ou le XML de chaque facture (PIVOT : le XML), et leurs pièces jointes si `avecPiecesJointesComplementaires`.
    120 Mo au plus (au-delà : HTTP 413). Une facture reçue téléchargée par son destinataire est marquée
    « téléchargée » (`factureTelechargeeParDestinataire`), comme sur le portail."""

    schema = SchemaTelechargement()
    requete = objet(
        {
            "idUtilisateurCourant": {"type": "integer"},
            "listeFacture": liste({"idFacture": {"type": "integer"}}),
            "format": {"type": "string", "enum": list(FORMATS_GROUPE)},
            "avecPiecesJointesComplementaires": {"type": "boolean"},
            "idEspace": {"type": "integer"},
        },
        ["listeFacture", "format"],
    )
    reponse = {"fichierResultat": {"type": "string", "format": "byte"}}

    def traiter(self, request, corps):
        liste_factures = _objets(corps, "listeFacture")
        if not liste_factures:
            raise ErreurDonnees("listeFacture : indiquez au moins une facture.", champ="listeFacture")
        ids = _ids(corps, "listeFacture", "idFacture")
        demande = champ(corps, "format", type_=str, obligatoire=True)
        if demande not in FORMATS_GROUPE:
            raise ErreurDonnees(f"format : PDF ou XML (reçu « {demande} »).", champ="format")
        format_ = FORMATS_GROUPE[demande]
        avec_pj = corps.get("avecPiecesJointesComplementaires") is True
        ids = list(dict.fromkeys(ids))
        factures = {f.pk: f for f in factures_consultables(request.user).filter(pk__in=ids)}
        if len(factures) != len(ids):
            raise Http404("idFacture")
        try:
            contenu = factures_telecharger_groupe(
                factures=[factures[i] for i in ids], par=request.user, format=format_, avec_pieces_jointes=avec_pj
            )
        except GroupeTropGros:
            raise
        except ApplicationError as erreur:
            raise ErreurDonnees(f"format : {erreur.message}", champ="format") from None
        return {"fichierResultat": base64.b64encode(contenu).decode()}

    def handle_exception(self, exc):
        if isinstance(exc, GroupeTropGros):
            return enveloppe.erreur(
                enveloppe.FICHIER_TROP_GROS,
                exc.message,
                status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
                champ="listeFacture",
            )
        return super().handle_exception(exc)


SERVICES = [
    ("cpro/transverses/v1/ajouter/fichier", AjouterFichier, "api_ajouter_fichier"),
    ("cpro/factures/v1/deposer/pdf", DeposerPdf, "api_factures_deposer_pdf"),
    ("cpro/factures/v1/soumettre", SoumettreFacture, "api_factures_soumettre"),
    ("cpro/factures/v1/completer", CompleterFacture, "api_factures_completer"),
    ("cpro/factures/v1/recycler", RecyclerFacture, "api_factures_recycler"),
    ("cpro/factures/v1/traiterRejet", TraiterRejet, "api_factures_traiter_rejet"),
    ("cpro/factures/v1/telecharger/groupe", TelechargerGroupeFacture, "api_factures_telecharger_groupe"),
]
