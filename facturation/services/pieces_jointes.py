"""Attachments of an invoice (chorus-pro-features.md row 35): each file checked by Chorus Pro's rules, the whole
dossier (invoice + attachments) ≤ 120 Mo. Used at deposit and when a supplier completes a suspended invoice."""

import mimetypes

from django.db import transaction
from django.db.models import Sum

from chorus import limites
from chorus.exceptions import ApplicationError
from facturation.enums import ActionUtilisateur
from facturation.models import FactureAction, PieceJointeFacture
from organisation.enums import Application, Niveau
from organisation.habilitations import peut
from organisation.models import PieceJointeStructure
from organisation.services.coordonnees import piece_jointe_supprimer, verifier_piece_jointe

DOSSIER_TAILLE_MAX_OCTETS = limites.octets("dossier_facture_pj_taille_max")


def _taille_dossier(facture):
    taille = facture.pieces_jointes.aggregate(total=Sum("taille"))["total"] or 0
    if facture.fichier_pdf:
        taille += facture.fichier_pdf.size
    return taille


def piece_jointe_facture_ajouter(*, facture, par, fichier, champ="pieces_jointes"):
    """Attach `fichier` (an UploadedFile) to `facture`; the caller holds the transaction and the authorization."""
    nom = verifier_piece_jointe(fichier, champ=champ)
    if facture.pieces_jointes.filter(nom=nom).exists():
        raise ApplicationError(
            f"Une pièce jointe de cette facture s'appelle déjà « {nom} » : renommez le fichier.", champ=champ
        )
    if _taille_dossier(facture) + fichier.size > DOSSIER_TAILLE_MAX_OCTETS:
        raise ApplicationError(f"Avec « {nom} », la facture et ses pièces jointes dépasseraient 120 Mo.", champ=champ)
    piece = PieceJointeFacture(
        facture=facture,
        nom=nom,
        taille=fichier.size,
        type_mime=mimetypes.guess_type(nom)[0] or "application/octet-stream",
        ajoutee_par=par,
    )
    piece.fichier.save(nom, fichier, save=False)
    piece.save()
    FactureAction.objects.create(facture=facture, code=ActionUtilisateur.AJOUT_PIECE_JOINTE, par=par, detail=nom)
    return piece


def piece_jointe_deposant_ajouter(*, structure, par, fichier, champ="fichier"):
    """Keep `fichier` among the documents of `structure` (PieceJointeStructure) for its next invoices: the API's
    ajouterFichierDansSysteme, whose id soumettreFacture and completerFacture then join. Chorus Pro's attachment rules
    apply; the right is the depositor's (Factures émises – modification), as a document joined at deposit. Several
    files may share a name here: each deposit joins the one it names by its id."""
    nom = verifier_piece_jointe(fichier, champ=champ)
    if not peut(par, Application.FACTURES_EMISES, Niveau.MODIFICATION, structure):
        raise ApplicationError(
            f"Vous n'êtes pas habilité à déposer des factures pour la structure {structure.designation}.", champ=champ
        )
    with transaction.atomic():
        piece = PieceJointeStructure(
            structure=structure,
            nom=nom,
            taille=fichier.size,
            type_mime=mimetypes.guess_type(nom)[0] or "application/octet-stream",
            ajoutee_par=par,
        )
        piece.fichier.save(nom, fichier, save=False)
        piece.save()
    return piece


def piece_jointe_deposant_detacher(*, piece, par):
    """Take a document off the structure's reusable ones (the API's detacherPieceJointe). The depositor who kept it
    (ajouterFichierDansSysteme) may, with the right it kept it with; any other document of the structure is the
    gestionnaire's (Organisation – modification, as on the structure page). Deposited invoices keep their copy."""
    if piece.ajoutee_par_id == par.pk and peut(par, Application.FACTURES_EMISES, Niveau.MODIFICATION, piece.structure):
        with transaction.atomic():
            fichier = piece.fichier
            piece.delete()
            transaction.on_commit(lambda: fichier.delete(save=False))
        return
    piece_jointe_supprimer(piece=piece, par=par)
