"""What a structure keeps for its invoices: bank details, billing mandate, reusable attachments."""

import uuid

from django.conf import settings
from django.db import models

from organisation import types_pieces
from organisation.models.structures import Structure


class CoordonneeBancaire(models.Model):
    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="coordonnees_bancaires")
    titulaire = models.CharField("titulaire du compte", max_length=255)
    iban = models.CharField("IBAN", max_length=34)
    bic = models.CharField("BIC", max_length=11, blank=True)
    affactureur = models.BooleanField(
        "Affactureur", default=False, help_text="Compte d'un affactureur (société d'affacturage)"
    )
    actif = models.BooleanField("active", default=True)
    cree_le = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "coordonnée bancaire"
        ordering = ["-actif", "titulaire"]

    def __str__(self):
        return f"{self.titulaire} – {self.iban_masque}"

    @property
    def iban_masque(self):
        return f"{self.iban[:4]} •••• {self.iban[-4:]}"

    @property
    def iban_lisible(self):
        return " ".join(self.iban[i : i + 4] for i in range(0, len(self.iban), 4))


class MandatFacturation(models.Model):
    """The structure lets a third party (the mandataire) issue its invoices on its behalf."""

    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="mandats")
    mandataire_identifiant = models.CharField("SIRET du mandataire", max_length=14)
    mandataire_raison_sociale = models.CharField("raison sociale du mandataire", max_length=255)
    date_debut = models.DateField("début du mandat")
    date_fin = models.DateField("fin du mandat", null=True, blank=True)
    actif = models.BooleanField("actif", default=True)
    cree_le = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "mandat de facturation"

    def __str__(self):
        return f"Mandat à {self.mandataire_raison_sociale}"


def _chemin_piece(instance, nom):
    return f"structures/{instance.structure_id}/pieces/{nom}"


class PieceJointeStructure(models.Model):
    """A reusable document of the structure (RIB, Kbis…), offered when depositing an invoice."""

    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="pieces_jointes")
    nom = models.CharField("nom du fichier", max_length=50)
    uuid = models.UUIDField("UUID", default=uuid.uuid4, unique=True, editable=False)
    fichier = models.FileField(upload_to=_chemin_piece, max_length=255)
    taille = models.PositiveIntegerField("taille (octets)")
    type_mime = models.CharField(max_length=100, blank=True)
    # a code of donnees/types_pieces_jointes_structure.csv (organisation.types_pieces): no `choices`, so that the
    # table may grow without a migration; the services check the code
    type_piece = models.CharField("type de document", max_length=30, default=types_pieces.AUTRE)
    ajoutee_le = models.DateTimeField(auto_now_add=True)
    ajoutee_par = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "pièce jointe de structure"
        ordering = ["nom"]

    def __str__(self):
        return self.nom

    @property
    def type_libelle(self):
        return types_pieces.PAR_CODE.get(self.type_piece, {"libelle": self.type_piece})["libelle"]
