"""« Associer une MOE » (issue #14): a works piece that arrived by flux without its maîtrise d'œuvre (« À associer par
la MOE », travaux.services.depot_flux) is completed by its supplier, on the portal (« Pièces à associer à une MOE »)
or by the service `facturesTravaux/v1/completerMoe`. The MOE becomes the dossier's, and the piece goes to it
« Mise à disposition de la MOE » at that instant: the MOE's 7-day deadline (travaux.services.relances, counted from
the status' date) starts at the association, not at the deposit."""

from django.db import transaction
from django.utils import timezone

from chorus.exceptions import ApplicationError
from chorus.workflow import TransitionInterdite
from facturation.enums import StatutFacture
from facturation.models import Facture, FactureHistorique
from organisation import habilitations
from organisation.enums import Application, Niveau, StatutStructure, TypeIdentifiant
from organisation.models import Service, Structure
from travaux.models import DossierFacturation, PieceTravaux
from travaux.services.refus import PieceNonAccessible

ACTION_COMPLETER_MOE = "completerMoe"


def moe_par_siret(siret, *, champ="moe_siret"):
    """The active structure of the directory carrying `siret` (ApplicationError naming `champ` otherwise)."""
    siret = (siret or "").strip().replace(" ", "")
    if not siret:
        raise ApplicationError("Indiquez le SIRET de la maîtrise d'œuvre.", champ=champ)
    if len(siret) != 14 or not siret.isascii() or not siret.isdigit():
        raise ApplicationError(
            f"Le SIRET de la maîtrise d'œuvre compte 14 chiffres : « {siret} » n'en est pas un.", champ=champ
        )
    moe = Structure.objects.filter(type_identifiant=TypeIdentifiant.SIRET, identifiant=siret).first()
    if moe is None or moe.statut != StatutStructure.ACTIVE:
        raise ApplicationError(
            f"Aucune structure active de l'annuaire ne porte le SIRET {siret} : vérifiez le SIRET de la maîtrise "
            "d'œuvre.",
            champ=champ,
        )
    return moe


def service_de_la_moe(moe, code, *, champ="service_moe"):
    code = (code or "").strip()
    if not code:
        return None
    service = Service.objects.filter(structure=moe, code=code, actif=True).first()
    if service is None:
        raise ApplicationError(
            f"La maîtrise d'œuvre {moe.raison_sociale} n'a pas de service actif « {code} ».", champ=champ
        )
    return service


def peut_associer_moe(user, piece):
    """The supplier's side of the dossier, with « Factures de travaux – modification »."""
    return habilitations.peut(user, Application.FACTURES_TRAVAUX, Niveau.MODIFICATION, piece.dossier.fournisseur)


def piece_moe_associer(*, piece, par, moe, service_moe=None, commentaire=""):
    """Name the MOE of `piece` (« À associer par la MOE » → « Mise à disposition de la MOE »); returns the history row.

    PieceNonAccessible when `par` does not act for the dossier's supplier (the piece is not his: a 404);
    TransitionInterdite when the piece does not wait for its MOE; ApplicationError (its field: moe, service_moe)
    when the MOE cannot be it."""
    with transaction.atomic():
        verrouillee = PieceTravaux.objects.select_related("dossier__fournisseur", "dossier__moa").get(pk=piece.pk)
        if not peut_associer_moe(par, verrouillee):
            raise PieceNonAccessible()
        facture = Facture.objects.select_for_update().get(pk=verrouillee.facture_id)
        dossier = DossierFacturation.objects.select_for_update().get(pk=verrouillee.dossier_id)
        if facture.statut != StatutFacture.A_ASSOCIER_MOE:
            raise TransitionInterdite(
                f"La pièce {facture.cadre} N° {facture.numero} est au statut « "
                f"{StatutFacture(facture.statut).label} » : elle n'attend pas de maîtrise d'œuvre."
            )
        if moe.statut != StatutStructure.ACTIVE:
            raise ApplicationError(
                f"La maîtrise d'œuvre {moe.raison_sociale} n'est pas une structure active.", champ="moe"
            )
        if moe.pk == dossier.fournisseur_id:
            raise ApplicationError(
                "Le fournisseur et la maîtrise d'œuvre doivent être deux structures différentes.", champ="moe"
            )
        if service_moe is not None and service_moe.structure_id != moe.pk:
            raise ApplicationError(
                f"Le service « {service_moe.code} » n'appartient pas à la maîtrise d'œuvre.", champ="service_moe"
            )
        dossier.moe, dossier.service_moe = moe, service_moe
        dossier.save(update_fields=["moe", "service_moe"])
        de_statut = facture.statut
        facture.statut, facture.statut_depuis = StatutFacture.MISE_A_DISPOSITION_MOE, timezone.now()
        facture.save(update_fields=["statut", "statut_depuis"])
        historique = FactureHistorique.objects.create(
            facture=facture,
            action=ACTION_COMPLETER_MOE,
            de_statut=de_statut,
            vers_statut=facture.statut,
            par=par,
            commentaire=" — ".join(
                x for x in (f"Maîtrise d'œuvre : {moe.raison_sociale} (SIRET {moe.identifiant})", commentaire) if x
            ),
        )
    piece.facture.statut, piece.facture.statut_depuis = facture.statut, facture.statut_depuis
    piece.dossier.moe, piece.dossier.service_moe = moe, service_moe
    return historique
