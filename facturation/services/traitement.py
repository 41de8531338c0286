"""Processing an invoice: the recipient moves it along its payment path, the supplier acknowledges.

The supplier is told by mail when its invoice is to recycle, suspended, rejected or put in payment
(chorus-pro-features.md rows 42–44; the statuses that ask something of it, and the one it waits for).
"""

from django.db import transaction
from django.urls import reverse

from chorus.courriels import courriel_programmer
from chorus.exceptions import ApplicationError
from chorus.workflow import TransitionInterdite
from communication.services import notifier_evenement
from facturation.enums import StatutFacture
from facturation.models import Facture
from facturation.workflow import CHAMP_NUMERO_MANDAT, FACTURE_WORKFLOW, transitions_vers
from organisation.enums import Application
from organisation.habilitations import titulaires

STATUTS_NOTIFIES_AU_FOURNISSEUR = frozenset(
    {
        StatutFacture.A_RECYCLER,
        StatutFacture.SUSPENDUE,
        StatutFacture.REJETEE,
        StatutFacture.MISE_EN_PAIEMENT,
    }
)


def contacts_fournisseur(structure):
    """Where the supplier's mails go: the structure's address when it has one, else every active user attached
    to it with a « Factures émises » profile on the whole structure (those who see its invoices)."""
    if structure.email:
        return [structure.email]
    return sorted(set(titulaires(structure, [Application.FACTURES_EMISES]).values_list("email", flat=True)))


def notifier_fournisseur(facture, historique):
    """One mail per contact when the invoice reaches a status the supplier must hear of; sent after commit."""
    if historique.vers_statut not in STATUTS_NOTIFIES_AU_FOURNISSEUR or historique.de_statut == historique.vers_statut:
        return
    contexte = {
        "facture": facture,
        "statut": StatutFacture(historique.vers_statut).label,
        "motif": historique.motif,
        "commentaire": historique.commentaire,
        "le": historique.le,
        "lien": reverse("facturation:emises_consulter", args=[facture.pk]),
    }
    for adresse in contacts_fournisseur(facture.fournisseur):
        courriel_programmer(
            gabarit=f"facturation/email/statut_{historique.vers_statut.lower()}",
            destinataire=adresse,
            contexte=contexte,
        )
    notifier_evenement(
        gabarit=f"facturation/email/statut_{historique.vers_statut.lower()}",
        destinataires=titulaires(facture.fournisseur, [Application.FACTURES_EMISES]),
        contexte=contexte,
    )


def facture_traiter(*, facture, par, statut_cible, motif="", commentaire="", numero_mandat=""):
    """Give `facture` the status `statut_cible`; returns the history row and updates `facture` in place.

    `motif` is the list's reason the workflow may require; `commentaire` is the free text beside it: both are kept
    apart in the history row and the supplier's mail."""
    libelles = dict(StatutFacture.choices)
    if statut_cible not in libelles:
        raise ApplicationError("Statut de traitement inconnu.", champ="statut_cible")
    with transaction.atomic():
        # Locked so that two agents processing the same invoice cannot both start from the same status.
        demandee, facture = facture, Facture.objects.select_for_update().get(pk=facture.pk)
        candidates = transitions_vers(facture, statut_cible)
        if not candidates:
            raise TransitionInterdite(
                f"Une facture au statut « {libelles[facture.statut]} » ne peut pas passer au statut "
                f"« {libelles[statut_cible]} ».",
                champ="statut_cible",
            )
        permises = [t for t in candidates if t.autorise is None or t.autorise(par, facture)]
        if not permises:
            raise TransitionInterdite(
                f"Vous n'êtes pas habilité à passer cette facture au statut « {libelles[statut_cible]} »."
            )
        transition = permises[0]
        if transition.motif_requis and not motif.strip():
            raise ApplicationError(
                f"Le motif est obligatoire pour passer la facture au statut « {libelles[statut_cible]} ».",
                champ="motif",
            )
        numero_mandat = numero_mandat.strip()
        if transition.champ_requis == CHAMP_NUMERO_MANDAT:
            if not numero_mandat:
                raise ApplicationError("Le numéro de mandat est obligatoire.", champ="numero_mandat")
            if len(numero_mandat) > Facture._meta.get_field("numero_mandat").max_length:
                raise ApplicationError(
                    "Le numéro de mandat ne doit pas dépasser 50 caractères.", champ="numero_mandat"
                )
            facture.numero_mandat = numero_mandat
            facture.save(update_fields=["numero_mandat"])
        historique = FACTURE_WORKFLOW.appliquer(
            facture, transition.action, par=par, motif=motif, commentaire=commentaire
        )
        notifier_fournisseur(facture, historique)
    demandee.statut, demandee.numero_mandat = facture.statut, facture.numero_mandat
    return historique
