"""« Déposer une facture » : le dépôt d'un fichier sur le portail (chorus-pro-features.md lignes 29, 31–35, 53).

Un PDF Factur-X, un CII ou un UBL est contrôlé tout de suite, par couches, et chaque erreur est rapportée en entier
avec sa couche, sa règle et son champ : format → schéma XSD → règles EN 16931 → règles Chorus Pro (acheminement,
SIRET du vendeur, montants). Rien n'est enregistré tant qu'il reste une erreur. Un PDF sans XML devient un brouillon
de saisie pré-rempli de ce qu'on lit dans son texte.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import PurePath

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from chorus import limites
from chorus.exceptions import ApplicationError
from facturation import adresses, regles_depot
from facturation.acheminement import Acheminement, controler
from facturation.enums import FormatDepot, ModeDepot, StatutFacture, TypeFacture
from facturation.formats import detection, pdf_texte
from facturation.formats import signature as signatures
from facturation.formats.erreurs import FormatInvalide
from facturation.formats.facturx import generer_facturx
from facturation.formats.lecture import lire
from facturation.formats.modele import FactureNeutre
from facturation.models import Facture
from facturation.services.depot import DepotRefuse, LigneVentilation, MontantsDuFichier, facture_deposer
from facturation.services.pieces_jointes import DOSSIER_TAILLE_MAX_OCTETS, piece_jointe_facture_ajouter
from facturation.validation import couches, montants
from organisation.enums import Application, Niveau, TypeIdentifiant
from organisation.habilitations import peut, structures_visibles
from organisation.models import Structure
from organisation.services.coordonnees import verifier_piece_jointe

TAILLE_MAX_OCTETS = limites.octets("flux_fichier_taille_max")
NOM_FICHIER_LONGUEUR_MAX = limites.nombre("deposer_pdf_nom_fichier_longueur_max")

# Le choix « Format de dépôt » du formulaire : la syntaxe d'un fichier structuré est détectée, pas choisie.
FORMAT_AUTOMATIQUE = "AUTO"
FORMATS_CHOISIS = (
    (FORMAT_AUTOMATIQUE, "Factur-X / XML (format détecté automatiquement)"),
    (FormatDepot.PDF_NON_SIGNE, FormatDepot.PDF_NON_SIGNE.label),
    (FormatDepot.PDF_SIGNE_PADES, FormatDepot.PDF_SIGNE_PADES.label),
    (FormatDepot.PDF_SIGNE_XADES, FormatDepot.PDF_SIGNE_XADES.label),
)

COUCHE_FORMAT = "Format"
COUCHE_SIGNATURE = "Signature"
COUCHE_XSD = "Schéma XSD"
COUCHE_EN16931 = "Règles EN 16931"
COUCHE_CHORUS = "Règles Chorus Pro"
COUCHE_PIECES_JOINTES = "Pièces jointes"
COUCHES = (COUCHE_FORMAT, COUCHE_SIGNATURE, COUCHE_XSD, COUCHE_EN16931, COUCHE_CHORUS, COUCHE_PIECES_JOINTES)
_COUCHE_VALIDATION = {couches.COUCHE_XML: COUCHE_FORMAT, couches.COUCHE_XSD: COUCHE_XSD}

# Le champ du modèle EN 16931 que nomme chaque erreur d'acheminement (les noms sont ceux du formulaire de saisie).
CHAMPS_EN16931 = {
    "numero": "BT-1 (numéro de facture)",
    "destinataire": "BT-47 (SIRET de l'acheteur, schéma 0002)",
    "code_service": "BT-10 (code service / référence acheteur)",
    "numero_engagement": "BT-13 (numéro d'engagement / bon de commande)",
    "fournisseur": "BT-30 (SIRET du vendeur)",
    "numero_facture_origine": "BT-25 (facture d'origine)",
    "lignes": "BG-25 (lignes de facture)",
    "mode_paiement": "BT-81 (moyen de paiement)",
    "valideur_1": "Valideur",
}


@dataclass(frozen=True)
class ErreurDepot:
    couche: str
    code: str
    message: str
    champ: str = ""
    emplacement: str = ""
    bloquante: bool = True
    # For an amount or a value checked against a rule: what the file says and what the rule expects, as shown
    # (« 100,00 EUR », « 95,00 EUR = lignes 95,00 + frais 14,00 − remises 9,00 »); empty when not applicable.
    valeur_trouvee: str = ""
    valeur_attendue: str = ""

    @property
    def parties_emplacement(self):
        """L'emplacement découpé à chaque « / », pour que la page puisse le couper à la ligne."""
        return self.emplacement.split("/")


class TeleversementRefuse(ApplicationError):
    """Le fichier est refusé ; `erreurs` porte le rapport complet, toutes couches confondues, et `neutre` la facture
    lue quand elle a pu l'être (son numéro et ses parties nomment les lignes du rapport, comme consulterCRDetaille)."""

    def __init__(self, erreurs, neutre=None):
        self.erreurs = list(erreurs)
        self.neutre = neutre
        bloquantes = [e for e in self.erreurs if e.bloquante]
        n = len(bloquantes)
        super().__init__(f"Le dépôt est refusé : {n} erreur{'s' if n > 1 else ''}.", champ="fichier")

    @property
    def bloquantes(self):
        return [e for e in self.erreurs if e.bloquante]

    def par_couche(self):
        """[(couche, [erreurs])] dans l'ordre des couches, sans les couches vides."""
        return [
            (c, [e for e in self.erreurs if e.couche == c])
            for c in COUCHES
            if any(e.couche == c for e in self.erreurs)
        ]


def _refuser(couche, code, message, champ="fichier"):
    raise TeleversementRefuse([ErreurDepot(couche, code, message, champ=champ)])


# --- Contrôles du fichier lui-même -------------------------------------------------------------------------------


def _nature(contenu):
    """« pdf » ou « xml » d'après les premiers octets (nombre magique), jamais d'après le nom."""
    if b"%PDF-" in contenu[:1024]:
        return "pdf"
    if contenu.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return "xml"
    return None


def _lire_fichier(fichier):
    nom = PurePath(fichier.name or "").name
    if not nom:
        _refuser(COUCHE_FORMAT, "FICHIER_ABSENT", "Choisissez le fichier de la facture.")
    if len(nom) > NOM_FICHIER_LONGUEUR_MAX:
        _refuser(
            COUCHE_FORMAT,
            "NOM_TROP_LONG",
            f"Le nom du fichier fait {len(nom)} caractères : {NOM_FICHIER_LONGUEUR_MAX} au plus. Renommez le fichier.",
        )
    if fichier.size == 0:
        _refuser(COUCHE_FORMAT, "FICHIER_VIDE", f"Le fichier « {nom} » est vide.")
    if fichier.size > TAILLE_MAX_OCTETS:
        taille = f"{fichier.size / 1024 / 1024:.1f}".replace(".", ",")
        _refuser(
            COUCHE_FORMAT,
            "FICHIER_TROP_GROS",
            f"Le fichier « {nom} » pèse {taille} Mo : un fichier de facture ne doit pas dépasser 10 Mo.",
        )
    fichier.seek(0)
    contenu = fichier.read()
    nature = _nature(contenu)
    extension = PurePath(nom).suffix.lower()
    if extension not in (".pdf", ".xml"):
        _refuser(
            COUCHE_FORMAT,
            "EXTENSION",
            f"Le fichier « {nom} » n'est ni un PDF (.pdf) ni un XML (.xml) : déposez un PDF Factur-X, un PDF, "
            "un XML CII ou un XML UBL.",
        )
    if extension == ".pdf" and nature != "pdf":
        _refuser(
            COUCHE_FORMAT,
            "PAS_UN_PDF",
            f"Le fichier « {nom} » porte l'extension .pdf mais n'est pas un PDF : son contenu ne commence pas par "
            "l'en-tête « %PDF- ». Il est peut-être endommagé ou renommé.",
        )
    if extension == ".xml" and nature != "xml":
        _refuser(
            COUCHE_FORMAT,
            "PAS_UN_XML",
            f"Le fichier « {nom} » porte l'extension .xml mais n'est pas un document XML"
            + (" : c'est un PDF, renommez-le en .pdf." if nature == "pdf" else "."),
        )
    return nom, contenu, nature


def _verifier_signature(format_choisi, nom, contenu, nature, signature_xades):
    try:
        if format_choisi == FormatDepot.PDF_SIGNE_PADES:
            if nature != "pdf":
                raise signatures.SignatureInvalide(
                    "Le format « PDF signé PAdES » ne s'applique qu'à un PDF ; pour un XML, choisissez « Factur-X / "
                    "XML (format détecté automatiquement) »."
                )
            signatures.verifier_pades(contenu)
        elif format_choisi == FormatDepot.PDF_SIGNE_XADES:
            contenu_signature = b""
            if signature_xades is not None:
                signature_xades.seek(0)
                contenu_signature = signature_xades.read()
            signatures.verifier_xades(contenu_signature, nom_fichier=nom, contenu=contenu)
    except signatures.SignatureInvalide as exc:
        champ = "signature" if format_choisi == FormatDepot.PDF_SIGNE_XADES else "fichier"
        return [ErreurDepot(COUCHE_SIGNATURE, format_choisi, str(exc), champ=champ)]
    return []


def _verifier_pieces_jointes(pieces_jointes, taille_facture):
    erreurs, noms = [], set()
    taille = taille_facture
    for piece in pieces_jointes:
        try:
            nom = verifier_piece_jointe(piece, champ="pieces_jointes")
        except ApplicationError as exc:
            erreurs.append(ErreurDepot(COUCHE_PIECES_JOINTES, "PIECE_JOINTE", exc.message, champ="pieces_jointes"))
            continue
        if nom in noms:
            erreurs.append(
                ErreurDepot(
                    COUCHE_PIECES_JOINTES,
                    "PIECE_JOINTE_EN_DOUBLE",
                    f"Deux pièces jointes s'appellent « {nom} » : renommez l'une d'elles.",
                    champ="pieces_jointes",
                )
            )
        noms.add(nom)
        taille += piece.size
    if taille > DOSSIER_TAILLE_MAX_OCTETS:
        erreurs.append(
            ErreurDepot(
                COUCHE_PIECES_JOINTES,
                "DOSSIER_TROP_GROS",
                "La facture et ses pièces jointes dépassent 120 Mo : retirez des pièces jointes.",
                champ="pieces_jointes",
            )
        )
    return erreurs


# --- Couches de validation du XML --------------------------------------------------------------------------------


def _champs_cites(message):
    return ", ".join(dict.fromkeys(re.findall(r"\bB[TG]-\d+\b", message)))


def _xpath_lisible(emplacement):
    # Le SVRL écrit chaque étape « *:Nom[namespace-uri()='urn:…'][1] » : les espaces de noms sont ceux de la syntaxe
    # détectée, on ne garde que les noms et les rangs.
    return re.sub(r"\*:|\[namespace-uri\(\)='[^']*'\]", "", emplacement or "")


def _depuis_anomalie(anomalie):
    bloquante = anomalie.gravite == couches.ERREUR
    if anomalie.couche == couches.COUCHE_EN16931:
        # Les messages du schematron EN 16931 sont en anglais dans le paquet factur-x : on les montre entiers.
        prefixe = "Règle EN 16931" if bloquante else "Avertissement EN 16931 (non bloquant)"
        message = f"{prefixe} (message d'origine, en anglais) : {anomalie.message}"
        couche = COUCHE_EN16931
    elif anomalie.couche == couches.COUCHE_XSD and anomalie.code == "XSD":
        message = f"Non conforme au schéma XSD (message d'origine, en anglais) : {anomalie.message}"
        couche = COUCHE_XSD
    else:
        message = anomalie.message
        couche = _COUCHE_VALIDATION.get(anomalie.couche, COUCHE_FORMAT)
    return ErreurDepot(
        couche,
        anomalie.code,
        message,
        champ=_champs_cites(anomalie.message),
        emplacement=_xpath_lisible(anomalie.emplacement),
        bloquante=bloquante,
    )


def _regle(anomalie):
    """The EN 16931 rule an anomaly reports: its id, or for the Factur-X MINIMUM and BASIC stylesheets, which number
    their asserts FX-SCH-A-…, the « [BR-CO-10] » their message starts with."""
    if anomalie.code.startswith("FX-SCH-"):
        trouve = re.search(r"\[(BR-[A-Z0-9-]+)\]", anomalie.message)
        if trouve:
            return trouve.group(1)
    return anomalie.code


def _expliquee(anomalie, ecart):
    """The artefact's verdict with the module's explanation: rule, term, value found, value expected."""
    identifiant = f" ({anomalie.code})" if anomalie.code != ecart.regle else ""
    message = ecart.message.replace(ecart.intitule, f"{ecart.intitule}{identifiant}", 1)
    bloquante = anomalie.gravite == couches.ERREUR
    if not bloquante:
        # the EXTENDED artefacts' « …-08ini » and « …-08rev » are warnings: explained, but they refuse nothing
        message = f"Avertissement (non bloquant) — {message}"
    return ErreurDepot(
        COUCHE_EN16931,
        anomalie.code,
        message,
        champ=_champs_cites(message),
        emplacement=_xpath_lisible(anomalie.emplacement),
        bloquante=bloquante,
        valeur_trouvee=ecart.valeur_trouvee,
        valeur_attendue=ecart.valeur_attendue,
    )


def _erreurs_en16931(rapport, neutre, syntaxe_xml):
    """The anomalies of the layers, those of a calculation rule explained by facturation.validation.montants.

    The official artefact is the arbiter: an amount is refused only when it reports a rule, once, with the module's
    explanation when the module finds the same rule broken (the k-th report of a rule takes its k-th explanation)."""
    ecarts = {}
    if neutre is not None and rapport.profil:
        for ecart in montants.controler(neutre, syntaxe_xml, rapport.profil):
            ecarts.setdefault(ecart.regle, []).append(ecart)
    erreurs = []
    for anomalie in rapport.anomalies:
        explications = ecarts.get(_regle(anomalie)) if anomalie.couche == couches.COUCHE_EN16931 else None
        erreurs.append(_expliquee(anomalie, explications.pop(0)) if explications else _depuis_anomalie(anomalie))
    return erreurs


def _lire_structure(nom, contenu, nature):
    """(syntaxe du fichier, syntaxe du XML, FactureNeutre | None, xml, erreurs de format)."""
    if nature == "xml":
        _arbre, anomalies = couches.verifier_xml(contenu)
        if anomalies:
            return None, None, None, None, [_depuis_anomalie(a) for a in anomalies]
    try:
        syntaxe, facture, xml = lire(contenu, taille_max=TAILLE_MAX_OCTETS)
    except FormatInvalide as exc:
        code = "FORMAT_INCONNU" if str(exc) == detection.MESSAGE_INCONNU else "FORMAT_ILLISIBLE"
        return None, None, None, None, [ErreurDepot(COUCHE_FORMAT, code, f"« {nom} » : {exc}", champ="fichier")]
    if syntaxe == detection.PDF:
        return syntaxe, None, None, None, []
    # Le XML joint à un PDF Factur-X est du CII en principe ; on l'aiguille d'après sa racine.
    syntaxe_xml = detection.detecter(xml).syntaxe if syntaxe == detection.FACTURX_PDF else syntaxe
    return syntaxe, syntaxe_xml, facture, xml, []


# --- Règles Chorus Pro -------------------------------------------------------------------------------------------


def _chorus(message, code, champ, *, trouvee="", attendue=""):
    return ErreurDepot(
        COUCHE_CHORUS,
        code,
        message,
        champ=CHAMPS_EN16931.get(champ, champ),
        valeur_trouvee=trouvee,
        valeur_attendue=attendue,
    )


def _depuis_acheminement(erreur, code):
    return _chorus(
        str(erreur),
        code,
        getattr(erreur, "champ", "") or "",
        trouvee=getattr(erreur, "valeur_trouvee", ""),
        attendue=getattr(erreur, "valeur_attendue", ""),
    )


def _lignes(neutre):
    """Les lignes à déposer ; un profil sans lignes (BASIC WL, MINIMUM) en reçoit une par taux de TVA."""
    # EXTENDED: a « GROUP » line totals its sub-lines and an « INFORMATION » line is only shown; only the lines the
    # EXTENDED schematron sums (no status, or « DETAIL ») are the invoice's (BR-FXEXT-CO-10)
    comptees = [ligne for ligne in neutre.lignes if ligne.compte_dans_totaux]
    if comptees:
        lignes = []
        for rang, ligne in enumerate(comptees, start=1):
            quantite = ligne.quantite if ligne.quantite is not None else Decimal(1)
            prix = ligne.prix_unitaire_ht if ligne.prix_unitaire_ht is not None else (ligne.montant_ht or Decimal(0))
            # Le montant net de la ligne (BT-131) fait foi : l'écart avec quantité × prix (remises, quantité de base
            # du prix BT-149) devient la remise de la ligne.
            montant = ligne.montant_ht if ligne.montant_ht is not None else quantite * prix
            lignes.append(
                {
                    "numero": rang,
                    "reference": (ligne.id or "")[:100],
                    "designation": (ligne.designation or f"Ligne {ligne.id or rang}")[:255],
                    "quantite": quantite,
                    "unite": (ligne.unite or "")[:20],
                    "prix_unitaire_ht": prix,
                    "remise": quantite * prix - montant,
                    "taux_tva": ligne.taux_tva if ligne.taux_tva is not None else Decimal(0),
                }
            )
        return lignes
    if neutre.ventilation_tva:
        return [
            {
                "numero": rang,
                "designation": f"Montant HT soumis à la TVA à {v.taux or 0} % (profil sans lignes)",
                "quantite": Decimal(1),
                "prix_unitaire_ht": v.base or Decimal(0),
                "remise": Decimal(0),
                "taux_tva": v.taux or Decimal(0),
            }
            for rang, v in enumerate(neutre.ventilation_tva, start=1)
        ]
    totaux = neutre.totaux
    if totaux.total_ht:
        taux = ((totaux.total_tva or Decimal(0)) * 100 / totaux.total_ht).quantize(Decimal("0.0001"))
        return [
            {
                "numero": 1,
                "designation": "Montant HT de la facture (profil MINIMUM, sans lignes)",
                "quantite": Decimal(1),
                "prix_unitaire_ht": totaux.total_ht,
                "remise": Decimal(0),
                "taux_tva": taux,
            }
        ]
    return []


def _motif_remise(neutre):
    motifs = dict.fromkeys(r.motif or r.code_motif for r in neutre.remises if r.motif or r.code_motif)
    return "; ".join(motifs)[:255]


def _part(elements, v):
    return sum(
        (e.montant or Decimal(0) for e in elements if e.categorie_tva == v.categorie and e.taux_tva == v.taux),
        Decimal(0),
    )


def _montants_du_fichier(neutre):
    """BG-22 and BG-23 as the file states them (the EN 16931 rules have checked them): what the invoice keeps."""
    t, zero = neutre.totaux, Decimal(0)
    return MontantsDuFichier(
        total_lignes_ht=t.total_lignes_ht if t.total_lignes_ht is not None else t.total_ht or zero,
        total_remises_ht=t.total_remises or zero,
        total_frais_ht=t.total_frais or zero,
        total_ht=t.total_ht or zero,
        total_tva=t.total_tva or zero,
        total_ttc=t.total_ttc or zero,
        montant_paye_avance=t.paye_avance or zero,
        montant_arrondi=t.arrondi or zero,
        net_a_payer=t.net_a_payer or zero,
        ventilation=tuple(
            LigneVentilation(
                categorie=v.categorie or "",
                taux=v.taux,
                base_ht=v.base or zero,
                montant_tva=v.montant or zero,
                remises_ht=_part(neutre.remises, v),
                frais_ht=_part(neutre.frais, v),
                motif_exoneration=v.motif_exoneration or "",
                code_exoneration=v.code_exoneration or "",
            )
            for v in neutre.ventilation_tva
        ),
    )


def _controler_chorus(fournisseur, neutre, lignes, syntaxe_xml):
    """The Chorus Pro rules of a structured deposit: seller's SIRET, routing, lengths. The amounts are the EN 16931
    rules' (the official artefact, explained by facturation.validation.montants): no Chorus Pro rule written in the
    references (chorus-pro-features.md, chorus-pro-api.md) recomputes a file's totals from its lines."""
    erreurs = []
    siret_vendeur = neutre.vendeur.siret or ""
    if fournisseur.type_identifiant != TypeIdentifiant.SIRET or siret_vendeur != fournisseur.identifiant:
        lu = (
            f"« {siret_vendeur} »"
            if siret_vendeur
            else f"absent (identifiant lu : « {neutre.vendeur.identifiant or ''} »)"
        )
        erreurs.append(
            _chorus(
                f"Le SIRET du vendeur (BT-30) est {lu}, alors que vous déposez pour la structure "
                f"{fournisseur.raison_sociale} (identifiant {fournisseur.identifiant}). Choisissez la bonne structure "
                "ou corrigez le SIRET du vendeur dans le fichier.",
                "SIRET_VENDEUR",
                "fournisseur",
                trouvee=siret_vendeur or f"absent (identifiant lu : {neutre.vendeur.identifiant or 'aucun'})",
                attendue=f"{fournisseur.identifiant} (SIRET de {fournisseur.raison_sociale}, la structure qui dépose)",
            )
        )
    siret_acheteur = neutre.acheteur.siret or ""
    identifiant_non_siret = not siret_acheteur and bool(neutre.acheteur.identifiant)
    if identifiant_non_siret:
        erreurs.append(
            _chorus(
                f"L'acheteur est identifié par « {neutre.acheteur.identifiant} », qui n'est pas un SIRET : Chorus Pro "
                "achemine la facture vers le SIRET du destinataire public (BT-47, schéma 0002 ou 0009).",
                "SIRET_ACHETEUR",
                "destinataire",
                trouvee=neutre.acheteur.identifiant,
                attendue="le SIRET du destinataire public (schéma 0002 ou 0009)",
            )
        )
    acheminement = controler(
        fournisseur=fournisseur,
        numero=neutre.numero,
        identifiant_destinataire=siret_acheteur,
        code_service=neutre.reference_acheteur or "",
        numero_engagement=neutre.engagement or "",
    )
    erreurs += [
        _depuis_acheminement(e, "ACHEMINEMENT")
        for e in acheminement.erreurs
        if not (identifiant_non_siret and e.champ == "destinataire")
    ]
    # the deposit rules of the invoice's data (facturation.regles_depot), said with the routing's, before the deposit
    # asks them again: an avoir names the invoice it corrects (BT-25)
    erreurs += [
        _depuis_acheminement(e, "AVOIR")
        for e in regles_depot.avoir(
            type_facture=_type_facture(neutre, syntaxe_xml),
            numero_facture_origine=neutre.facture_origine or "",
            mode_paiement="",
        )
    ]
    for valeur, longueur, champ, libelle in (
        (neutre.marche, 50, "BT-12 (numéro de marché)", "Le numéro de marché"),
        (neutre.facture_origine, 20, "BT-25 (facture d'origine)", "Le numéro de la facture d'origine"),
    ):
        if valeur and len(valeur) > longueur:
            erreurs.append(
                ErreurDepot(
                    COUCHE_CHORUS,
                    "LONGUEUR",
                    f"{libelle} « {valeur} » dépasse {longueur} caractères ({len(valeur)} caractères).",
                    champ=champ,
                    valeur_trouvee=f"{len(valeur)} caractères",
                    valeur_attendue=f"{longueur} caractères au plus",
                )
            )
    if not lignes:
        erreurs.append(
            _chorus("La facture ne porte ni lignes, ni ventilation de TVA, ni total HT.", "LIGNES", "lignes")
        )
    for anomalie in neutre.anomalies:
        erreurs.append(ErreurDepot(COUCHE_FORMAT, "VALEUR_ILLISIBLE", anomalie, champ=_champs_cites(anomalie)))
    return erreurs, acheminement


# --- Dépôt -------------------------------------------------------------------------------------------------------


def _type_facture(neutre, syntaxe_xml):
    if syntaxe_xml == detection.UBL_AVOIR or neutre.type_code in ("381", "261", "262", "396", "532"):
        return TypeFacture.AVOIR
    return TypeFacture.FACTURE


def _supprimer_fichiers(noms):
    # Un fichier écrit sur le disque ne suit pas le retour arrière de la transaction : on l'efface nous-mêmes.
    for nom in noms:
        if nom and default_storage.exists(nom):
            default_storage.delete(nom)


def _enregistrer(enregistrer):
    """Exécute `enregistrer(fichiers)` en une transaction ; efface les fichiers écrits si elle échoue."""
    fichiers = []
    try:
        with transaction.atomic():
            return enregistrer(fichiers)
    except BaseException:
        _supprimer_fichiers(f.name for f in fichiers)
        raise


def _joindre(facture, par, pieces_jointes, fichiers):
    for piece in pieces_jointes:
        piece.seek(0)
        try:
            fichiers.append(piece_jointe_facture_ajouter(facture=facture, par=par, fichier=piece).fichier)
        except ApplicationError as exc:
            raise TeleversementRefuse(
                [ErreurDepot(COUCHE_PIECES_JOINTES, "PIECE_JOINTE", exc.message, champ="pieces_jointes")]
            ) from exc


def facture_du_fichier(neutre, syntaxe_xml, *, fournisseur, par, service_fournisseur=None, acheminement=None):
    """The unsaved invoice row a structured file stands for (its references, BG-5 and BG-8 addresses, recipient
    already resolved by the analysis): the upload's and the works flux's deposits start from it."""
    facture = Facture(
        numero=neutre.numero,
        type_facture=_type_facture(neutre, syntaxe_xml),
        date_facture=neutre.date,
        devise=(neutre.devise or "EUR")[:3],
        fournisseur=fournisseur,
        numero_engagement=neutre.engagement or "",
        numero_marche=neutre.marche or "",
        numero_facture_origine=neutre.facture_origine or "",
        commentaire=neutre.note or "",
        # the file's allowances are its own (BG-20, BT-107), not the web form's TTC discount
        motif_remise_globale=_motif_remise(neutre),
        service_fournisseur=service_fournisseur,
        cree_par=par,
    )
    # BG-5 and BG-8 as the file gives them: the invoice is what was sent (facturation.adresses)
    adresses.depuis_partie(facture, "fournisseur", neutre.vendeur)
    adresses.depuis_partie(facture, "destinataire", neutre.acheteur)
    if acheminement is not None and acheminement.destinataire is not None:
        # resolved by the analysis a moment ago: the deposit re-checks them without looking them up again
        facture.destinataire, facture.service_destinataire = acheminement.destinataire, acheminement.service
    return facture


def montants_du_fichier(neutre):
    """The file's totals (BT-106…BT-115), as the deposit keeps them."""
    return _montants_du_fichier(neutre)


def _deposer_structuree(
    *,
    par,
    fournisseur,
    nom,
    contenu,
    syntaxe,
    syntaxe_xml,
    neutre,
    xml,
    lignes,
    pieces_jointes,
    mode_depot=ModeDepot.UPLOAD_PORTAIL,
    rendre_pdf=True,
    service_fournisseur=None,
    acheminement=None,
    pdf_fourni=None,
):
    if syntaxe == detection.FACTURX_PDF:
        format_depot, pdf, nom_pdf = FormatDepot.FACTURX, contenu, nom
        nom_xml = "factur-x.xml"
    else:
        format_depot = FormatDepot.CII if syntaxe_xml == detection.CII else FormatDepot.UBL
        pdf, nom_pdf, nom_xml = None, "", nom
        if pdf_fourni:
            nom_pdf, pdf = pdf_fourni
        elif rendre_pdf:
            try:
                pdf = generer_facturx(neutre, cii=xml if syntaxe_xml == detection.CII else None)
            except Exception as exc:  # noqa: BLE001 — le rendu ne doit pas masquer le rapport : on dit ce qui a échoué
                _refuser(COUCHE_FORMAT, "RENDU_PDF", f"Le PDF lisible de la facture n'a pas pu être produit : {exc}")
            nom_pdf = f"{PurePath(nom).stem}.pdf"

    def enregistrer(fichiers):
        facture = facture_du_fichier(
            neutre,
            syntaxe_xml,
            fournisseur=fournisseur,
            par=par,
            service_fournisseur=service_fournisseur,
            acheminement=acheminement,
        )
        try:
            facture_deposer(
                facture=facture,
                par=par,
                mode_depot=mode_depot,
                format_depot=format_depot,
                lignes=lignes,
                identifiant_destinataire=neutre.acheteur.siret or "",
                code_service=neutre.reference_acheteur or "",
                pdf=pdf,
                nom_pdf=nom_pdf,
                xml=xml,
                nom_xml=nom_xml,
                montants=montants_du_fichier(neutre),
            )
        except DepotRefuse as exc:
            raise TeleversementRefuse([_depuis_acheminement(e, "DEPOT") for e in exc.erreurs], neutre) from exc
        finally:
            # facture_deposer enregistre la facture qu'on lui passe : ses fichiers sont ceux écrits sur le disque.
            fichiers += [f for f in (facture.fichier_pdf, facture.fichier_xml) if f]
        _joindre(facture, par, pieces_jointes, fichiers)
        return facture

    return _enregistrer(enregistrer)


def destinataire_du_pdf(donnees, siret_saisi, fournisseur):
    """Le SIRET saisi, sinon celui qui suit « SIRET client » ; à défaut, le premier SIRET lu d'une structure publique
    autre que le fournisseur."""
    sirets = Structure.objects.filter(type_identifiant=TypeIdentifiant.SIRET)
    siret = siret_saisi or donnees.siret_client
    if siret:
        return sirets.filter(identifiant=siret).first()
    autres = [s for s in donnees.sirets if s != fournisseur.identifiant]
    publiques = {s.identifiant: s for s in sirets.filter(identifiant__in=autres, est_publique=True)}
    return next((publiques[s] for s in autres if s in publiques), None)


def _brouillon_depuis_pdf(
    *, par, fournisseur, nom, contenu, format_choisi, siret_destinataire, pieces_jointes, signature_xades
):
    try:
        donnees = pdf_texte.lire_pdf(contenu)
    except FormatInvalide as exc:
        _refuser(COUCHE_FORMAT, "PDF_ILLISIBLE", f"« {nom} » : {exc}")
    siret_saisi = re.sub(r"\s", "", siret_destinataire or "")
    destinataire = destinataire_du_pdf(donnees, siret_saisi, fournisseur)
    if destinataire is None:
        lu = siret_saisi or donnees.siret_client
        message = (
            f"Le destinataire de SIRET {lu} n'est pas connu de Chorus Pro : vérifiez le SIRET du destinataire."
            if lu
            else "Le SIRET du destinataire n'a pas été trouvé dans le texte du PDF (mot-clé « SIRET client ») : "
            "saisissez-le dans le champ « SIRET du destinataire »."
        )
        _refuser(COUCHE_CHORUS, "DESTINATAIRE_PDF", message, champ="siret_destinataire")
    numero = donnees.numero
    # Un numéro déjà déposé par ce fournisseur resterait dans le brouillon et serait refusé au dépôt : on le garde,
    # le formulaire de saisie dira qu'il faut le changer.
    format_depot = format_choisi if format_choisi != FORMAT_AUTOMATIQUE else FormatDepot.PDF_NON_SIGNE
    signe = format_depot in (FormatDepot.PDF_SIGNE_PADES, FormatDepot.PDF_SIGNE_XADES)

    def enregistrer(fichiers):
        facture = Facture(
            statut=StatutFacture.BROUILLON,
            numero=numero,
            date_facture=donnees.date_facture,
            devise=donnees.devise or "EUR",
            fournisseur=fournisseur,
            destinataire=destinataire,
            numero_engagement=donnees.numero_engagement,
            numero_marche=donnees.numero_marche,
            commentaire="",
            mode_depot=ModeDepot.DEPOT_PDF_SIGNE_PORTAIL if signe else ModeDepot.DEPOT_PDF_PORTAIL,
            format_depot=format_depot,
            cree_par=par,
        )
        facture.fichier_pdf.save(nom, ContentFile(contenu), save=False)
        fichiers.append(facture.fichier_pdf)
        facture.save()
        if signature_xades is not None and format_depot == FormatDepot.PDF_SIGNE_XADES:
            _joindre(facture, par, [signature_xades], fichiers)
        _joindre(facture, par, pieces_jointes, fichiers)
        return facture

    return _enregistrer(enregistrer)


def facture_televerser(
    *,
    par,
    fournisseur,
    fichier,
    format_choisi=FORMAT_AUTOMATIQUE,
    signature=None,
    pieces_jointes=(),
    siret_destinataire="",
):
    """Dépose le fichier `fichier` (un UploadedFile) pour `fournisseur`.

    Renvoie la facture déposée (Factur-X, CII, UBL) ou un brouillon (PDF sans XML, à compléter dans la saisie).
    Lève TeleversementRefuse avec toutes les erreurs de toutes les couches ; rien n'est enregistré alors.
    """
    if not peut(par, Application.FACTURES_EMISES, Niveau.MODIFICATION, fournisseur):
        _refuser(
            COUCHE_CHORUS,
            "HABILITATION",
            "Vous n'êtes pas habilité à déposer des factures pour cette structure (profil « Factures émises – "
            "modification »).",
            champ="fournisseur",
        )
    if format_choisi not in dict(FORMATS_CHOISIS):
        _refuser(COUCHE_FORMAT, "FORMAT_DEPOT", "Choisissez un format de dépôt.", champ="format_depot")
    pieces_jointes = list(pieces_jointes)
    nom, contenu, nature = _lire_fichier(fichier)
    erreurs = _verifier_signature(format_choisi, nom, contenu, nature, signature)
    pieces = list(pieces_jointes)
    if signature is not None and format_choisi == FormatDepot.PDF_SIGNE_XADES:
        pieces.append(signature)
    erreurs += _verifier_pieces_jointes(pieces, len(contenu))

    syntaxe, syntaxe_xml, neutre, xml, erreurs_format = _lire_structure(nom, contenu, nature)
    erreurs += erreurs_format
    if syntaxe == detection.PDF:
        if erreurs:
            raise TeleversementRefuse(erreurs)
        return _brouillon_depuis_pdf(
            par=par,
            fournisseur=fournisseur,
            nom=nom,
            contenu=contenu,
            format_choisi=format_choisi,
            siret_destinataire=siret_destinataire,
            pieces_jointes=pieces_jointes,
            signature_xades=signature,
        )
    if neutre is None:
        raise TeleversementRefuse(erreurs)

    lignes, erreurs_validation, _profil, acheminement = _valider_structuree(fournisseur, neutre, xml, syntaxe_xml)
    erreurs += erreurs_validation
    if any(e.bloquante for e in erreurs):
        raise TeleversementRefuse(erreurs, neutre)
    if signature is not None and format_choisi == FormatDepot.PDF_SIGNE_XADES:
        pieces_jointes.append(signature)
    return _deposer_structuree(
        par=par,
        fournisseur=fournisseur,
        nom=nom,
        contenu=contenu,
        syntaxe=syntaxe,
        syntaxe_xml=syntaxe_xml,
        neutre=neutre,
        xml=xml,
        lignes=lignes,
        pieces_jointes=pieces_jointes,
        acheminement=acheminement,
    )


def _valider_structuree(fournisseur, neutre, xml, syntaxe_xml):
    """(lignes à déposer, erreurs des couches XSD, EN 16931 et Chorus Pro, profil appliqué, acheminement résolu)."""
    rapport = couches.valider(xml, syntaxe_xml)
    erreurs = _erreurs_en16931(rapport, neutre, syntaxe_xml)
    lignes = _lignes(neutre)
    erreurs_chorus, acheminement = _controler_chorus(fournisseur, neutre, lignes, syntaxe_xml)
    return lignes, erreurs + erreurs_chorus, rapport.profil, acheminement


# --- Dépôt d'un fichier structuré hors du formulaire (flux EDI, API, « Suivi des flux ») ------------------------


@dataclass
class AnalyseStructuree:
    """Ce que les couches ont fait d'un fichier structuré : la facture lue (même invalide, pour que le compte rendu
    nomme son numéro et ses parties), sa syntaxe, son profil et toutes les erreurs."""

    nom: str
    contenu: bytes
    syntaxe: str | None = None
    syntaxe_xml: str | None = None
    profil: str | None = None
    neutre: FactureNeutre | None = None
    xml: bytes | None = None
    lignes: list = field(default_factory=list)
    erreurs: list = field(default_factory=list)
    acheminement: Acheminement | None = None

    @property
    def bloquantes(self):
        return [e for e in self.erreurs if e.bloquante]


def fichier_structure_analyser(*, fournisseur, nom, contenu):
    """Passe un fichier (PDF Factur-X, CII, UBL) dans les couches du dépôt : format, XSD, EN 16931, règles Chorus Pro
    pour `fournisseur`. N'enregistre rien. Un PDF sans XML revient avec la syntaxe « pdf » et sans erreur : c'est à
    l'appelant de dire qu'il n'en veut pas."""
    analyse = AnalyseStructuree(nom=nom, contenu=contenu)
    nature = _nature(contenu)
    if nature is None:
        analyse.erreurs.append(
            ErreurDepot(
                COUCHE_FORMAT,
                "FORMAT_INCONNU",
                f"« {nom} » n'est ni un PDF ni un document XML (ni l'en-tête « %PDF- » ni « < » au début du "
                "fichier) : déposez un PDF Factur-X, un XML CII ou un XML UBL.",
                champ="fichier",
            )
        )
        return analyse
    syntaxe, syntaxe_xml, neutre, xml, erreurs = _lire_structure(nom, contenu, nature)
    analyse.syntaxe, analyse.syntaxe_xml, analyse.neutre, analyse.xml = syntaxe, syntaxe_xml, neutre, xml
    analyse.erreurs += erreurs
    if neutre is None:
        return analyse
    analyse.lignes, erreurs, analyse.profil, analyse.acheminement = _valider_structuree(
        fournisseur, neutre, xml, syntaxe_xml
    )
    analyse.erreurs += erreurs
    return analyse


def fichier_structure_deposer(
    *, analyse, fournisseur, par, mode_depot, rendre_pdf=True, service_fournisseur=None, pdf_fourni=None
):
    """Dépose la facture d'une analyse sans erreur bloquante (une transaction ; les fichiers écrits sont effacés si
    elle échoue). `par` peut être None (un compte technique dépose pour sa structure). `pdf_fourni` : (nom, octets)
    du PDF de la facture quand il arrive avec ses données (flux mixte E2, archive PDF). Lève TeleversementRefuse."""
    if analyse.bloquantes or analyse.neutre is None:
        raise TeleversementRefuse(analyse.erreurs, analyse.neutre)
    return _deposer_structuree(
        par=par,
        fournisseur=fournisseur,
        nom=analyse.nom,
        contenu=analyse.contenu,
        syntaxe=analyse.syntaxe,
        syntaxe_xml=analyse.syntaxe_xml,
        neutre=analyse.neutre,
        xml=analyse.xml,
        lignes=analyse.lignes,
        pieces_jointes=[],
        mode_depot=mode_depot,
        rendre_pdf=rendre_pdf,
        service_fournisseur=service_fournisseur,
        acheminement=analyse.acheminement,
        pdf_fourni=pdf_fourni,
    )


def structures_deposantes(user):
    """Les structures pour lesquelles `user` peut déposer (Factures émises – modification), pour le formulaire."""
    return structures_visibles(user, Application.FACTURES_EMISES, Niveau.MODIFICATION).order_by("raison_sociale")
