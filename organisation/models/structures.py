"""The minimum of the Organisation domain the kernel needs now; issue #3 builds the screens around it."""

from django.conf import settings
from django.db import models

from chorus.models import HistoriqueStatutBase
from organisation.enums import Application, Niveau, StatutRattachement, StatutStructure, TypeIdentifiant


class Structure(models.Model):
    """A legal entity that sends or receives invoices."""

    type_identifiant = models.CharField(
        "type d'identifiant", max_length=30, choices=TypeIdentifiant, default=TypeIdentifiant.SIRET
    )
    identifiant = models.CharField("identifiant", max_length=80)
    raison_sociale = models.CharField("raison sociale", max_length=255)
    est_publique = models.BooleanField("structure publique", default=False)
    statut = models.CharField(max_length=30, choices=StatutStructure, default=StatutStructure.ACTIVE)
    cree_le = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "structure"
        constraints = [
            models.UniqueConstraint(fields=["type_identifiant", "identifiant"], name="structure_identifiant_unique"),
        ]

    def __str__(self):
        return f"{self.raison_sociale} ({self.identifiant})"


class StructureHistorique(HistoriqueStatutBase):
    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="historique")


class Service(models.Model):
    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="services")
    code = models.CharField("code", max_length=100)
    libelle = models.CharField("libellé", max_length=255)
    actif = models.BooleanField("actif", default=True)

    class Meta:
        verbose_name = "service"
        constraints = [models.UniqueConstraint(fields=["structure", "code"], name="service_code_unique")]

    def __str__(self):
        return f"{self.code} – {self.libelle}"


class Rattachement(models.Model):
    """A user's link to a structure; it carries the user's profiles for that structure."""

    utilisateur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rattachements")
    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="rattachements")
    statut = models.CharField(max_length=20, choices=StatutRattachement, default=StatutRattachement.EN_ATTENTE)
    est_gestionnaire_principal = models.BooleanField("gestionnaire principal", default=False)
    cree_le = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "rattachement"
        constraints = [
            models.UniqueConstraint(fields=["utilisateur", "structure"], name="rattachement_unique"),
            models.UniqueConstraint(
                fields=["structure"],
                condition=models.Q(est_gestionnaire_principal=True),
                name="un_seul_gestionnaire_principal",
            ),
        ]

    def __str__(self):
        return f"{self.utilisateur} → {self.structure}"


class Habilitation(models.Model):
    """A profile "<Application> – consultation|modification", for the whole structure or for one service."""

    rattachement = models.ForeignKey(Rattachement, on_delete=models.CASCADE, related_name="habilitations")
    application = models.CharField(max_length=30, choices=Application)
    niveau = models.CharField(max_length=20, choices=Niveau)
    service = models.ForeignKey(Service, null=True, blank=True, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = "habilitation"
        constraints = [
            models.UniqueConstraint(
                fields=["rattachement", "application", "service"],
                name="habilitation_unique",
            ),
        ]

    def __str__(self):
        return f"{self.get_application_display()} – {self.get_niveau_display()}"
