"""Writes of « Mes exports »: ask for an Excel export (the request is saved, its task queued after the commit), build
its file in the task with progress saved every few thousand rows, then tell its owner by mail; the beat deletes the
exports past their expiry and queues again the requests a lost message left waiting."""

import logging
import tempfile
from datetime import timedelta

from django.core.files import File
from django.db import transaction
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from chorus.courriels import courriel_programmer
from chorus.exceptions import ApplicationError
from exports import colonnes, ecriture, genres
from exports.models import DemandeExport, EtatExport

logger = logging.getLogger(__name__)

DUREE_CONSERVATION = timedelta(days=7)
# progress saved every PAS rows: a few writes per 100 000 rows, enough for the bar to move every second or two
PAS_AVANCEMENT = 5000
EN_COURS_MAX = 3
RELANCE_APRES = timedelta(minutes=10)
ABANDON_APRES = timedelta(hours=2)
# the search page's own parameters that say nothing about which rows
_PARAMETRES_IGNORES = {"page", "format", "export", "csrfmiddlewaretoken"}
GABARIT_PRET = "exports/email/export_pret"


def criteres_de(parametres):
    """A query string's pairs as JSON ({name: [values]}), without the page number or the format."""
    return {cle: parametres.getlist(cle) for cle in parametres if cle not in _PARAMETRES_IGNORES}


def parametres_de(criteres):
    parametres = QueryDict(mutable=True)
    for cle, valeurs in (criteres or {}).items():
        parametres.setlist(cle, [str(v) for v in valeurs])
    return parametres


def export_demander(*, par, genre, parametres, structure=None):
    """Save the request for an Excel export of the list `genre` with the search `parametres` (a QueryDict), and queue
    its task after the commit. A user has at most EN_COURS_MAX exports waiting at once."""
    genres.genre(genre)  # an unknown list is a 404 before anything is saved
    with transaction.atomic():
        attente = DemandeExport.objects.filter(
            demandeur=par, etat__in=(EtatExport.EN_ATTENTE, EtatExport.EN_COURS), expire_le__gt=timezone.now()
        ).count()
        if attente >= EN_COURS_MAX:
            raise ApplicationError(
                f"Vous avez déjà {attente} exports en préparation : "
                "attendez qu'ils soient prêts pour en demander un autre."
            )
        demande = DemandeExport.objects.create(
            demandeur=par,
            structure=structure,
            genre=genre,
            criteres=criteres_de(parametres),
            expire_le=timezone.now() + DUREE_CONSERVATION,
        )
        from exports.tasks import produire_export

        produire_export.delay_on_commit(demande.pk)
    return demande


def _avancer(demande_id):
    def avancement(n):
        DemandeExport.objects.filter(pk=demande_id).update(lignes_ecrites=n)

    return avancement


def export_produire(*, demande_id):
    """Build the file: the list read again with the owner's rights as they are now, its rows written to a temporary
    file by openpyxl's write-only mode, then stored. Only a request still waiting is taken (a second delivery of the
    task does nothing). Returns True when the file is ready."""
    pris = DemandeExport.objects.filter(pk=demande_id, etat=EtatExport.EN_ATTENTE).update(etat=EtatExport.EN_COURS)
    if not pris:
        return False
    demande = DemandeExport.objects.select_related("demandeur", "structure").get(pk=demande_id)
    genre = genres.genre(demande.genre)
    try:
        qs = genre.requete(demande.demandeur, parametres_de(demande.criteres), demande.structure)
        total = qs.order_by().count()
        DemandeExport.objects.filter(pk=demande_id).update(lignes_total=total)
        nom = f"{genre.nom_fichier(demande.structure)}.xlsx"
        with tempfile.TemporaryFile(suffix=".xlsx") as temporaire:
            n = ecriture.xlsx_ecrire(
                temporaire,
                colonnes.libelles(genre.colonnes),
                genre.lire(qs),
                genre.libelle,
                avancement=_avancer(demande_id),
                pas=PAS_AVANCEMENT,
            )
            temporaire.seek(0)
            demande.fichier.save(nom, File(temporaire), save=False)
    except Exception:
        logger.exception("Export %s en échec", demande_id)
        DemandeExport.objects.filter(pk=demande_id).update(
            etat=EtatExport.ECHEC,
            termine_le=timezone.now(),
            erreur="L'export n'a pas pu être préparé. Demandez-le à nouveau ; "
            "si l'échec se répète, contactez le support.",
        )
        return False
    with transaction.atomic():
        demande.etat = EtatExport.PRET
        demande.nom_fichier = nom
        demande.lignes_ecrites = n
        demande.lignes_total = n
        demande.termine_le = timezone.now()
        demande.save(update_fields=["etat", "nom_fichier", "fichier", "lignes_ecrites", "lignes_total", "termine_le"])
        if demande.demandeur.email:
            courriel_programmer(
                gabarit=GABARIT_PRET,
                destinataire=demande.demandeur.email,
                contexte={
                    "libelle": genre.libelle,
                    "lignes": n,
                    "expire_le": demande.expire_le,
                    "lien": reverse("exports:mes_exports"),
                },
            )
    return True


def exports_balayer(*, maintenant=None):
    """Delete the expired exports (rows and files); requeue the requests waiting for longer than RELANCE_APRES (their
    message was lost: broker restart); mark as failed those started more than ABANDON_APRES ago (worker killed).
    Returns (deleted, requeued)."""
    from exports.tasks import produire_export

    maintenant = maintenant or timezone.now()
    supprimees = 0
    for demande in DemandeExport.objects.filter(expire_le__lte=maintenant).only("pk", "fichier").iterator():
        if demande.fichier:
            demande.fichier.delete(save=False)
        demande.delete()
        supprimees += 1
    DemandeExport.objects.filter(etat=EtatExport.EN_COURS, cree_le__lte=maintenant - ABANDON_APRES).update(
        etat=EtatExport.ECHEC,
        termine_le=maintenant,
        erreur="L'export a été interrompu. Demandez-le à nouveau.",
    )
    relancees = list(
        DemandeExport.objects.filter(etat=EtatExport.EN_ATTENTE, cree_le__lte=maintenant - RELANCE_APRES).values_list(
            "pk", flat=True
        )[:100]
    )
    for pk in relancees:
        produire_export.delay(pk)
    return supprimees, len(relancees)
