"""Depositing an invoice, whatever the channel: the routing rules, the amounts, the first statuses.

The web entry (saisie), the upload of a Factur-X/CII/UBL file, the API and the flux integration all end here, so an
invoice is routed, numbered and dated the same way. What differs per channel (building the lines, the files) is done
by the caller before; this function checks, files and dates the deposit in one transaction.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from chorus.exceptions import ApplicationError
from facturation import acheminement, adresses, regles_depot
from facturation.calcul import calculer
from facturation.enums import StatutFacture
from facturation.formats.depuis_facture import categorie_tva
from facturation.models import Facture, FactureHistorique, LigneFacture, VentilationTva
from facturation.selectors.delegation import delegation_applicable


class DepotRefuse(ApplicationError):
    """Every reason a deposit is refused at once, each with its field (ErreurAcheminement or ApplicationError)."""

    def __init__(self, erreurs):
        self.erreurs = list(erreurs)
        premiere = self.erreurs[0]
        super().__init__(str(premiere), champ=getattr(premiere, "champ", None))


@dataclass(frozen=True)
class LigneVentilation:
    categorie: str
    taux: Decimal | None
    base_ht: Decimal  # BT-116
    montant_tva: Decimal  # BT-117
    remises_ht: Decimal = Decimal(0)
    frais_ht: Decimal = Decimal(0)
    motif_exoneration: str = ""
    code_exoneration: str = ""


@dataclass(frozen=True)
class MontantsDuFichier:
    """The amounts a structured file states (BG-22 and BG-23): a deposited file keeps them, they are never recomputed
    by the web form's calculation (the official rules have already checked them)."""

    total_lignes_ht: Decimal  # BT-106
    total_remises_ht: Decimal  # BT-107
    total_frais_ht: Decimal  # BT-108
    total_ht: Decimal  # BT-109
    total_tva: Decimal  # BT-110
    total_ttc: Decimal  # BT-112
    montant_paye_avance: Decimal  # BT-113
    montant_arrondi: Decimal  # BT-114
    net_a_payer: Decimal  # BT-115
    ventilation: tuple[LigneVentilation, ...] = ()


def _ventilation_calculee(facture, totaux):
    motif = facture.motif_exoneration or ""
    return tuple(
        LigneVentilation(
            categorie=categorie_tva(facture, v.taux),
            taux=v.taux,
            base_ht=v.base_ht,
            montant_tva=v.montant_tva,
            remises_ht=v.remise_ht,
            motif_exoneration=motif if categorie_tva(facture, v.taux) == "E" else "",
        )
        for v in totaux.ventilation
    )


def ventilation_remplacer(facture, ventilation, *, nouvelle=False):
    if not nouvelle:
        facture.ventilations.all().delete()
    VentilationTva.objects.bulk_create(
        VentilationTva(
            facture=facture,
            rang=rang,
            categorie=v.categorie[:3],
            taux=v.taux,
            base_ht=v.base_ht,
            montant_tva=v.montant_tva,
            remises_ht=v.remises_ht,
            frais_ht=v.frais_ht,
            motif_exoneration=v.motif_exoneration[:255],
            code_exoneration=v.code_exoneration[:30],
        )
        for rang, v in enumerate(ventilation, start=1)
    )


ACTION_DEPOT = "deposer"
ACTION_ACHEMINEMENT = "acheminer"


def _statut_initial(facture):
    if facture.valideur_1_id is not None:
        return StatutFacture.A_VALIDER_1
    if facture.cadre == "A1":
        delegation = delegation_applicable(facture.destinataire, facture.service_destinataire)
        if delegation is not None:
            facture.delegation = delegation
            facture.valideur_1 = delegation.delegue
            return StatutFacture.A_VALIDER_1
    return StatutFacture.MISE_A_DISPOSITION


def lignes_remplacer(facture, lignes, totaux, *, nouvelle=False):
    """Write the invoice's lines as computed by calcul.calculer (`totaux`), in place of the previous ones
    (`nouvelle`: the invoice row was just created, it has none: the flux pipeline saves a query per invoice)."""
    if not nouvelle:
        facture.lignes.all().delete()
    LigneFacture.objects.bulk_create(
        LigneFacture(
            facture=facture,
            numero=ligne.get("numero") or rang,
            reference=ligne.get("reference") or "",
            designation=ligne.get("designation") or "",
            quantite=calculee.quantite,
            unite=ligne.get("unite") or "",
            prix_unitaire_ht=calculee.prix_unitaire_ht,
            remise=calculee.remise,
            taux_tva=calculee.taux_tva,
            montant_ht=calculee.montant_ht,
        )
        for rang, (ligne, calculee) in enumerate(zip(lignes, totaux.lignes, strict=True), start=1)
    )


def facture_deposer(
    *,
    facture,
    par,
    mode_depot,
    format_depot="",
    lignes=None,
    identifiant_destinataire="",
    code_service="",
    pdf=None,
    nom_pdf="",
    xml=None,
    nom_xml="",
    statut_initial=None,
    montants=None,
):
    """Deposit `facture` (new, or a saved draft); returns it MISE_A_DISPOSITION, or A_VALIDER_1 with a validator.

    `statut_initial`: the status the routing gives instead (a works piece starts « Mise à disposition de la MOE »…,
    travaux.regles); the history still reads BROUILLON → DEPOSEE → that status.

    `lignes`: dicts (numero, reference, designation, quantite, unite, prix_unitaire_ht, remise, taux_tva) replacing the
    draft's lines; None keeps the saved lines. The totals are computed from the lines, unless `montants` (a
    MontantsDuFichier) gives those of a structured file, already checked by the EN 16931 rules.
    The recipient is `facture.destinataire` or found by `identifiant_destinataire` (SIRET); the service likewise by
    `code_service`.
    Raises DepotRefuse with every error; nothing is saved then.
    """
    with transaction.atomic():
        existante = facture if facture.pk else None
        if existante is not None:
            facture = Facture.objects.select_for_update().get(pk=existante.pk)
            for champ in Facture._meta.concrete_fields:
                setattr(facture, champ.attname, getattr(existante, champ.attname))
            if facture.statut != StatutFacture.BROUILLON:
                raise ApplicationError("Cette facture a déjà été déposée.", champ="numero")
        resultat = acheminement.controler(
            fournisseur=facture.fournisseur,
            numero=facture.numero,
            identifiant_destinataire=identifiant_destinataire,
            destinataire=facture.destinataire if facture.destinataire_id else None,
            code_service=code_service,
            service=facture.service_destinataire if facture.service_destinataire_id else None,
            numero_engagement=facture.numero_engagement,
            exclure=existante,
        )
        erreurs = resultat.erreurs + regles_depot.facture_deposee(facture)
        if lignes is None and existante is not None:
            lignes = list(existante.lignes.values())
        erreurs += regles_depot.lignes_presentes(lignes)
        if erreurs:
            raise DepotRefuse(erreurs)

        totaux = calculer(lignes, facture.devise, facture.remise_globale, facture.montant_paye_avance)
        if montants is None:
            erreurs = regles_depot.montants(totaux, facture.devise)
            if erreurs:
                raise DepotRefuse(erreurs)

        facture.destinataire, facture.service_destinataire = resultat.destinataire, resultat.service
        adresses.figer(facture)
        if montants is None:
            # total_ht is BT-109 (after the global discount's allowances), net à payer = TTC − montant déjà payé
            facture.total_ht, facture.total_tva = totaux.total_ht, totaux.total_tva
            facture.total_ttc, facture.net_a_payer = totaux.total_ttc, totaux.net_a_payer
            facture.remise_globale, facture.montant_paye_avance = totaux.remise_globale, totaux.montant_paye_avance
            facture.total_lignes_ht, facture.total_remises_ht = totaux.total_lignes_ht, totaux.total_remises_ht
            facture.total_frais_ht, facture.montant_arrondi = Decimal(0), Decimal(0)
            ventilation = _ventilation_calculee(facture, totaux)
        else:
            for champ in (
                "total_lignes_ht",
                "total_remises_ht",
                "total_frais_ht",
                "total_ht",
                "total_tva",
                "total_ttc",
                "montant_paye_avance",
                "montant_arrondi",
                "net_a_payer",
            ):
                setattr(facture, champ, getattr(montants, champ))
            ventilation = montants.ventilation
        maintenant = timezone.now()
        facture.deposee_le = facture.statut_depuis = maintenant
        facture.mode_depot, facture.format_depot = mode_depot, format_depot
        facture.delai_paiement_jours = facture.destinataire.delai_global_paiement
        if facture.cree_par_id is None:
            facture.cree_par = par
        statut = statut_initial or _statut_initial(facture)
        facture.statut = statut
        if pdf is not None:
            facture.fichier_pdf.save(nom_pdf or f"{facture.numero}.pdf", ContentFile(pdf), save=False)
        if xml is not None:
            facture.fichier_xml.save(nom_xml or f"{facture.numero}.xml", ContentFile(xml), save=False)
        facture.save()

        lignes_remplacer(facture, lignes, totaux, nouvelle=existante is None)
        ventilation_remplacer(facture, ventilation, nouvelle=existante is None)
        FactureHistorique.objects.bulk_create(
            [
                FactureHistorique(
                    facture=facture,
                    action=ACTION_DEPOT,
                    de_statut=StatutFacture.BROUILLON,
                    vers_statut=StatutFacture.DEPOSEE,
                    par=par,
                ),
                FactureHistorique(
                    facture=facture,
                    action=ACTION_ACHEMINEMENT,
                    de_statut=StatutFacture.DEPOSEE,
                    vers_statut=statut,
                    par=None,
                ),
            ]
        )
    return facture
