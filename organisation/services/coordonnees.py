"""Bank details and billing mandates (delayed, like on Chorus Pro) and reusable attachments (immediate)."""

import mimetypes
from pathlib import PurePath

from django.db import transaction

from chorus.differe import modification_programmer
from chorus.exceptions import ApplicationError
from organisation import identifiants, types_pieces
from organisation.enums import Application, Niveau
from organisation.models import PieceJointeStructure
from organisation.regles import PJ_EXTENSIONS, PJ_NOM_LONGUEUR_MAX, PJ_TAILLE_MAX_OCTETS
from organisation.services.structures import exiger, perimetre


def _verifier_coordonnee(titulaire, iban, bic):
    if not (titulaire or "").strip():
        raise ApplicationError("Saisissez le titulaire du compte.", champ="titulaire")
    iban = identifiants.verifier_iban(iban)
    bic = identifiants.verifier_bic(bic)
    return titulaire.strip(), iban, bic


@transaction.atomic
def coordonnee_bancaire_ajouter(*, structure, par, titulaire, iban, bic="", affactureur=False):
    exiger(par, Application.ORGANISATION, Niveau.MODIFICATION, structure)
    titulaire, iban, bic = _verifier_coordonnee(titulaire, iban, bic)
    if structure.coordonnees_bancaires.filter(iban=iban, actif=True).exists():
        raise ApplicationError("Ce compte (IBAN) est déjà enregistré pour la structure.", champ="iban")
    return modification_programmer(
        objet=structure,
        operation="coordonnee_bancaire.ajouter",
        donnees={"titulaire": titulaire, "iban": iban, "bic": bic, "affactureur": bool(affactureur)},
        par=par,
        libelle=f"Ajout des coordonnées bancaires {iban[:4]} •••• {iban[-4:]}",
        perimetre=perimetre(structure),
    )


@transaction.atomic
def coordonnee_bancaire_modifier(*, coordonnee, par, titulaire, iban, bic="", affactureur=False):
    exiger(par, Application.ORGANISATION, Niveau.MODIFICATION, coordonnee.structure)
    titulaire, iban, bic = _verifier_coordonnee(titulaire, iban, bic)
    return modification_programmer(
        objet=coordonnee,
        operation="coordonnee_bancaire.modifier",
        donnees={"titulaire": titulaire, "iban": iban, "bic": bic, "affactureur": bool(affactureur)},
        par=par,
        libelle=f"Modification des coordonnées bancaires {coordonnee.iban_masque}",
        perimetre=perimetre(coordonnee.structure),
    )


@transaction.atomic
def coordonnee_bancaire_desactiver(*, coordonnee, par):
    exiger(par, Application.ORGANISATION, Niveau.MODIFICATION, coordonnee.structure)
    return modification_programmer(
        objet=coordonnee,
        operation="coordonnee_bancaire.modifier",
        donnees={"actif": False},
        par=par,
        libelle=f"Désactivation des coordonnées bancaires {coordonnee.iban_masque}",
        perimetre=perimetre(coordonnee.structure),
    )


def _verifier_mandat(mandataire_identifiant, mandataire_raison_sociale, date_debut, date_fin):
    siret = identifiants.verifier_siret(mandataire_identifiant, champ="mandataire_identifiant")
    if not (mandataire_raison_sociale or "").strip():
        raise ApplicationError("Saisissez la raison sociale du mandataire.", champ="mandataire_raison_sociale")
    if date_debut is None:
        raise ApplicationError("Saisissez la date de début du mandat.", champ="date_debut")
    if date_fin is not None and date_fin < date_debut:
        raise ApplicationError("La fin du mandat précède son début.", champ="date_fin")
    return {
        "mandataire_identifiant": siret,
        "mandataire_raison_sociale": mandataire_raison_sociale.strip(),
        "date_debut": date_debut.isoformat(),
        "date_fin": date_fin.isoformat() if date_fin else None,
    }


@transaction.atomic
def mandat_enregistrer(*, structure, par, mandataire_identifiant, mandataire_raison_sociale, date_debut,
                       date_fin=None, mandat=None):  # fmt: skip
    exiger(par, Application.ORGANISATION, Niveau.MODIFICATION, structure)
    donnees = _verifier_mandat(mandataire_identifiant, mandataire_raison_sociale, date_debut, date_fin)
    if mandat is None:
        return modification_programmer(
            objet=structure,
            operation="mandat.ajouter",
            donnees=donnees,
            par=par,
            libelle=f"Mandat de facturation à {donnees['mandataire_raison_sociale']}",
            perimetre=perimetre(structure),
        )
    return modification_programmer(
        objet=mandat,
        operation="mandat.modifier",
        donnees=donnees,
        par=par,
        libelle=f"Modification du mandat de facturation à {donnees['mandataire_raison_sociale']}",
        perimetre=perimetre(structure),
    )


def verifier_piece_jointe(fichier, champ="fichier"):
    """Chorus Pro's attachment rules: name ≤ 50 characters with its extension, allowed extension, 0 < size < 10 Mo."""
    nom = PurePath(fichier.name or "").name
    extension = PurePath(nom).suffix.lstrip(".").upper()
    if not nom:
        raise ApplicationError("Choisissez un fichier.", champ=champ)
    if len(nom) > PJ_NOM_LONGUEUR_MAX:
        raise ApplicationError(
            f"Le nom du fichier « {nom} » fait {len(nom)} caractères : {PJ_NOM_LONGUEUR_MAX} au plus, extension "
            "comprise. Renommez le fichier.",
            champ=champ,
        )
    if extension not in PJ_EXTENSIONS:
        raise ApplicationError(
            f"Le format « .{extension.lower() or '?'} » n'est pas accepté. Formats acceptés : "
            f"{', '.join(sorted(e.lower() for e in PJ_EXTENSIONS))}.",
            champ=champ,
        )
    if fichier.size == 0:
        raise ApplicationError(f"Le fichier « {nom} » est vide.", champ=champ)
    if fichier.size >= PJ_TAILLE_MAX_OCTETS:
        raise ApplicationError(
            f"Le fichier « {nom} » pèse {f'{fichier.size / 1024 / 1024:.1f}'.replace('.', ',')} Mo : il doit peser "
            "moins de 10 Mo.",
            champ=champ,
        )
    return nom


def verifier_type_piece(type_piece, champ="type_piece"):
    if type_piece not in types_pieces.PAR_CODE:
        raise ApplicationError(
            f"Type de document « {type_piece} » inconnu : {', '.join(t['libelle'] for t in types_pieces.TYPES)}.",
            champ=champ,
        )


@transaction.atomic
def piece_jointe_ajouter(*, structure, par, fichier, type_piece=types_pieces.AUTRE):
    exiger(par, Application.ORGANISATION, Niveau.MODIFICATION, structure)
    verifier_type_piece(type_piece)
    nom = verifier_piece_jointe(fichier)
    if structure.pieces_jointes.filter(nom=nom).exists():
        raise ApplicationError(f"Une pièce jointe s'appelle déjà « {nom} » : renommez le fichier.", champ="fichier")
    piece = PieceJointeStructure(
        structure=structure,
        nom=nom,
        taille=fichier.size,
        type_mime=mimetypes.guess_type(nom)[0] or "application/octet-stream",
        ajoutee_par=par,
        type_piece=type_piece,
    )
    piece.fichier.save(nom, fichier, save=False)
    piece.save()
    return piece


@transaction.atomic
def piece_jointe_supprimer(*, piece, par):
    exiger(par, Application.ORGANISATION, Niveau.MODIFICATION, piece.structure)
    fichier = piece.fichier
    piece.delete()
    transaction.on_commit(lambda: fichier.delete(save=False))
