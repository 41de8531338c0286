"""Depositing a works piece: the support matrix and the chain of the flows (travaux.regles), the dossier de
facturation, then the one invoice deposit path (facturation.services.depot.facture_deposer) at the piece's works
status, and the previous piece marked as answered, all in one transaction.
"""

import copy
import dataclasses

from django.db import IntegrityError, transaction
from django.utils import timezone

from chorus.exceptions import ApplicationError
from facturation import regles_depot
from facturation.acheminement import ErreurAcheminement
from facturation.enums import ModeDepot, StatutFacture
from facturation.models import FactureHistorique
from facturation.services.depot import DepotRefuse, facture_deposer
from organisation import habilitations
from organisation.enums import Application, Niveau, StatutStructure
from travaux import regles
from travaux.enums import CanalDepot, RoleTravaux, TypeDepot
from travaux.models import DossierFacturation, PieceTravaux

ACTION_ASSOCIATION = "associer"

MODE_PAR_CANAL = {
    CanalDepot.EDI: ModeDepot.EDI,
    CanalDepot.PORTAIL: ModeDepot.DEPOT_PDF_PORTAIL,
    CanalDepot.SERVICE: ModeDepot.DEPOT_PDF_API,
}

# facture_deposer names the invoice form's fields; the works form names the MOA's.
_CHAMPS_DEPOT = {"destinataire": "moa", "code_service": "service_moa"}

PIECE_INTROUVABLE = "La pièce précédente est introuvable dans les dossiers de facturation de votre structure."


def _habilite(par, structure):
    return structure is not None and habilitations.peut(
        par, Application.FACTURES_TRAVAUX, Niveau.MODIFICATION, structure
    )


def _refus_habilitation(structure, champ):
    return ApplicationError(
        f"Vous n'êtes pas habilité à déposer des factures de travaux pour la structure {structure.raison_sociale} "
        "(profil « Factures de travaux – modification » requis).",
        champ=champ,
    )


def _numero_dossier():
    prefixe = f"DF-{timezone.localdate().year}-"
    dernier = (
        DossierFacturation.objects.filter(numero__startswith=prefixe)
        .order_by("-numero")
        .values_list("numero", flat=True)
        .first()
    )
    return f"{prefixe}{(int(dernier.removeprefix(prefixe)) + 1) if dernier else 1:06d}"


def _dossier_creer(*, par, facture, moe, service_moe, moa, service_moa):
    # Two deposits at the same instant may compute the same number: the unique index decides, the loser retries.
    for _ in range(5):
        try:
            with transaction.atomic():
                return DossierFacturation.objects.create(
                    numero=_numero_dossier(),
                    numero_marche=facture.numero_marche,
                    fournisseur=facture.fournisseur,
                    moe=moe,
                    service_moe=service_moe,
                    moa=moa,
                    service_moa=service_moa,
                    cree_par=par,
                )
        except IntegrityError:
            continue
    raise ApplicationError("Le numéro du dossier de facturation n'a pas pu être attribué : réessayez.")


def _controler_initial(
    erreurs, *, role, cadre, enchainement, facture, moe, service_moe, moa, service_moa, moe_a_associer=False
):
    if moa is None:
        erreurs.append(ErreurAcheminement("moa", "La maîtrise d'ouvrage (SIRET) est obligatoire."))
    elif service_moa is not None and service_moa.structure_id != moa.pk:
        erreurs.append(
            ErreurAcheminement(
                "service_moa", f"Le service « {service_moa.code} » n'appartient pas à la maîtrise d'ouvrage."
            )
        )
    va_a_la_moe = enchainement is not None and enchainement.statut_piece == StatutFacture.MISE_A_DISPOSITION_MOE
    if moe is None:
        if role == RoleTravaux.MOE or (va_a_la_moe and not moe_a_associer):
            erreurs.append(
                ErreurAcheminement("moe", f"La maîtrise d'œuvre (SIRET) est obligatoire pour le cadre {cadre}.")
            )
    else:
        if moe.statut != StatutStructure.ACTIVE:
            erreurs.append(
                ErreurAcheminement("moe", f"La maîtrise d'œuvre {moe.raison_sociale} n'est pas une structure active.")
            )
        if facture.fournisseur_id == moe.pk:
            erreurs.append(
                ErreurAcheminement(
                    "moe", "Le fournisseur et la maîtrise d'œuvre doivent être deux structures différentes."
                )
            )
        if service_moe is not None and service_moe.structure_id != moe.pk:
            erreurs.append(
                ErreurAcheminement(
                    "service_moe", f"Le service « {service_moe.code} » n'appartient pas à la maîtrise d'œuvre."
                )
            )


def _controler_valideurs(erreurs, *, cadre, facture, valideurs):
    """The validators of a sub-contractor's or co-contractor's piece (travaux.regles.VALIDEUR_DU_CADRE)."""
    (valideur_1, service_1), (valideur_2, service_2) = valideurs
    if cadre not in regles.VALIDEUR_DU_CADRE:
        for champ, valideur in (("valideur_1", valideur_1), ("valideur_2", valideur_2)):
            if valideur is not None:
                erreurs.append(
                    ErreurAcheminement(
                        champ,
                        f"Le cadre {cadre} n'a pas de valideur : seules les pièces des sous-traitants (A10, A11) et "
                        "des cotraitants (A13, A14) passent par un valideur.",
                    )
                )
        return
    if valideur_1 is None:
        erreurs.append(regles_depot.valideur_manquant(cadre, regles.VALIDEUR_DU_CADRE[cadre]))
    if valideur_2 is not None and cadre not in regles.CADRES_AVEC_SECOND_VALIDEUR:
        erreurs.append(
            ErreurAcheminement("valideur_2", f"Le cadre {cadre} n'a qu'un valideur : le mandataire du groupement.")
        )
    for champ, valideur, service, nom, au_valideur in (
        ("valideur_1", valideur_1, service_1, "Le valideur", "au valideur"),
        ("valideur_2", valideur_2, service_2, "Le second valideur", "au second valideur"),
    ):
        if valideur is None:
            continue
        if valideur.statut != StatutStructure.ACTIVE:
            erreurs.append(
                ErreurAcheminement(champ, f"{nom} {valideur.raison_sociale} n'est pas une structure active.")
            )
        if valideur.pk == facture.fournisseur_id:
            erreurs.append(ErreurAcheminement(champ, f"{nom} doit être une autre structure que le déposant."))
        if service is not None and service.structure_id != valideur.pk:
            erreurs.append(
                ErreurAcheminement(
                    f"service_{champ}", f"Le service « {service.code} » n'appartient pas {au_valideur}."
                )
            )
    if valideur_1 is not None and valideur_1 == valideur_2:
        erreurs.append(
            ErreurAcheminement("valideur_2", "Le second valideur doit être une autre structure que le premier.")
        )


def _controler_association(erreurs, *, cadre, precedente, facture, moe, moa):
    dossier = precedente.dossier
    ancienne = precedente.facture
    lignes = regles.enchainements_association(cadre)
    enchainement = regles.enchainement_association(cadre, ancienne.cadre)
    if lignes and enchainement is None:
        possibles = ", ".join(sorted({e.precedente for e in lignes}, key=lambda c: int(c[1:])))
        erreurs.append(
            ErreurAcheminement(
                "piece_precedente",
                f"Le cadre {cadre} ne peut pas être associé à une pièce {ancienne.cadre} : il suit une pièce "
                f"{possibles}.",
            )
        )
    elif enchainement is not None and ancienne.statut not in enchainement.statuts_precedente:
        erreurs.append(
            ErreurAcheminement(
                "piece_precedente",
                f"La pièce {ancienne.cadre} N° {ancienne.numero} est au statut « "
                f"{StatutFacture(ancienne.statut).label} » : elle ne peut pas recevoir de pièce suivante.",
            )
        )
    if PieceTravaux.objects.filter(piece_precedente=precedente).exists():
        erreurs.append(
            ErreurAcheminement(
                "piece_precedente", f"La pièce {ancienne.cadre} N° {ancienne.numero} a déjà une pièce suivante."
            )
        )
    for champ, donne, du_dossier, nom in (
        ("moe", moe, dossier.moe, "la maîtrise d'œuvre"),
        ("moa", moa, dossier.moa, "la maîtrise d'ouvrage"),
    ):
        if donne is not None and donne != du_dossier:
            erreurs.append(
                ErreurAcheminement(
                    champ, f"Une pièce associée garde {nom} du dossier de facturation N° {dossier.numero}."
                )
            )
    if facture.fournisseur_id != dossier.fournisseur_id:
        erreurs.append(
            ErreurAcheminement(
                "fournisseur",
                f"Une pièce associée garde le fournisseur du dossier de facturation N° {dossier.numero} "
                f"({dossier.fournisseur.raison_sociale}).",
            )
        )
    return enchainement


def _controler_dates(erreurs, *, facture, le, precedente):
    """A piece is dated on or before the day it is deposited, and deposited after the piece it answers."""
    jour = timezone.localdate(le)
    if facture.date_facture is None:
        erreurs.append(ErreurAcheminement("date_facture", "La date de la pièce est obligatoire."))
    elif facture.date_facture > jour:
        erreurs.append(
            ErreurAcheminement(
                "date_facture",
                f"La date de la pièce ({facture.date_facture:%d/%m/%Y}) est postérieure à sa date de dépôt "
                f"({jour:%d/%m/%Y}) : une pièce ne peut pas être datée dans le futur.",
            )
        )
    if precedente is not None and precedente.facture.deposee_le and le < precedente.facture.deposee_le:
        erreurs.append(
            ErreurAcheminement(
                "piece_precedente",
                f"La pièce {precedente.facture.cadre} N° {precedente.facture.numero} a été déposée le "
                f"{timezone.localtime(precedente.facture.deposee_le):%d/%m/%Y à %H:%M}, après ce dépôt.",
            )
        )


def _erreurs_du_depot(facture, deposer):
    """Run the invoice deposit to gather its errors too; a refusal is returned, a success is kept."""
    try:
        return deposer(), []
    except DepotRefuse as refus:
        erreurs = []
        for erreur in refus.erreurs:
            champ = getattr(erreur, "champ", None)
            if champ == "destinataire" and facture.destinataire_id is None:
                continue  # the missing MOA (or previous piece) already says why
            if champ in _CHAMPS_DEPOT:
                erreur = dataclasses.replace(erreur, champ=_CHAMPS_DEPOT[champ])
            erreurs.append(erreur)
        return None, erreurs


def piece_deposer(
    *,
    par,
    role,
    cadre,
    type_depot,
    canal,
    facture,
    lignes,
    moe=None,
    service_moe=None,
    moa=None,
    service_moa=None,
    valideur_1=None,
    service_valideur_1=None,
    valideur_2=None,
    service_valideur_2=None,
    piece_precedente=None,
    pdf=None,
    nom_pdf="",
    format_depot="",
    deposee_le=None,
    xml=None,
    nom_xml="",
    montants=None,
    mode_depot=None,
    moe_a_associer=False,
    par_raccordement=False,
):
    """Deposit `facture` (an unsaved invoice row, or a draft, with its supplier, number and references) as a works
    piece of `cadre`; returns its PieceTravaux.

    Initial deposit: opens a dossier de facturation with `moa` (the recipient, public and active) and `moe`.
    A sub-contractor's or co-contractor's piece (A10, A11, A13, A14) names its validator (`valideur_1`: the titulaire
    or the mandataire; `valideur_2`: the mandataire above a titulaire that is itself a co-contractor): it waits
    « Mise à disposition du premier valideur » in « Factures à valider », then goes on to the MOE
    (facturation/regles/validations.csv).
    Association (`piece_precedente`, a PieceTravaux): the piece joins that dossier, keeps its supplier, MOE and MOA,
    and the previous piece takes the status travaux/regles/enchainements.csv gives it.
    `deposee_le`: the deposit instant, now by default; the demo data set, which tells a story over weeks, deposits
    in the past through the same checks (never in the future).
    The user must hold « Factures de travaux – modification » for the structure he acts for: the supplier for the
    supplier, sub-contractor and co-contractor, the dossier's MOE or MOA for them (ApplicationError otherwise).
    Raises DepotRefuse with every other error at once; nothing is saved then.

    The works flux (travaux.services.depot_flux) deposits through here too: `xml`, `nom_xml` and `montants` keep the
    structured file and its totals, `mode_depot` the flux's channel; `moe_a_associer` lets a piece bound for the MOE
    arrive without it (« À associer par la MOE », the supplier names it later: travaux.services.moe);
    `par_raccordement` (with `par` None): an EDI deposit, authorised by the structure's EDI raccordement.
    """
    role, canal, type_depot = RoleTravaux(role), CanalDepot(canal), TypeDepot(type_depot)
    maintenant = timezone.now()
    if deposee_le is not None and deposee_le > maintenant:
        raise ApplicationError("Une pièce ne peut pas être déposée dans le futur.", champ="date_facture")
    le = deposee_le or maintenant
    cote_fournisseur = role in regles.ROLES_COTE_FOURNISSEUR
    with transaction.atomic():
        erreurs = [ErreurAcheminement("cadre", m) for m in regles.controler_depot(cadre, role, canal, type_depot)]
        precedente = dossier = enchainement = None

        if type_depot == TypeDepot.ASSOCIATION:
            if piece_precedente is None:
                manque = "Indiquez la pièce existante dans Chorus Pro à laquelle associer ce dépôt."
                raise DepotRefuse([*erreurs, ErreurAcheminement("piece_precedente", manque)])
            precedente = (
                # the lock is on the piece and its invoice only: PostgreSQL cannot lock the nullable side (the MOE)
                PieceTravaux.objects.select_for_update(of=("self", "facture"))
                .select_related("facture", "dossier__fournisseur", "dossier__moe", "dossier__moa")
                .filter(pk=piece_precedente.pk)
                .first()
            )
            if precedente is None:
                raise ApplicationError(PIECE_INTROUVABLE, champ="piece_precedente")
            dossier = precedente.dossier
            if facture.fournisseur_id is None:
                facture.fournisseur = dossier.fournisseur
            if cote_fournisseur:
                if not (par is None and par_raccordement) and not _habilite(par, facture.fournisseur):
                    raise _refus_habilitation(facture.fournisseur, "fournisseur")
                if facture.fournisseur_id != dossier.fournisseur_id:
                    raise ApplicationError(PIECE_INTROUVABLE, champ="piece_precedente")
            elif not _habilite(par, dossier.moe if role == RoleTravaux.MOE else dossier.moa):
                # an MOE or MOA of another dossier learns nothing about this one
                raise ApplicationError(PIECE_INTROUVABLE, champ="piece_precedente")
            enchainement = _controler_association(
                erreurs, cadre=cadre, precedente=precedente, facture=facture, moe=moe, moa=moa
            )
            moe, service_moe, moa, service_moa = dossier.moe, dossier.service_moe, dossier.moa, dossier.service_moa
        else:
            agit_pour, champ = {
                RoleTravaux.MOE: (moe, "moe"),
                RoleTravaux.MOA: (moa, "moa"),
            }.get(role, (facture.fournisseur if facture.fournisseur_id else None, "fournisseur"))
            sans_utilisateur = par is None and par_raccordement and role in regles.ROLES_COTE_FOURNISSEUR
            if agit_pour is not None and not sans_utilisateur and not _habilite(par, agit_pour):
                raise _refus_habilitation(agit_pour, champ)
            if facture.fournisseur_id is None:
                erreurs.append(ErreurAcheminement("fournisseur", "Le fournisseur de la pièce est obligatoire."))
            enchainement = regles.enchainement_initial(cadre)
            _controler_initial(
                erreurs,
                role=role,
                cadre=cadre,
                enchainement=enchainement,
                facture=facture,
                moe=moe,
                service_moe=service_moe,
                moa=moa,
                service_moa=service_moa,
                moe_a_associer=moe_a_associer,
            )
            _controler_valideurs(
                erreurs,
                cadre=cadre,
                facture=facture,
                valideurs=((valideur_1, service_valideur_1), (valideur_2, service_valideur_2)),
            )
            if agit_pour is None:
                raise DepotRefuse(erreurs)

        _controler_dates(erreurs, facture=facture, le=le, precedente=precedente)
        facture.cadre = cadre
        facture.destinataire, facture.service_destinataire = moa, service_moa
        statut_piece = enchainement.statut_piece if enchainement else None
        if moe is None and statut_piece == StatutFacture.MISE_A_DISPOSITION_MOE and moe_a_associer:
            # the 7-day clock of the MOE starts when the supplier names it (travaux.services.moe), not now
            statut_piece = StatutFacture.A_ASSOCIER_MOE
        if valideur_1 is not None and cadre in regles.VALIDEUR_DU_CADRE:
            facture.valideur_1, facture.service_valideur_1 = valideur_1, service_valideur_1
            facture.valideur_2, facture.service_valideur_2 = valideur_2, service_valideur_2
            statut_piece = StatutFacture.A_VALIDER_1
        if dossier is not None and not facture.numero_marche:
            facture.numero_marche = dossier.numero_marche
        if precedente is not None and not facture.numero_engagement:
            # the MOA's engagement covers the whole payment cycle: the next piece keeps it unless it names another
            facture.numero_engagement = precedente.facture.numero_engagement

        def deposer(cible, avec_pdf):
            return facture_deposer(
                facture=cible,
                par=par,
                mode_depot=mode_depot or MODE_PAR_CANAL[canal],
                format_depot=format_depot,
                lignes=lignes,
                pdf=pdf if avec_pdf else None,
                nom_pdf=nom_pdf,
                xml=xml if avec_pdf else None,
                nom_xml=nom_xml,
                statut_initial=statut_piece,
                montants=montants,
            )

        if erreurs:
            # a copy, so a deposit that would pass leaves the caller's row unsaved once everything is rolled back
            _, erreurs_depot = _erreurs_du_depot(facture, lambda: deposer(copy.deepcopy(facture), False))
            raise DepotRefuse(erreurs + erreurs_depot)
        deposee, erreurs_depot = _erreurs_du_depot(facture, lambda: deposer(facture, True))
        if erreurs_depot:
            raise DepotRefuse(erreurs_depot)
        if deposee_le is not None:
            deposee.deposee_le = deposee.statut_depuis = deposee_le
            deposee.save(update_fields=["deposee_le", "statut_depuis"])
            deposee.historique.update(le=deposee_le)

        if dossier is None:
            dossier = _dossier_creer(
                par=par, facture=deposee, moe=moe, service_moe=service_moe, moa=moa, service_moa=service_moa
            )
            if deposee_le is not None:
                DossierFacturation.objects.filter(pk=dossier.pk).update(cree_le=deposee_le)
        piece = PieceTravaux.objects.create(
            facture=deposee, dossier=dossier, role_deposant=role, type_depot=type_depot, piece_precedente=precedente
        )
        if precedente is not None:
            _associer(precedente.facture, enchainement.statut_precedente, par=par, suivante=deposee, le=deposee_le)
    return piece


def _associer(ancienne, statut, *, par, suivante, le=None):
    de_statut = ancienne.statut
    ancienne.statut, ancienne.statut_depuis = statut, le or timezone.now()
    ancienne.save(update_fields=["statut", "statut_depuis"])
    ligne = FactureHistorique.objects.create(
        facture=ancienne,
        action=ACTION_ASSOCIATION,
        de_statut=de_statut,
        vers_statut=statut,
        par=par,
        commentaire=f"Pièce suivante : {suivante.cadre} N° {suivante.numero}",
    )
    if le is not None:
        FactureHistorique.objects.filter(pk=ligne.pk).update(le=le)
