"""Writing and delivering lifecycle messages (issue #6, « Lifecycle out »).

Each status change of an invoice deposited by flux gives one message to its supplier when that supplier is connected
(an active fiche de raccordement, EDI or API); an invoice the platform rejects at integration gives a « Rejetée »
(213) message to the depositing structure. A status change's message is written after it commits (signal in
raccordement/signaux.py); the messages of an integration (the deposit, or the rejection) are written by the flux
pipeline in the invoice's own transaction. Both are idempotent (unique rows). EDI-connected structures receive them
as files in their drop directory (`<EDI_DEPOT_DIR>/<identifiant>/cycle_vie/`); the API serves the same rows.
"""

import os
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from facturation.enums import TypeFacture
from facturation.models import FactureHistorique
from raccordement.cycle_vie import (
    REJET_INTEGRATION,
    STATUTS_CDAR,
    DonneesCdar,
    cdar_xml,
    complement_nettoye,
)
from raccordement.enums import TypeRaccordement
from raccordement.models import FicheRaccordement, FluxFacture, MessageCycleVie

MOTIF_LONGUEUR_MAX = 255


def structure_connectee(structure_id, types=(TypeRaccordement.EDI, TypeRaccordement.API)):
    """Has the structure an active fiche de raccordement (EDI or API)? Only connected suppliers get messages."""
    return FicheRaccordement.objects.filter(
        structure_id=structure_id, type_raccordement__in=types, desactivee_le__isnull=True
    ).exists()


def _creer(**champs):
    # the unique constraints make a second run a no-op
    try:
        with transaction.atomic():
            return MessageCycleVie.objects.create(**champs)
    except IntegrityError:
        return None


def _message_du_statut(historique, facture):
    statut_cdar = STATUTS_CDAR.get(historique.vers_statut)
    return MessageCycleVie(
        facture=facture,
        structure_id=facture.fournisseur_id,
        numero_facture=facture.numero,
        statut=historique.vers_statut,
        date_statut=historique.le,
        motif=(historique.motif or "")[:MOTIF_LONGUEUR_MAX],
        complement=complement_nettoye(historique.commentaire),
        code_cdar=statut_cdar.code if statut_cdar else "",
    )


def message_statut_produire(*, historique):
    """The message of one status change (a FactureHistorique row), or None when nobody is to be told."""
    facture = historique.facture
    if not FluxFacture.objects.filter(facture_id=facture.pk).exists():
        return None  # deposited through the portal's pages: the supplier follows it there
    if not structure_connectee(facture.fournisseur_id):
        return None
    message = _message_du_statut(historique, facture)
    return _creer(
        **{f.attname: getattr(message, f.attname) for f in MessageCycleVie._meta.concrete_fields if f.attname != "id"}
    )


def messages_du_depot_produire(*, flux_facture):
    """The messages of an invoice just integrated from a flux, read from its history (Déposée, then its routing,
    written in bulk by the deposit, without signals). Called by the pipeline inside the invoice's transaction, for a
    connected supplier; a second run writes nothing more."""
    facture = flux_facture.facture
    historique = FactureHistorique.objects.filter(facture_id=facture.pk).order_by("le", "pk")
    return MessageCycleVie.objects.bulk_create(
        [_message_du_statut(h, facture) for h in historique], ignore_conflicts=True
    )


def messages_statut_manquants(*, depuis, fenetre):
    """The status changes of the last `fenetre` older than `depuis` that have no message though they should: the
    process that made the change died between its commit and the after-commit hook that writes the message."""
    maintenant = timezone.now()
    connectee = FicheRaccordement.objects.filter(
        structure_id=OuterRef("facture__fournisseur_id"),
        type_raccordement__in=(TypeRaccordement.EDI, TypeRaccordement.API),
        desactivee_le__isnull=True,
        cree_le__lte=OuterRef("le"),
    )
    message = MessageCycleVie.objects.filter(
        facture_id=OuterRef("facture_id"), statut=OuterRef("vers_statut"), date_statut=OuterRef("le")
    )
    return (
        FactureHistorique.objects.filter(le__lt=maintenant - depuis, le__gte=maintenant - fenetre)
        .filter(Exists(FluxFacture.objects.filter(facture_id=OuterRef("facture_id"))), Exists(connectee))
        .exclude(Exists(message))
        .order_by("le", "pk")
    )


def messages_statut_manquants_produire(*, depuis, fenetre, limite=500):
    """The sweeper: write the messages `messages_statut_manquants` finds (unique rows: a race writes one)."""
    historiques = messages_statut_manquants(depuis=depuis, fenetre=fenetre).select_related("facture")[:limite]
    return sum(message_statut_produire(historique=h) is not None for h in historiques)


def message_rejet_produire(*, flux_facture, structure_id, erreurs):
    """« Rejetée » (213) for an invoice the platform refused at integration, with its first blocking error as motif;
    called by the pipeline inside the invoice's transaction, for a connected depositor."""
    premiere = erreurs[0].message if erreurs else "Facture rejetée à l'intégration du flux."
    return _creer(
        flux_facture=flux_facture,
        structure_id=structure_id,
        numero_facture=flux_facture.numero_facture,
        statut=REJET_INTEGRATION,
        date_statut=flux_facture.traitee_le,
        motif=premiere[:MOTIF_LONGUEUR_MAX],
        complement=complement_nettoye(f"Flux {flux_facture.flux.numero} : {len(erreurs)} erreur(s)"),
        code_cdar=STATUTS_CDAR[REJET_INTEGRATION].code,
    )


def _siren(structure):
    return (structure.identifiant or "")[:9] if structure is not None else ""


def donnees_cdar(message):
    """The CDAR content of a message that has a reform code."""
    facture = message.facture
    if facture is not None:
        vendeur, acheteur = facture.fournisseur, facture.destinataire
        type_facture = "381" if facture.type_facture == TypeFacture.AVOIR else "380"
        date_facture, recu_le = facture.date_facture, facture.deposee_le or message.date_statut
        vendeur_siren, acheteur_siren = _siren(vendeur), _siren(acheteur)
        vendeur_nom, acheteur_nom = vendeur.raison_sociale, acheteur.raison_sociale
    else:
        ff = message.flux_facture
        vendeur_siren = (ff.identifiant_fournisseur or message.structure.identifiant)[:9]
        acheteur_siren = (ff.identifiant_destinataire or "")[:9]
        vendeur_nom, acheteur_nom = message.structure.raison_sociale, ""
        type_facture, date_facture, recu_le = "380", None, ff.flux.recu_le
    return DonneesCdar(
        identifiant=f"{message.numero_facture}_{message.code_cdar}_{message.date_statut:%Y%m%d%H%M%S}",
        numero_facture=message.numero_facture,
        type_facture=type_facture,
        date_facture=date_facture,
        recu_le=recu_le,
        statut_le=message.date_statut,
        cree_le=message.cree_le,
        statut=STATUTS_CDAR[message.statut],
        vendeur_siren=vendeur_siren,
        vendeur_nom=vendeur_nom,
        acheteur_siren=acheteur_siren,
        acheteur_nom=acheteur_nom,
        motif=message.motif,
        complement=message.complement,
    )


def repertoire_edi(structure):
    base = Path(getattr(settings, "EDI_DEPOT_DIR", settings.VAR_DIR / "edi"))
    return base / structure.identifiant / "cycle_vie"


def _nom_fichier(message):
    code = message.code_cdar or "CPP"
    numero = "".join(c if c.isalnum() or c in "-_" else "_" for c in message.numero_facture) or "sans-numero"
    return f"{numero}-CDV-{code}-{message.date_statut:%Y%m%d%H%M%S}-{message.pk}.xml"


def contenu_message(message):
    """What the drop directory and the API deliver: the CDAR when the status has a reform code, else Chorus Pro's
    own lifecycle record (statut, date, motif, complement)."""
    if message.code_cdar:
        return cdar_xml(donnees_cdar(message))
    from lxml import etree

    racine = etree.Element("CycleDeVie")
    for nom, valeur in (
        ("NumeroFacture", message.numero_facture),
        ("Statut", message.statut),
        ("DateStatut", message.date_statut.isoformat()),
        ("Motif", message.motif),
        ("ComplementStatut", message.complement),
    ):
        etree.SubElement(racine, nom).text = valeur
    return etree.tostring(racine, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def remettre_edi(*, limite=500):
    """Write the pending messages of EDI-connected structures to their drop directory; returns how many.

    The file is written under a temporary name then renamed (a partner never reads half a file), and the row is
    marked after: a crash in between rewrites the same file name, never a second one."""
    edi = FicheRaccordement.objects.filter(type_raccordement=TypeRaccordement.EDI, desactivee_le__isnull=True)
    a_remettre = (
        MessageCycleVie.objects.filter(remis_le__isnull=True, structure__in=edi.values("structure"))
        .select_related("structure", "facture__fournisseur", "facture__destinataire", "flux_facture__flux")
        .order_by("cree_le", "pk")[:limite]
    )
    remis = 0
    for message in a_remettre:
        dossier = repertoire_edi(message.structure)
        dossier.mkdir(parents=True, exist_ok=True)
        chemin = dossier / _nom_fichier(message)
        temporaire = chemin.with_suffix(".tmp")
        temporaire.write_bytes(contenu_message(message))
        os.replace(temporaire, chemin)
        MessageCycleVie.objects.filter(pk=message.pk, remis_le__isnull=True).update(
            remis_le=timezone.now(), fichier_edi=str(chemin)
        )
        remis += 1
    return remis
