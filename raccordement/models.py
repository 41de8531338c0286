"""Raccordement (issue #6): technical accounts and API clients, connection records (fiches de raccordement), deposited
flux with their integration report, and the lifecycle messages sent back to connected suppliers."""

from django.conf import settings
from django.db import models

from raccordement.enums import (
    CanalFlux,
    EnvironnementRaccordement,
    EtatFlux,
    ProtocoleRaccordement,
    SyntaxeFlux,
    TypeRaccordement,
)


class CompteTechnique(models.Model):
    """A « compte technique »: the login and password a connected software sends in `cpro-account`, acting for one
    structure. Several per structure; usable from `actif_le` (creation is a delayed modification); the password is
    stored hashed, shown once, and expires."""

    structure = models.ForeignKey(
        "organisation.Structure", on_delete=models.CASCADE, related_name="comptes_techniques"
    )
    login = models.CharField("identifiant", max_length=100, unique=True)
    # The API acts as this technical user: a user of the structure (as in Chorus Pro, where a technical account is a
    # user of type « technique »), so every selector and service applies the one policy to it unchanged.
    utilisateur = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="compte_technique"
    )
    mot_de_passe = models.CharField("mot de passe (empreinte)", max_length=128)
    mot_de_passe_expire_le = models.DateTimeField("expiration du mot de passe")
    libelle = models.CharField("libellé", max_length=100, blank=True)
    actif_le = models.DateTimeField("utilisable à partir du")
    desactive_le = models.DateTimeField("désactivé le", null=True, blank=True)
    derniere_utilisation_le = models.DateTimeField("dernière utilisation", null=True, blank=True)
    cree_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cree_le = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "compte technique"
        verbose_name_plural = "comptes techniques"
        ordering = ["structure", "login"]

    def __str__(self):
        return self.login


class ClientApi(models.Model):
    """An application registered with the token endpoint (standing in for PISTE's OAuth2 clients): its client id
    and hashed secret; `POST /api/oauth/token` exchanges them for a bearer token."""

    nom = models.CharField(max_length=100)
    client_id = models.CharField(max_length=64, unique=True)
    secret = models.CharField("secret (empreinte)", max_length=128)
    structure = models.ForeignKey(
        "organisation.Structure", null=True, blank=True, on_delete=models.CASCADE, related_name="clients_api"
    )
    actif = models.BooleanField(default=True)
    cree_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cree_le = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "client API"
        verbose_name_plural = "clients API"
        ordering = ["nom", "pk"]

    def __str__(self):
        return f"{self.nom} ({self.client_id})"


class JetonApi(models.Model):
    """A bearer token handed out by the token endpoint, kept as its SHA-256 only."""

    client = models.ForeignKey(ClientApi, on_delete=models.CASCADE, related_name="jetons")
    empreinte = models.CharField(max_length=64, unique=True)
    cree_le = models.DateTimeField(auto_now_add=True)
    expire_le = models.DateTimeField()

    class Meta:
        verbose_name = "jeton API"
        verbose_name_plural = "jetons API"
        indexes = [models.Index(fields=["expire_le"], name="jeton_api_expire_idx")]

    def __str__(self):
        return f"Jeton de {self.client} jusqu'au {self.expire_le:%d/%m/%Y %H:%M}"


class FicheRaccordement(models.Model):
    """A connection record: EDI or API, its protocol and the formats it sends and receives, qualified first then in
    production; an EDI connection carries its partner's certificate, parsed and checked at upload."""

    structure = models.ForeignKey(
        "organisation.Structure", on_delete=models.CASCADE, related_name="fiches_raccordement"
    )
    type_raccordement = models.CharField("type", max_length=3, choices=TypeRaccordement)
    protocole = models.CharField(max_length=10, choices=ProtocoleRaccordement)
    formats_emis = models.JSONField("formats envoyés", default=list, blank=True)
    formats_recus = models.JSONField("formats reçus", default=list, blank=True)
    environnement = models.CharField(
        max_length=15, choices=EnvironnementRaccordement, default=EnvironnementRaccordement.QUALIFICATION
    )
    adresse = models.CharField("adresse du partenaire (URL AS/2, hôte SFTP…)", max_length=255, blank=True)
    certificat = models.FileField(upload_to="raccordement/certificats/", max_length=255, blank=True)
    certificat_sujet = models.CharField(max_length=500, blank=True)
    certificat_emetteur = models.CharField(max_length=500, blank=True)
    certificat_debut = models.DateTimeField(null=True, blank=True)
    certificat_fin = models.DateTimeField(null=True, blank=True)
    certificat_empreinte = models.CharField("empreinte SHA-256 du certificat", max_length=64, blank=True)
    qualifiee_le = models.DateTimeField(null=True, blank=True)
    production_le = models.DateTimeField(null=True, blank=True)
    desactivee_le = models.DateTimeField(null=True, blank=True)
    cree_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cree_le = models.DateTimeField(auto_now_add=True)
    modifiee_le = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "fiche de raccordement"
        verbose_name_plural = "fiches de raccordement"
        ordering = ["structure", "-cree_le", "-pk"]

    def __str__(self):
        return f"Raccordement {self.get_type_raccordement_display()} {self.structure}"


def _chemin_flux(instance, nom):
    return f"raccordement/flux/{instance.recu_le:%Y/%m/%d}/{instance.numero}-{nom}"


class Flux(models.Model):
    """A deposited flux (one file: an invoice, or a tar.gz of several). Saved with its file before anything is
    queued; a Celery task integrates it, each invoice in its own transaction."""

    numero = models.CharField("numéro de flux (numeroFluxDepot)", max_length=30, unique=True)
    structure = models.ForeignKey("organisation.Structure", on_delete=models.PROTECT, related_name="flux")
    compte_technique = models.ForeignKey(
        CompteTechnique, null=True, blank=True, on_delete=models.SET_NULL, related_name="flux"
    )
    depose_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    canal = models.CharField(max_length=10, choices=CanalFlux)
    syntaxe = models.CharField("syntaxe du flux", max_length=40, choices=SyntaxeFlux, blank=True)
    nom_fichier = models.CharField(max_length=255)
    fichier = models.FileField(upload_to=_chemin_flux, max_length=255)
    taille = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, db_index=True)
    doublon_de = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="doublons")
    etat = models.CharField(max_length=40, choices=EtatFlux, default=EtatFlux.IN_RECU)
    recu_le = models.DateTimeField()
    traitement_debut_le = models.DateTimeField(null=True, blank=True)
    traitement_fin_le = models.DateTimeField(null=True, blank=True)
    tentatives = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "flux"
        verbose_name_plural = "flux"
        ordering = ["-recu_le", "-pk"]
        indexes = [
            models.Index(fields=["structure", "-recu_le"], name="flux_structure_recu_idx"),
            models.Index(fields=["etat", "recu_le"], name="flux_etat_recu_idx"),
        ]

    def __str__(self):
        return f"Flux {self.numero}"


class FluxFacture(models.Model):
    """One invoice found in a flux (its rank in the file or the archive): what was read of it, and the invoice it
    became. The unique (flux, rang) makes a re-run of the integration skip what is already done."""

    flux = models.ForeignKey(Flux, on_delete=models.CASCADE, related_name="factures")
    rang = models.PositiveIntegerField()
    nom_fichier = models.CharField(max_length=255, blank=True)
    numero_facture = models.CharField(max_length=50, blank=True)
    identifiant_fournisseur = models.CharField(max_length=50, blank=True)
    identifiant_destinataire = models.CharField(max_length=50, blank=True)
    facture = models.OneToOneField(
        "facturation.Facture", null=True, blank=True, on_delete=models.SET_NULL, related_name="flux_facture"
    )
    integree = models.BooleanField(default=False)
    traitee_le = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "facture d'un flux"
        verbose_name_plural = "factures des flux"
        ordering = ["flux", "rang"]
        constraints = [models.UniqueConstraint(fields=["flux", "rang"], name="flux_facture_rang_unique")]

    def __str__(self):
        return f"{self.flux.numero} n° {self.rang} : {self.numero_facture or self.nom_fichier}"


class FluxErreur(models.Model):
    """One error of the integration report, untruncated: technical (the flux as a whole: `flux_facture` empty) or
    of one invoice, with its layer, rule, field and place in the file."""

    flux = models.ForeignKey(Flux, on_delete=models.CASCADE, related_name="erreurs")
    flux_facture = models.ForeignKey(
        FluxFacture, null=True, blank=True, on_delete=models.CASCADE, related_name="erreurs"
    )
    rang = models.PositiveIntegerField(default=0)
    couche = models.CharField(max_length=50)
    code = models.CharField(max_length=100, blank=True)
    message = models.TextField()
    champ = models.CharField(max_length=255, blank=True)
    emplacement = models.TextField(blank=True)
    # what the file says and what the rule expects (ErreurDepot.valeur_trouvee / valeur_attendue), untruncated
    valeur_trouvee = models.TextField(blank=True)
    valeur_attendue = models.TextField(blank=True)

    class Meta:
        verbose_name = "erreur d'intégration"
        verbose_name_plural = "erreurs d'intégration"
        ordering = ["flux", "flux_facture", "rang", "pk"]

    def __str__(self):
        return f"{self.couche} {self.code} : {self.message[:60]}"


class MessageCycleVie(models.Model):
    """A lifecycle message for an EDI- or API-connected supplier: one per status change of an invoice deposited by
    flux (status, date, motif, a complement of at most 80 characters), read by API or written to the drop
    directory; also rendered as a CDAR message with the 2026 reform codes."""

    # an invoice the platform rejected at integration has no Facture row: its message points at the flux invoice
    facture = models.ForeignKey(
        "facturation.Facture", null=True, blank=True, on_delete=models.CASCADE, related_name="messages_cycle_vie"
    )
    flux_facture = models.ForeignKey(
        FluxFacture, null=True, blank=True, on_delete=models.CASCADE, related_name="messages_cycle_vie"
    )
    numero_facture = models.CharField(max_length=50, blank=True)
    structure = models.ForeignKey(
        "organisation.Structure", on_delete=models.CASCADE, related_name="messages_cycle_vie"
    )
    statut = models.CharField(max_length=60)
    date_statut = models.DateTimeField()
    motif = models.CharField(max_length=255, blank=True)
    complement = models.CharField(max_length=80, blank=True)
    code_cdar = models.CharField("code du statut (réforme 2026)", max_length=3, blank=True)
    cree_le = models.DateTimeField(auto_now_add=True)
    remis_le = models.DateTimeField("remis (API ou répertoire EDI) le", null=True, blank=True)
    fichier_edi = models.CharField(max_length=255, blank=True)

    class Meta:
        verbose_name = "message de cycle de vie"
        verbose_name_plural = "messages de cycle de vie"
        ordering = ["structure", "cree_le", "pk"]
        indexes = [models.Index(fields=["structure", "remis_le"], name="cycle_vie_structure_remis_idx")]
        # one message per status change: the hook that writes it may run twice
        constraints = [
            models.UniqueConstraint(fields=["facture", "statut", "date_statut"], name="cycle_vie_un_par_statut"),
            models.UniqueConstraint(
                fields=["flux_facture", "statut"],
                condition=models.Q(facture__isnull=True),
                name="cycle_vie_un_rejet_par_facture_de_flux",
            ),
        ]

    def __str__(self):
        return f"{self.statut} du {self.date_statut:%d/%m/%Y} ({self.numero_facture})"
