"""Tickets ("sollicitations", chorus-pro-features.md rows 100–101): to the support, or to a public structure's
service for a business request; their thread of messages, attachments and status history."""

from django.conf import settings
from django.db import models

from chorus.models import HistoriqueStatutBase
from organisation.enums import Application
from organisation.habilitations import PerimetreQuerySet
from support.enums import Destination, StatutSollicitation


class Categorie(models.Model):
    """The referential of categories, edited by the support agents (back office « Catégories »)."""

    libelle = models.CharField("libellé", max_length=120, unique=True)
    destination = models.CharField("traitée par", max_length=20, choices=Destination, default=Destination.SUPPORT)
    ordre = models.PositiveSmallIntegerField("ordre d'affichage", default=0)
    active = models.BooleanField("proposée aux demandeurs", default=True)

    class Meta:
        verbose_name = "catégorie de sollicitation"
        ordering = ["ordre", "libelle"]

    def __str__(self):
        return self.libelle


class SousCategorie(models.Model):
    categorie = models.ForeignKey(Categorie, on_delete=models.PROTECT, related_name="sous_categories")
    libelle = models.CharField("libellé", max_length=120)
    ordre = models.PositiveSmallIntegerField("ordre d'affichage", default=0)
    active = models.BooleanField("proposée aux demandeurs", default=True)

    class Meta:
        verbose_name = "sous-catégorie de sollicitation"
        ordering = ["categorie__ordre", "categorie__libelle", "ordre", "libelle"]
        constraints = [models.UniqueConstraint(fields=["categorie", "libelle"], name="sous_categorie_unique")]

    def __str__(self):
        return f"{self.categorie.libelle} – {self.libelle}"


class SollicitationQuerySet(PerimetreQuerySet, models.QuerySet):
    # visible_to() is the recipient side: the users of the recipient structure (and service) with a Sollicitations
    # profile. The requester's side is `emises_par`; the agents' side is the selectors' business.
    chemin_structure = "structure_destinataire"
    chemin_service = "service_destinataire"

    def recues_visibles(self, user, niveau):
        return self.visible_to(user, Application.SOLLICITATIONS, niveau).exclude(
            statut=StatutSollicitation.A_CONFIRMER
        )

    def emises_par(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(demandeur=user)


class Sollicitation(models.Model):
    numero = models.CharField("numéro", max_length=20, blank=True, db_index=True)
    objet = models.CharField("objet", max_length=200)
    categorie = models.ForeignKey(Categorie, on_delete=models.PROTECT, related_name="+")
    sous_categorie = models.ForeignKey(SousCategorie, on_delete=models.PROTECT, related_name="+")
    statut = models.CharField(max_length=30, choices=StatutSollicitation, default=StatutSollicitation.NOUVELLE)
    statut_depuis = models.DateTimeField(auto_now_add=True)
    cree_le = models.DateTimeField(auto_now_add=True)
    # the requester: an account, or (logged out) an address confirmed by a link
    demandeur = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="sollicitations"
    )
    demandeur_email = models.EmailField("adresse électronique du demandeur")
    demandeur_nom = models.CharField("nom du demandeur", max_length=200)
    # empty: the support handles it; else the structure (and service) whose entitled users handle it
    structure_destinataire = models.ForeignKey(
        "organisation.Structure", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    service_destinataire = models.ForeignKey(
        "organisation.Service", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # what it is about (optional)
    facture = models.ForeignKey(
        "facturation.Facture", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    structure_concernee = models.ForeignKey(
        "organisation.Structure", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sollicitations_attribuees",
        verbose_name="agent en charge",
    )
    derniere_activite = models.DateTimeField(auto_now_add=True)

    objects = SollicitationQuerySet.as_manager()

    class Meta:
        verbose_name = "sollicitation"
        ordering = ["-derniere_activite", "-pk"]
        indexes = [
            models.Index(fields=["structure_destinataire", "statut"]),
            models.Index(fields=["statut", "derniere_activite"]),
        ]

    def __str__(self):
        return f"{self.numero} – {self.objet}"

    @property
    def pour_le_support(self):
        return self.structure_destinataire_id is None


class Message(models.Model):
    sollicitation = models.ForeignKey(Sollicitation, on_delete=models.CASCADE, related_name="messages")
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    auteur_nom = models.CharField(max_length=200)
    du_demandeur = models.BooleanField(default=False)
    # an internal note: read by those who handle the ticket, never by the requester
    interne = models.BooleanField("note interne", default=False)
    corps = models.TextField("message")
    cree_le = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cree_le", "pk"]

    def __str__(self):
        return f"{self.auteur_nom}, {self.cree_le:%d/%m/%Y %H:%M}"


def _chemin_piece_jointe(instance, nom):
    return f"sollicitations/{instance.message.sollicitation_id}/{instance.message_id}/{nom}"


class PieceJointe(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="pieces_jointes")
    nom = models.CharField("nom du fichier", max_length=50)
    fichier = models.FileField(upload_to=_chemin_piece_jointe, max_length=255)
    taille = models.PositiveIntegerField("taille (octets)")
    type_mime = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.nom


class SollicitationHistorique(HistoriqueStatutBase):
    sollicitation = models.ForeignKey(Sollicitation, on_delete=models.CASCADE, related_name="historique")


class ReponseType(models.Model):
    """A canned answer the agents insert in a reply, then adapt."""

    titre = models.CharField("titre", max_length=120, unique=True)
    corps = models.TextField("texte de la réponse")
    active = models.BooleanField("proposée", default=True)

    class Meta:
        verbose_name = "réponse type"
        ordering = ["titre"]

    def __str__(self):
        return self.titre
