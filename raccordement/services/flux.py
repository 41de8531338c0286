"""The flux pipeline (DESIGN.md §4 « Flux pipeline »; chorus-pro-api.md §3.2; issue #6 « Flux integration »).

Receive (portal upload, `deposerFluxFacture`, EDI drop directory) → `flux_recevoir` checks the file (size, what its
first bytes say it is), saves the Flux row and its file in state IN_RECU with its sha-256, and only then queues the
integration (after commit: a rolled-back deposit queues nothing, a lost message is caught by the sweeper).

`flux_integrer` (called by the Celery task, idempotent): the flux goes IN_EN_COURS_TRAITEMENT_CPP; each invoice (the
file, or each member of the tar.gz) runs through the upload's layers (format, XSD, EN 16931, Chorus Pro rules) and is
deposited IN ITS OWN TRANSACTION TOGETHER WITH ITS FluxFacture ROW. The unique (flux, rang) is the idempotency key: a
worker killed mid-flux leaves the ranks already committed, a re-run skips them and does the rest; two runs at once
cannot both write a rank (the loser's transaction, deposit included, rolls back). The flux ends IN_INTEGRE,
IN_INTEGRE_PARTIEL or IN_REJETE, every error kept untruncated against its invoice (FluxErreur).

Decisions:
- A resubmitted flux (same sha-256, same structure, an earlier flux that was not rejected) is saved (the deposit is
  never lost) and rejected at integration with one technical error naming the first flux's number and date. Re-sending
  a flux that was rejected as a whole (IN_REJETE, IN_INCIDENTE) is allowed: the recipient may have been fixed since.
- A flux of structured invoices renders no PDF (the XML is the invoice, as Chorus Pro's E1 flux); a Factur-X keeps its
  own PDF.
- The BT-29 seller identifier without a scheme that is the code of one of the supplier's services becomes the invoice's
  « service fournisseur ».
- Works Factur-X (FSO1137A, flux E4: a works cadre in BT-23) becomes a works piece through the works web deposit's
  own service (travaux.services.depot_flux → piece_deposer): its dossier de facturation, the MOA (the buyer), the MOE
  when the file names it (else « À associer par la MOE », the supplier names it later), or the dossier of the piece
  BT-25 names. The support matrix's column is the flux's transport (EDI drop « EDI », deposerFluxFacture « service »,
  portal upload « portail »).
- Every syntaxeFlux of the real enum is accepted at deposit (a client sending a valid value never gets a 400). The
  portal reads UBL and CII, alone (E1), with the invoice's PDF embedded in the XML (E2 `_MIN`: the PDF is taken out
  and becomes the invoice's readable copy, the rest is the minimal data — Factur-X MINIMUM — that makes the invoice;
  the MINIMUM profile's « not used » reports are warnings there, a minimum being a floor) or beside it in a tar.gz
  (PDFARCHIVE: `facture.xml` and `facture.pdf`); a syntax it does
  not read (PES, xCBL, CPP, E3 mémoires) is rejected in the report with an error that names it.
"""

import base64
import binascii
import hashlib
import logging
from dataclasses import replace
from datetime import timedelta
from pathlib import PurePath

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from lxml import etree

from chorus import limites
from chorus.exceptions import ApplicationError
from chorus.stockage import StockagePlein, ecriture
from facturation.enums import ModeDepot
from facturation.formats import detection
from facturation.formats.erreurs import FormatInvalide
from facturation.formats.xml_sur import analyser as analyser_xml
from facturation.formats.xml_sur import parser_xml
from facturation.rapport_depot import identifiant_partie
from facturation.services.televersement import (
    COUCHE_FORMAT,
    ErreurDepot,
    TeleversementRefuse,
    fichier_structure_analyser,
    fichier_structure_deposer,
)
from facturation.validation import couches
from facturation.validation.couches import CODE_RAPPORT_FACTURX
from organisation.enums import Application, Niveau
from organisation.habilitations import peut
from organisation.models import Service
from raccordement.archives import ArchiveInvalide, Membre, compter_tar_gz, est_gzip, lire_tar_gz, parcourir_tar_gz
from raccordement.enums import (
    ETATS_FINAUX,
    SYNTAXES_LUES,
    SYNTAXES_NON_INTEGREES,
    SYNTAXES_PDF_A_COTE,
    SYNTAXES_PDF_EMBARQUE,
    CanalFlux,
    EtatFlux,
    SyntaxeFlux,
    TypeRaccordement,
)
from raccordement.models import FicheRaccordement, Flux, FluxErreur, FluxFacture
from raccordement.selectors.flux import cle_du_flux, nombre_de_factures
from raccordement.services.cycle_vie import message_rejet_produire, messages_du_depot_produire, structure_connectee
from raccordement.services.utilisateur_technique import utilisateur_technique

journal = logging.getLogger(__name__)

TAILLE_FICHIER_MAX = limites.octets("flux_fichier_taille_max")
TAILLE_ARCHIVE_MAX = limites.octets("flux_fichier_compresse_taille_max")
NOM_FICHIER_LONGUEUR_MAX = limites.nombre("deposer_pdf_nom_fichier_longueur_max")  # the longest name Chorus Pro takes
# invoices a run integrates before the flux's next run is queued behind the others (~20–40 ms each: a run of a few
# seconds, so a small flux deposited during a large one waits at most that long)
PAR_PASSAGE = 200
MEMOIRE_DU_FLUX = 7 * 24 * 3600  # seconds the cache keeps a flux's count and first syntax (its runs end long before)
TENTATIVES_MAX = 5  # after that many runs the flux is IN_INCIDENTE (« à déposer de nouveau »)

COUCHE_TECHNIQUE = "Technique"

MODE_DEPOT = {
    CanalFlux.PORTAIL: ModeDepot.UPLOAD_PORTAIL,
    CanalFlux.API: ModeDepot.UPLOAD_API,
    CanalFlux.EDI: ModeDepot.EDI,
}

NATURE_PDF, NATURE_XML, NATURE_GZIP = "pdf", "xml", "gzip"
_EXTENSIONS = {".pdf": NATURE_PDF, ".xml": NATURE_XML, ".gz": NATURE_GZIP, ".tgz": NATURE_GZIP}
_NOMS_NATURE = {NATURE_PDF: "un PDF", NATURE_XML: "un document XML", NATURE_GZIP: "une archive gzip (tar.gz)"}


# --- Reception ---------------------------------------------------------------------------------------------------


def nature(contenu):
    """What the first bytes say the file is (never its name): pdf, xml, gzip or None."""
    if est_gzip(contenu):
        return NATURE_GZIP
    if b"%PDF-" in contenu[:1024]:
        return NATURE_PDF
    if contenu.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<":
        return NATURE_XML
    return None


def _mo(octets):
    return f"{octets / 1024 / 1024:.1f}".replace(".", ",").removesuffix(",0") + " Mo"


def verifier_fichier(nom, contenu):
    """The file's nature; ApplicationError (champ « fichier ») when it is empty, too big, or not what it claims."""
    nom = PurePath(nom or "").name
    if not nom:
        raise ApplicationError("Choisissez le fichier du flux.", champ="fichier")
    if len(nom) > NOM_FICHIER_LONGUEUR_MAX:
        raise ApplicationError(
            f"Le nom du fichier fait {len(nom)} caractères : {NOM_FICHIER_LONGUEUR_MAX} au plus. Renommez le fichier.",
            champ="fichier",
        )
    if not contenu:
        raise ApplicationError(f"Le fichier « {nom} » est vide.", champ="fichier")
    suffixe = PurePath(nom.lower()).suffix
    attendue = _EXTENSIONS.get(suffixe)
    if attendue is None:
        raise ApplicationError(
            f"Le fichier « {nom} » n'est ni un PDF Factur-X (.pdf), ni un XML CII ou UBL (.xml), ni une archive "
            ".tar.gz de factures.",
            champ="fichier",
        )
    lue = nature(contenu)
    limite = TAILLE_ARCHIVE_MAX if attendue == NATURE_GZIP else TAILLE_FICHIER_MAX
    if len(contenu) > limite:
        quoi = "une archive compressée de flux" if attendue == NATURE_GZIP else "un fichier de flux"
        raise ApplicationError(
            f"Le fichier « {nom} » pèse {_mo(len(contenu))} : {quoi} ne doit pas dépasser {_mo(limite)}.",
            champ="fichier",
        )
    if lue != attendue:
        vraie = f" : c'est {_NOMS_NATURE[lue]}" if lue else ""
        raise ApplicationError(
            f"Le fichier « {nom} » porte l'extension {suffixe} mais n'est pas {_NOMS_NATURE[attendue]}{vraie}. "
            "Il est peut-être endommagé ou mal nommé.",
            champ="fichier",
        )
    return lue


def _numero():
    prefixe = f"CPP{timezone.localdate():%Y%m%d}"
    dernier = (
        Flux.objects.filter(numero__startswith=prefixe).order_by("-numero").values_list("numero", flat=True).first()
    )
    return f"{prefixe}{(int(dernier.removeprefix(prefixe)) + 1) if dernier else 1:07d}"


def _autoriser(*, structure, canal, par, compte_technique):
    if par is not None:
        if not peut(par, Application.FACTURES_EMISES, Niveau.MODIFICATION, structure):
            raise ApplicationError(
                "Vous n'êtes pas habilité à déposer des flux pour cette structure (profil « Factures émises – "
                "modification »).",
                champ="structure",
            )
        return
    if compte_technique is not None:
        if compte_technique.structure_id != structure.pk or compte_technique.desactive_le is not None:
            raise ApplicationError("Ce compte technique n'agit pas pour cette structure.", champ="structure")
        return
    if canal == CanalFlux.EDI and edi_actif(structure):
        return
    raise ApplicationError("Un flux est déposé par un utilisateur, un compte technique ou l'EDI.", champ="structure")


def edi_actif(structure):
    return FicheRaccordement.objects.filter(
        structure=structure, type_raccordement=TypeRaccordement.EDI, desactivee_le__isnull=True
    ).exists()


def _doublon(structure, empreinte):
    return (
        Flux.objects.filter(structure=structure, sha256=empreinte, doublon_de__isnull=True)
        .exclude(etat__in=[EtatFlux.IN_REJETE, EtatFlux.IN_INCIDENTE])
        .order_by("recu_le", "pk")
        .first()
    )


def flux_recevoir(*, structure, contenu, nom_fichier, canal, par=None, compte_technique=None, syntaxe=""):
    """Save a deposited flux (state IN_RECU) and queue its integration after commit. Returns the Flux.

    Raises ApplicationError (a French message and its field) when the deposit itself is refused: not allowed, empty,
    too big, or not what it claims to be. Everything else is the integration report's business."""
    _autoriser(structure=structure, canal=canal, par=par, compte_technique=compte_technique)
    if canal not in CanalFlux.values:
        raise ApplicationError(f"Canal de dépôt inconnu : « {canal} ».", champ="canal")
    if syntaxe and syntaxe not in SyntaxeFlux.values:
        raise ApplicationError(
            f"La syntaxe « {syntaxe} » n'est pas une syntaxe de flux acceptée ({', '.join(SyntaxeFlux.values)}).",
            champ="syntaxeFlux",
        )
    nom = PurePath(nom_fichier or "").name
    verifier_fichier(nom, contenu)
    empreinte = hashlib.sha256(contenu).hexdigest()
    # Two deposits at the same instant may compute the same number: the unique index decides, the loser retries.
    for _ in range(5):
        flux = Flux(
            numero=_numero(),
            structure=structure,
            compte_technique=compte_technique,
            depose_par=par,
            canal=canal,
            syntaxe=syntaxe,
            nom_fichier=nom,
            taille=len(contenu),
            sha256=empreinte,
            doublon_de=_doublon(structure, empreinte),
            etat=EtatFlux.IN_RECU,
            recu_le=timezone.now(),
        )
        try:
            with transaction.atomic():
                flux.fichier.save(nom, ContentFile(contenu), save=False)
                flux.save()
        except IntegrityError:
            if flux.fichier:
                flux.fichier.storage.delete(flux.fichier.name)
            continue
        from raccordement.tasks import integrer_flux

        integrer_flux.delay_on_commit(flux.pk)
        return flux
    raise ApplicationError("Le numéro du flux n'a pas pu être attribué : déposez-le de nouveau.", champ="fichier")


# --- Integration -------------------------------------------------------------------------------------------------


# without a committed invoice for this long, a flux in progress is taken for lost (raccordement.tasks' sweeper)
INACTIF_DEPUIS = timedelta(minutes=5)


def _prendre(flux_id, suite=False):
    """Claim the flux for a run; None when there is nothing to do (already final, or gone). The next run of a flux
    integrated by runs (`suite`) is not a new attempt: its start and its attempts stay those of its first run."""
    with transaction.atomic():
        flux = (
            Flux.objects.select_for_update(of=("self",))
            .select_related("structure", "depose_par")
            .filter(pk=flux_id)
            .first()
        )
        if flux is None or flux.etat in ETATS_FINAUX:
            return None
        if flux.etat == EtatFlux.IN_EN_COURS_TRAITEMENT_CPP:
            if suite:
                return flux
            # a second message for a flux a run holds (two sweeps queued it before the first re-queue ran): only a
            # flux without progress for INACTIF_DEPUIS (its worker died) is taken again, as a new attempt
            perdu = flux_en_souffrance(recu_depuis=INACTIF_DEPUIS, inactif_depuis=INACTIF_DEPUIS).filter(pk=flux.pk)
            if not perdu.exists():
                return None
        maintenant = timezone.now()
        flux.etat = EtatFlux.IN_EN_COURS_TRAITEMENT_CPP
        flux.traitement_debut_le = maintenant
        flux.tentatives += 1
        flux.save(update_fields=["etat", "traitement_debut_le", "tentatives"])
        return flux


def _terminer(flux, etat, erreurs_techniques=()):
    with transaction.atomic():
        FluxErreur.objects.bulk_create(
            FluxErreur(flux=flux, rang=rang, couche=COUCHE_TECHNIQUE, code=code, message=message, champ=champ)
            for rang, (code, message, champ) in enumerate(erreurs_techniques, start=1)
        )
        flux.etat, flux.traitement_fin_le = etat, timezone.now()
        Flux.objects.filter(pk=flux.pk).update(etat=flux.etat, traitement_fin_le=flux.traitement_fin_le)
    return flux


def _reporter(flux):
    """The media volume is full: the invoice being written rolled back with its files, the ranks committed before it
    stay. The flux waits (IN_EN_ATTENTE_TRAITEMENT_CPP) without this run counting among its attempts: the sweeper
    queues it again, and it resumes at the next rank once there is space (a full disk is the portal's fault, never
    a reason to give a supplier's flux up)."""
    journal.warning("Flux %s : espace de stockage plein, intégration reportée", flux.numero)
    with transaction.atomic():
        Flux.objects.filter(pk=flux.pk).update(
            etat=EtatFlux.IN_EN_ATTENTE_TRAITEMENT_CPP, tentatives=max(flux.tentatives - 1, 0)
        )
    flux.refresh_from_db()
    return flux


def _syntaxe_flux(analyse, xml_racine):
    """The syntaxeFlux an invoice stands for (chorus-pro-api.md §3.2), from what was detected in it."""
    if analyse.syntaxe == detection.FACTURX_PDF:
        if _cadre_bt23(xml_racine) in _cadres_travaux():
            return SyntaxeFlux.IN_DP_E4_CII_FACTURX
        return SyntaxeFlux.IN_DP_E2_CII_FACTURX
    if analyse.syntaxe in (detection.UBL_FACTURE, detection.UBL_AVOIR):
        return SyntaxeFlux.IN_DP_E1_UBL_INVOICE
    if analyse.syntaxe == detection.CII:
        # D22B is the CII of the EXTENDED-CTC-FR profile (the 2026 reform's); the Factur-X profiles are D16B
        if analyse.profil == "extended-ctc-fr":
            return SyntaxeFlux.IN_DP_E1_CII
        return SyntaxeFlux.IN_DP_E1_CII_16B
    return ""


def _cadres_travaux():
    from travaux.regles import CADRES_TRAVAUX

    return CADRES_TRAVAUX


_NS = {
    "rsm": couches.NS_CII,
    "ram": couches.NS_CII_XPATH["ram"],
    "cbc": couches.NS_UBL_CBC,
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
}


def _textes(racine, *chemins):
    if racine is None:
        return []
    valeurs = []
    for chemin in chemins:
        valeurs += [(e.text or "").strip() for e in racine.xpath(chemin, namespaces=_NS)]
    return [v for v in valeurs if v]


def _cadre_bt23(racine):
    """BT-23 (business process): Chorus Pro's cadre de facturation (A1, A4…)."""
    valeurs = _textes(
        racine,
        "rsm:ExchangedDocumentContext/ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID",
        "cbc:ProfileID",
    )
    return valeurs[0].upper() if valeurs else ""


def _service_fournisseur(flux, racine):
    """BT-29 (seller identifier) without a scheme that names one of the supplier's services."""
    codes = _textes(
        racine,
        "//ram:SellerTradeParty/ram:ID[not(@schemeID)]",
        "cac:AccountingSupplierParty/cac:Party/cac:PartyIdentification/cbc:ID[not(@schemeID)]",
    )
    if not codes:
        return None
    return Service.objects.filter(structure=flux.structure, code__in=codes, actif=True).order_by("pk").first()


def _racine(analyse):
    if analyse.xml is None:
        return None
    try:
        return parser_xml(analyse.xml)
    except FormatInvalide:
        return None


def _erreurs_du_flux(flux, analyse, syntaxe):
    erreurs = []
    if analyse.syntaxe == detection.PDF:
        erreurs.append(
            ErreurDepot(
                COUCHE_FORMAT,
                "PDF_SANS_FACTURX",
                f"Le PDF « {analyse.nom} » ne contient pas de facture Factur-X (aucune pièce jointe factur-x.xml) : "
                "un flux ne porte que des factures structurées. Déposez un PDF simple par « Déposer une facture ».",
                champ="fichier",
            )
        )
    if flux.syntaxe and syntaxe and syntaxe not in SYNTAXES_LUES.get(flux.syntaxe, ()):
        erreurs.append(
            ErreurDepot(
                COUCHE_FORMAT,
                "SYNTAXE_FLUX",
                f"Le flux est déclaré en syntaxe {flux.syntaxe} ({SyntaxeFlux(flux.syntaxe).label}), mais « "
                f"{analyse.nom} » est en {syntaxe} ({SyntaxeFlux(syntaxe).label}).",
                champ="syntaxeFlux",
            )
        )
    return erreurs


# the works support matrix's column (facturation/regles/cadres.csv) for each flux transport
CANAL_TRAVAUX = {CanalFlux.EDI: "edi", CanalFlux.API: "service", CanalFlux.PORTAIL: "portail"}


def _piece_travaux_deposer(flux, analyse, racine, mode_depot):
    """A works Factur-X: deposited as a works piece by the works deposit's service; returns its invoice."""
    from travaux.services.depot_flux import piece_flux_deposer

    par = flux.depose_par
    if par is None and flux.compte_technique_id is not None:
        par = utilisateur_technique(flux.compte_technique)
    piece = piece_flux_deposer(
        analyse=analyse,
        racine=racine,
        cadre=_cadre_bt23(racine),
        fournisseur=flux.structure,
        par=par,
        canal=CANAL_TRAVAUX[flux.canal],
        mode_depot=mode_depot,
        service_fournisseur=_service_fournisseur(flux, racine),
    )
    return piece.facture


def _integrer_facture(flux, membre, mode_depot, connectee, pdfs_a_cote=None):
    """Read, check and deposit one invoice; its FluxFacture row, its errors, its lifecycle messages (for a connected
    supplier) and the invoice commit together. The row is written last: when another run committed this rank first,
    its unique (flux, rang) rolls the whole invoice back."""
    pdf_fourni = None
    try:
        membre, pdf_fourni, erreur_pdf = _pdf_de_la_facture(flux, membre, pdfs_a_cote or {})
        analyse = fichier_structure_analyser(fournisseur=flux.structure, nom=membre.nom, contenu=membre.contenu)
        if flux.syntaxe in SYNTAXES_PDF_EMBARQUE:
            analyse.erreurs = [_donnees_minimales(e) for e in analyse.erreurs]
        racine = _racine(analyse)
        syntaxe = _syntaxe_flux(analyse, racine)
        erreurs = analyse.erreurs + _erreurs_du_flux(flux, analyse, syntaxe)
        erreurs += [erreur_pdf] if erreur_pdf else []
    except Exception as exc:  # noqa: BLE001 — one unreadable invoice must not stop the flux: it is reported
        journal.exception("Flux %s, facture %s : erreur inattendue à la lecture", flux.numero, membre.rang)
        analyse, racine, syntaxe = None, None, ""
        erreurs = [ErreurDepot(COUCHE_TECHNIQUE, "ERREUR_LECTURE", f"« {membre.nom} » n'a pas pu être lu : {exc}")]
    neutre = analyse.neutre if analyse is not None else None
    fichiers = []
    try:
        with ecriture(), transaction.atomic():
            facture = None
            if not any(e.bloquante for e in erreurs):
                try:
                    if syntaxe == SyntaxeFlux.IN_DP_E4_CII_FACTURX:
                        facture = _piece_travaux_deposer(flux, analyse, racine, mode_depot)
                    else:
                        facture = fichier_structure_deposer(
                            analyse=analyse,
                            fournisseur=flux.structure,
                            par=flux.depose_par,
                            mode_depot=mode_depot,
                            rendre_pdf=False,
                            service_fournisseur=_service_fournisseur(flux, racine),
                            pdf_fourni=pdf_fourni,
                        )
                except TeleversementRefuse as exc:
                    erreurs = list(exc.erreurs)
                else:
                    fichiers = [f.name for f in (facture.fichier_pdf, facture.fichier_xml) if f]
            ligne = FluxFacture.objects.create(
                flux=flux,
                rang=membre.rang,
                nom_fichier=membre.nom[:255],
                numero_facture=((neutre.numero if neutre else "") or "")[:50],
                identifiant_fournisseur=identifiant_partie(neutre.vendeur) if neutre else "",
                identifiant_destinataire=identifiant_partie(neutre.acheteur) if neutre else "",
                facture=facture,
                integree=facture is not None,
            )
            if facture is not None:
                if connectee:
                    messages_du_depot_produire(flux_facture=ligne)
                return syntaxe
            bloquantes = [e for e in erreurs if e.bloquante]
            FluxErreur.objects.bulk_create(
                FluxErreur(
                    flux=flux,
                    flux_facture=ligne,
                    rang=rang,
                    couche=e.couche,
                    code=e.code[:100],
                    message=e.message,
                    champ=e.champ[:255],
                    emplacement=e.emplacement,
                    valeur_trouvee=e.valeur_trouvee,
                    valeur_attendue=e.valeur_attendue,
                )
                for rang, e in enumerate(bloquantes, start=1)
            )
            if connectee:
                message_rejet_produire(flux_facture=ligne, structure_id=flux.structure_id, erreurs=bloquantes)
    except IntegrityError:
        # Another run committed this rank first (the unique (flux, rang)): ours rolled back, deposit included.
        for nom in fichiers:
            default_storage.delete(nom)
    return syntaxe


# the element that carries the PDF in the XML of an E2 flux (BG-24), removed with its PDF
_PDF_EMBARQUE = (
    (
        "//ram:AdditionalReferencedDocument/ram:AttachmentBinaryObject[@mimeCode='application/pdf']",
        "ram:AdditionalReferencedDocument",
    ),
    (
        "cac:AdditionalDocumentReference/cac:Attachment/cbc:EmbeddedDocumentBinaryObject[@mimeCode='application/pdf']",
        "cac:AdditionalDocumentReference",
    ),
)


def _pdf_de_la_facture(flux, membre, pdfs_a_cote):
    """(the member to analyse, the invoice's PDF as (name, bytes) or None, a blocking error or None) for the syntaxes
    whose PDF travels with the data: beside it in the archive (PDFARCHIVE), or embedded in the XML (E2 `_MIN`)."""
    if flux.syntaxe in SYNTAXES_PDF_EMBARQUE:
        return _separer_pdf_embarque(flux, membre)
    if flux.syntaxe in SYNTAXES_PDF_A_COTE:
        pdf = pdfs_a_cote.get(PurePath(membre.nom).stem)
        if pdf is None:
            return (
                membre,
                None,
                ErreurDepot(
                    COUCHE_FORMAT,
                    "PDF_ARCHIVE_ABSENT",
                    f"Le flux est en syntaxe {flux.syntaxe} ({SyntaxeFlux(flux.syntaxe).label}) : l'archive doit "
                    f"contenir le PDF de « {membre.nom} » sous le même nom (« {PurePath(membre.nom).stem}.pdf »).",
                    champ="fichier",
                ),
            )
        return membre, (PurePath(pdf.nom).name, pdf.contenu), None
    return membre, None, None


def _separer_pdf_embarque(flux, membre):
    """An E2 « mixte » invoice is minimal data (Factur-X MINIMUM: parties, number, date, type, currency, totals, order
    reference) plus its PDF, base64 in the XML. The PDF is taken out and becomes the invoice's readable copy; what is
    left is the data, analysed as such: the MINIMUM profile has no attachment group, so its schema would refuse the
    carrier, and the stored XML stays the data, not a copy of the PDF."""
    absent = ErreurDepot(
        COUCHE_FORMAT,
        "PDF_MIXTE_ABSENT",
        f"Le flux est en syntaxe {flux.syntaxe} ({SyntaxeFlux(flux.syntaxe).label}) : « {membre.nom} » doit porter le "
        "PDF de la facture en pièce jointe encodée (BG-24, BT-125, mimeCode application/pdf) ; aucun PDF lisible n'y "
        "a été trouvé.",
        champ="BG-24 (pièce jointe)",
    )
    if nature(membre.contenu) != NATURE_XML:
        return membre, None, absent
    try:
        arbre = analyser_xml(membre.contenu)
    except FormatInvalide:
        return membre, None, None  # the analysis reports the unreadable XML itself
    racine = arbre.getroot()
    for chemin, porteur in _PDF_EMBARQUE:
        for element in racine.xpath(chemin, namespaces=_NS):
            try:
                contenu = base64.b64decode((element.text or "").strip(), validate=True)
            except (binascii.Error, ValueError):
                continue
            if not contenu.startswith(b"%PDF"):
                continue
            nom_pdf = PurePath(element.get("filename") or f"{PurePath(membre.nom).stem}.pdf").name
            bloc = element.xpath(f"ancestor::{porteur}[1]", namespaces=_NS)[0]
            bloc.getparent().remove(bloc)
            donnees = etree.tostring(arbre, xml_declaration=True, encoding="UTF-8")
            return replace(membre, contenu=donnees), (nom_pdf, contenu), None
    return membre, None, absent


def _donnees_minimales(erreur):
    """The Factur-X schematron reports an element « not used » in the MINIMUM profile: in a Factur-X PDF that is a
    fault, but the data of an E2 flux is not a Factur-X document, its profile is the least it must carry, not the
    most (an E2 invoice may say more, e.g. the buyer's address or VAT number): a warning, not a refusal."""
    if erreur.code != CODE_RAPPORT_FACTURX or not erreur.bloquante:
        return erreur
    return replace(
        erreur,
        bloquante=False,
        message=f"{erreur.message} (flux mixte E2 : les données minimales peuvent être complétées, non bloquant)",
    )


def _membres(flux, contenu):
    if est_gzip(contenu):
        return lire_tar_gz(contenu)
    return [Membre(rang=1, nom=flux.nom_fichier, chemin=flux.nom_fichier, contenu=contenu)]


def _compter(flux, contenu):
    """The first pass over a tar.gz (headers only): the archive refused as a whole before any invoice, and N."""
    nombre = nombre_de_factures(flux)
    if nombre is None:
        nombre = compter_tar_gz(contenu) if est_gzip(contenu) else 1
        cache.set(cle_du_flux(flux, "nombre"), nombre, MEMOIRE_DU_FLUX)
    return nombre


def _en_flot(flux, contenu):
    if est_gzip(contenu):
        return parcourir_tar_gz(contenu)
    return iter([Membre(rang=1, nom=flux.nom_fichier, chemin=flux.nom_fichier, contenu=contenu)])


def _separer_pdfs(membres):
    """A PDFARCHIVE flux: (the data files, each one an invoice; the PDFs by name without extension). A PDF with no
    data file of its name stays among the invoices, and is reported as such."""
    donnees = {PurePath(m.nom).stem for m in membres if not m.contenu.startswith(b"%PDF")}
    pdfs = {
        PurePath(m.nom).stem: m for m in membres if m.contenu.startswith(b"%PDF") and PurePath(m.nom).stem in donnees
    }
    return [m for m in membres if m not in pdfs.values()], pdfs


def flux_integrer(*, flux_id, suite=False):
    """Integrate the flux (idempotent: a final flux is left alone, committed ranks are skipped). Returns it.

    A run integrates at most PAR_PASSAGE invoices, reading the archive as a stream (memory: one invoice), and leaves
    a larger flux IN_EN_COURS_TRAITEMENT_CPP: the task queues its next run (`suite`) behind the flux deposited
    meanwhile, so a 10 000-invoice flux never holds the workers for its whole length."""
    flux = _prendre(flux_id, suite=suite)
    if flux is None:
        return Flux.objects.filter(pk=flux_id).first()
    if flux.tentatives > TENTATIVES_MAX:
        return _terminer(
            flux,
            EtatFlux.IN_INCIDENTE,
            [
                (
                    "TENTATIVES",
                    f"Le flux n'a pas pu être traité après {TENTATIVES_MAX} tentatives : déposez-le de nouveau.",
                    "",
                )
            ],
        )
    if flux.doublon_de_id:
        premier = flux.doublon_de
        return _terminer(
            flux,
            EtatFlux.IN_REJETE,
            [
                (
                    "FLUX_DOUBLON",
                    f"Ce fichier a déjà été déposé par la structure : flux {premier.numero} reçu le "
                    f"{timezone.localtime(premier.recu_le):%d/%m/%Y à %H:%M} (même empreinte SHA-256). Il n'est pas "
                    "intégré une seconde fois.",
                    "fichier",
                )
            ],
        )
    if flux.syntaxe in SYNTAXES_NON_INTEGREES:
        return _terminer(
            flux,
            EtatFlux.IN_REJETE,
            [
                (
                    "SYNTAXE_NON_INTEGREE",
                    f"La syntaxe {flux.syntaxe} ({SyntaxeFlux(flux.syntaxe).label}) est reçue mais le portail "
                    "n'intègre pas ses factures : déposez-les en UBL, en CII (seuls ou avec leur PDF) ou en "
                    "Factur-X.",
                    "syntaxeFlux",
                )
            ],
        )
    try:
        with flux.fichier.open("rb") as fichier:
            contenu = fichier.read()
    except OSError as exc:
        return _terminer(
            flux, EtatFlux.IN_INCIDENTE, [("FICHIER_ILLISIBLE", f"Le fichier du flux est illisible : {exc}.", "")]
        )
    try:
        if flux.syntaxe in SYNTAXES_PDF_A_COTE:
            membres = _membres(flux, contenu)  # each XML is paired with its PDF: the archive is read whole
            nombre = len(membres)
        else:
            nombre = _compter(flux, contenu)
            membres = _en_flot(flux, contenu)
    except ArchiveInvalide as exc:
        return _terminer(flux, EtatFlux.IN_REJETE, [("ARCHIVE", str(exc), "fichier")])
    pdfs_a_cote = {}
    if flux.syntaxe in SYNTAXES_PDF_A_COTE:
        if not est_gzip(contenu):
            return _terminer(
                flux,
                EtatFlux.IN_REJETE,
                [
                    (
                        "ARCHIVE_ATTENDUE",
                        f"La syntaxe {flux.syntaxe} ({SyntaxeFlux(flux.syntaxe).label}) porte une archive tar.gz "
                        "(chaque facture : son fichier de données et son PDF du même nom) : « "
                        f"{flux.nom_fichier} » n'en est pas une.",
                        "fichier",
                    )
                ],
            )
        membres, pdfs_a_cote = _separer_pdfs(membres)

    faits = set(FluxFacture.objects.filter(flux=flux).values_list("rang", flat=True))
    mode_depot = MODE_DEPOT[flux.canal]
    connectee = structure_connectee(flux.structure_id)
    syntaxes = []
    try:
        for membre in membres:
            if membre.rang in faits:
                continue
            if len(syntaxes) >= PAR_PASSAGE:
                _retenir_syntaxe(flux, syntaxes)
                return flux  # still IN_EN_COURS_TRAITEMENT_CPP: the task queues the next run
            syntaxes.append(_integrer_facture(flux, membre, mode_depot, connectee, pdfs_a_cote))
    except StockagePlein:
        return _reporter(flux)
    except ArchiveInvalide as exc:  # the first pass read every header: only a file changed on disk gets here
        return _terminer(flux, EtatFlux.IN_INCIDENTE, [("FICHIER_ILLISIBLE", str(exc), "")])

    if not flux.syntaxe:
        syntaxe = cache.get(cle_du_flux(flux, "syntaxe")) or next((s for s in syntaxes if s), "")
        if syntaxe:
            flux.syntaxe = syntaxe
            Flux.objects.filter(pk=flux.pk, syntaxe="").update(syntaxe=syntaxe)
    integrees = FluxFacture.objects.filter(flux=flux, integree=True).count()
    if integrees == nombre:
        etat = EtatFlux.IN_INTEGRE
    elif integrees:
        etat = EtatFlux.IN_INTEGRE_PARTIEL
    else:
        etat = EtatFlux.IN_REJETE
    return _terminer(flux, etat)


def _retenir_syntaxe(flux, syntaxes):
    """The syntax the first invoices showed, for the run that ends the flux: the flux's own field stays the declared
    one until then (a later invoice is checked against what the depositor declared, not what an earlier one was)."""
    syntaxe = next((s for s in syntaxes if s), "")
    if syntaxe and not cache.get(cle_du_flux(flux, "syntaxe")):
        cache.set(cle_du_flux(flux, "syntaxe"), syntaxe, MEMOIRE_DU_FLUX)


# --- Sweeper -----------------------------------------------------------------------------------------------------


def flux_en_souffrance(*, recu_depuis, inactif_depuis):
    """Flux a lost message or a killed worker left behind: IN_RECU for longer than `recu_depuis`, or in progress
    with no invoice committed for longer than `inactif_depuis` (a running integration commits an invoice at a time,
    so an active one is never taken for lost)."""
    maintenant = timezone.now()
    return (
        Flux.objects.annotate(derniere_facture=Max("factures__traitee_le"))
        .filter(
            Q(etat=EtatFlux.IN_RECU, recu_le__lt=maintenant - recu_depuis)
            | Q(etat=EtatFlux.IN_EN_ATTENTE_TRAITEMENT_CPP, recu_le__lt=maintenant - recu_depuis)
            | (
                Q(etat=EtatFlux.IN_EN_COURS_TRAITEMENT_CPP, traitement_debut_le__lt=maintenant - inactif_depuis)
                & (Q(derniere_facture__isnull=True) | Q(derniere_facture__lt=maintenant - inactif_depuis))
            )
        )
        .order_by("recu_le", "pk")
    )
