"""Structures, their services and the people who act for them."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower

from chorus.models import HistoriqueStatutBase
from organisation.enums import Application, Niveau, StatutRattachement, StatutStructure, TypeIdentifiant


class Adresse(models.Model):
    adresse = models.CharField("adresse", max_length=255, blank=True)
    complement_1 = models.CharField("complément d'adresse 1", max_length=255, blank=True)
    complement_2 = models.CharField("complément d'adresse 2", max_length=255, blank=True)
    code_postal = models.CharField("code postal", max_length=20, blank=True)
    ville = models.CharField("ville", max_length=100, blank=True)
    pays = models.CharField("pays", max_length=2, default="FR", help_text="Code ISO 3166 du pays")
    telephone = models.CharField("téléphone", max_length=30, blank=True)

    class Meta:
        abstract = True

    @property
    def adresse_complete(self):
        lignes = [self.adresse, self.complement_1, self.complement_2, f"{self.code_postal} {self.ville}".strip()]
        return ", ".join(ligne for ligne in lignes if ligne)


class OublieLesLecturesQuerySet(models.QuerySet):
    """Writes that send no post_save (bulk_create, update, bulk_update) forget the request's read of the profiles too
    (organisation.habilitations.profils): a service that gives profiles in bulk and then reads them within the same
    API call would otherwise see the old ones. Deletions send post_delete per row (apps.py connects it)."""

    def _oublier(self):
        from organisation.habilitations import oublier_les_lectures  # the module reads these models

        oublier_les_lectures()

    def bulk_create(self, *args, **kwargs):
        objets = super().bulk_create(*args, **kwargs)
        self._oublier()
        return objets

    def bulk_update(self, *args, **kwargs):
        lignes = super().bulk_update(*args, **kwargs)
        self._oublier()
        return lignes

    def update(self, **kwargs):
        lignes = super().update(**kwargs)
        self._oublier()
        return lignes


class StructureQuerySet(OublieLesLecturesQuerySet):
    def publiques_actives(self):
        return self.filter(est_publique=True, statut=StatutStructure.ACTIVE)


class Structure(Adresse):
    """A legal entity that sends or receives invoices."""

    type_identifiant = models.CharField(
        "type d'identifiant", max_length=30, choices=TypeIdentifiant, default=TypeIdentifiant.SIRET
    )
    identifiant = models.CharField("identifiant", max_length=80)
    # the Référentiel des organisations names objects by UUID (chorus-pro-api.md §2.4): a number would tell a
    # client how many structures exist and let it walk them
    uuid = models.UUIDField("UUID", default=uuid.uuid4, unique=True, editable=False)
    raison_sociale = models.CharField("raison sociale", max_length=255)
    nom = models.CharField("nom", max_length=100, blank=True, help_text="Pour un particulier")
    prenom = models.CharField("prénom", max_length=100, blank=True, help_text="Pour un particulier")
    numero_tva = models.CharField("numéro de TVA intracommunautaire", max_length=20, blank=True)
    numero_rcs = models.CharField("numéro RCS", max_length=40, blank=True)
    email = models.EmailField("adresse électronique de la structure", blank=True)
    est_publique = models.BooleanField("structure publique", default=False)
    statut = models.CharField(max_length=30, choices=StatutStructure, default=StatutStructure.ACTIVE)
    cree_le = models.DateTimeField(auto_now_add=True)
    # Recipient parameters (chorus-pro-api.md §4.8): they drive the checks made when an invoice is deposited.
    code_service_obligatoire = models.BooleanField("Code service doit être renseigné", default=False)
    engagement_obligatoire = models.BooleanField("Numéro d'engagement doit être renseigné", default=False)
    engagement_ou_service = models.BooleanField("Gestion numéro d'engagement ou code service", default=False)
    statut_mise_en_paiement_non_remonte = models.BooleanField("Statut mise en paiement non remonté", default=False)
    moa_uniquement = models.BooleanField("MOA uniquement", default=False)
    # parametres-edi of the Référentiel des organisations (chorus-pro-api.md §2.4): what the structure declares about
    # its EDI exchanges; the connections themselves are its fiches de raccordement
    reception_edi = models.BooleanField("Recevoir les données (factures, cycles de vie) par EDI", default=False)
    connexion_edi = models.BooleanField("Émettre ses flux par une connexion EDI", default=False)
    # Code de la commande publique, art. R2192-10 et s.
    delai_global_paiement = models.PositiveSmallIntegerField(
        "Délai global de paiement (jours)",
        default=30,
        help_text=(
            "30 jours pour l'État et les collectivités territoriales, 50 pour les établissements publics de santé"
        ),
    )
    espaces = models.JSONField(
        "espaces utilisés", default=list, blank=True, help_text="Applications (Application) ouvertes à la structure"
    )
    # idStructureOrigine / listeStructureDupliquees (chorus-pro-api.md §2.3): set by the support on a duplicate.
    structure_origine = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="doublons",
        verbose_name="structure d'origine",
    )

    # the referential's `derniereMaj`: every save() of the structure (the organisation services, the delayed
    # modifications they apply) moves it; a bulk update() would not, so the services save
    modifie_le = models.DateTimeField("dernière modification", auto_now=True)

    objects = StructureQuerySet.as_manager()

    class Meta:
        verbose_name = "structure"
        constraints = [
            models.UniqueConstraint(fields=["type_identifiant", "identifiant"], name="structure_identifiant_unique"),
        ]
        indexes = [
            models.Index(Lower("raison_sociale"), name="structure_raison_sociale_idx"),
            models.Index(fields=["est_publique", "statut"], name="structure_publique_idx"),
            # the searches by identifier alone, or by VAT number (the unique constraint leads with the type)
            models.Index(fields=["identifiant"], name="structure_identifiant_idx"),
            models.Index(fields=["numero_tva"], name="structure_numero_tva_idx"),
            # rechercher/organisations' « modifiées depuis »
            models.Index(fields=["modifie_le"], name="structure_modifie_le_idx"),
        ]

    def __str__(self):
        return f"{self.raison_sociale} ({self.identifiant})"

    def save(self, *args, update_fields=None, **kwargs):
        # a partial save (the delayed modifications' operations, the services' targeted saves) still moves derniereMaj
        if update_fields is not None:
            update_fields = {*update_fields, "modifie_le"}
        super().save(*args, update_fields=update_fields, **kwargs)

    @property
    def designation(self):
        return self.raison_sociale or f"{self.prenom} {self.nom}".strip()

    def utilise(self, application):
        return not self.espaces or application in self.espaces


class StructureHistorique(HistoriqueStatutBase):
    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="historique")


class Service(Adresse):
    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="services")
    code = models.CharField("code", max_length=100)
    uuid = models.UUIDField("UUID", default=uuid.uuid4, unique=True, editable=False)
    libelle = models.CharField("libellé", max_length=255)
    description = models.TextField("description", blank=True)
    date_debut_validite = models.DateField("début de validité", null=True, blank=True)
    date_fin_validite = models.DateField("fin de validité", null=True, blank=True)
    actif = models.BooleanField("actif", default=True)
    engagement_obligatoire = models.BooleanField("Numéro d'engagement obligatoire pour ce service", default=False)
    mise_en_paiement = models.BooleanField("Gestion du statut mise en paiement", default=True)
    cree_le = models.DateTimeField(auto_now_add=True, null=True)

    class Meta:
        verbose_name = "service"
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["structure", "code"], name="service_code_unique")]
        # services/recherche by code across structures (the unique constraint leads with the structure)
        indexes = [models.Index(fields=["code"], name="service_code_idx")]

    def __str__(self):
        return f"{self.code} – {self.libelle}"


class Rattachement(models.Model):
    """A user's link to a structure (or to some of its services); it carries the user's profiles there."""

    utilisateur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rattachements")
    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="rattachements")
    statut = models.CharField(max_length=20, choices=StatutRattachement, default=StatutRattachement.EN_ATTENTE)
    est_gestionnaire_principal = models.BooleanField("gestionnaire principal", default=False)
    # a request limited to some services; empty means the whole structure
    services = models.ManyToManyField(Service, blank=True, related_name="rattachements")
    message = models.TextField("message au gestionnaire", blank=True)
    cree_le = models.DateTimeField(auto_now_add=True)
    traite_le = models.DateTimeField(null=True, blank=True)
    traite_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    motif_refus = models.TextField("motif du refus", blank=True)

    objects = OublieLesLecturesQuerySet.as_manager()

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

    objects = OublieLesLecturesQuerySet.as_manager()

    class Meta:
        verbose_name = "habilitation"
        constraints = [
            models.UniqueConstraint(fields=["rattachement", "application", "service"], name="habilitation_unique"),
        ]

    def __str__(self):
        return f"{self.get_application_display()} – {self.get_niveau_display()}"


class DemandeHabilitation(models.Model):
    """An attached user asks for an extra profile (e.g. "Organisation – modification"); a gestionnaire decides."""

    rattachement = models.ForeignKey(Rattachement, on_delete=models.CASCADE, related_name="demandes_habilitation")
    application = models.CharField(max_length=30, choices=Application)
    niveau = models.CharField(max_length=20, choices=Niveau)
    statut = models.CharField(max_length=20, choices=StatutRattachement, default=StatutRattachement.EN_ATTENTE)
    cree_le = models.DateTimeField(auto_now_add=True)
    traite_le = models.DateTimeField(null=True, blank=True)
    traite_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    motif_refus = models.TextField(blank=True)

    class Meta:
        verbose_name = "demande d'habilitation"

    def __str__(self):
        return f"{self.get_application_display()} – {self.get_niveau_display()} ({self.get_statut_display()})"
