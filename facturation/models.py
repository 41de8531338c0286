from django.conf import settings
from django.db import models

from chorus.models import HistoriqueStatutBase
from facturation.enums import (
    MONTANT,
    ActionUtilisateur,
    CadreFacturation,
    DroitDelegation,
    FormatDepot,
    ModeDepot,
    ModePaiement,
    StatutFacture,
    TypeFacture,
    TypeTva,
)
from organisation.enums import Application, Niveau
from organisation.habilitations import PerimetreQuerySet, filtre_resolu

VIVANTE = models.Q(archivee=False)
ARCHIVEE = models.Q(archivee=True)

# The statuses of an invoice in its payer's hands (traitements_recus.csv), whatever channel brought it there.
STATUTS_DU_PAYEUR = (
    StatutFacture.MISE_A_DISPOSITION,
    StatutFacture.COMPLETEE,
    StatutFacture.A_RECYCLER,
    StatutFacture.SUSPENDUE,
    StatutFacture.REJETEE,
    StatutFacture.SERVICE_FAIT,
    StatutFacture.MANDATEE,
    StatutFacture.MISE_A_DISPOSITION_COMPTABLE,
    StatutFacture.COMPTABILISEE,
    StatutFacture.MISE_EN_PAIEMENT,
)


def q_hors_circuit_travaux(*autres_statuts):
    """The rule of `FactureQuerySet.hors_circuit_travaux`, as a Q: it also filters the counters (CompteurFactures),
    which carry `est_piece_travaux` and `statut` under the same names."""
    statuts = (*STATUTS_DU_PAYEUR, *autres_statuts)
    return models.Q(est_piece_travaux=False) | models.Q(statut__in=statuts)


class FactureQuerySet(PerimetreQuerySet, models.QuerySet):
    # visible_to() reads the recipient side; the supplier side is scoped on `fournisseur` by emises_visibles.
    chemin_structure = "destinataire"
    chemin_service = "service_destinataire"

    def q_emises_visibles(self, user, niveau=Niveau.CONSULTATION):
        # A supplier's profile covers the whole structure: the recipient's service does not narrow what it sent.
        return filtre_resolu(user, Application.FACTURES_EMISES, niveau, chemin_structure="fournisseur")

    def emises_visibles(self, user, niveau=Niveau.CONSULTATION):
        return self.filter(self.q_emises_visibles(user, niveau))

    def q_recues_visibles(self, user, niveau=Niveau.CONSULTATION):
        return filtre_resolu(
            user,
            Application.FACTURES_RECUES,
            niveau,
            chemin_structure=self.chemin_structure,
            chemin_service=self.chemin_service,
        )

    def recues_visibles(self, user, niveau=Niveau.CONSULTATION):
        return self.filter(self.q_recues_visibles(user, niveau))

    def numero_commence_par(self, texte):
        """The invoice-number search of every list: the numbers that begin with `texte`, upper and lower case alike
        (« f-2026 » finds F-2026-0042); a whole number finds its invoice. On PostgreSQL each party reads its own
        btree on (party, archivee, UPPER(numero) text_pattern_ops) (migration 0011): a prefix is a range of it,
        where a substring could only be served by a trigram index, 200 times slower at 10 M invoices (issue #16)."""
        return self.filter(numero__istartswith=texte.strip())

    def hors_circuit_travaux(self, *autres_statuts):
        """Works pieces (travaux.PieceTravaux) live in « Factures de travaux » while they go from supplier to MOE to
        MOA; they join the invoice spaces once they reach the payer, or at `autres_statuts` (the supplier's space
        also shows a piece waiting for it to recycle it)."""
        return self.filter(q_hors_circuit_travaux(*autres_statuts))


class FacturesVivantes(models.Manager.from_queryset(FactureQuerySet)):
    """The live base: every list, dashboard, action and API search reads invoices through `Facture.objects`, so an
    archived invoice (services/archivage.py) leaves them all at once; the Archives pages read `Facture.tous`."""

    def get_queryset(self):
        return super().get_queryset().filter(archivee=False)


class Facture(models.Model):
    """A payment request, from its draft to its payment (chorus-pro-api.md §4.1–§4.3)."""

    numero = models.CharField("numéro de facture", max_length=20, blank=True)
    cadre = models.CharField("cadre de facturation", max_length=3, choices=CadreFacturation, default="A1")
    type_facture = models.CharField("type de facture", max_length=10, choices=TypeFacture, default=TypeFacture.FACTURE)
    date_facture = models.DateField("date de facture", null=True, blank=True)
    devise = models.CharField("devise", max_length=3, default="EUR")
    fournisseur = models.ForeignKey(
        "organisation.Structure", on_delete=models.PROTECT, related_name="factures_emises", verbose_name="fournisseur"
    )
    destinataire = models.ForeignKey(
        "organisation.Structure", on_delete=models.PROTECT, related_name="factures_recues", verbose_name="destinataire"
    )
    service_destinataire = models.ForeignKey(
        "organisation.Service",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="factures_recues",
        verbose_name="service destinataire",
    )
    numero_engagement = models.CharField("numéro d'engagement", max_length=50, blank=True)
    numero_marche = models.CharField("numéro de marché", max_length=50, blank=True)
    total_ht = models.DecimalField("total HT", **MONTANT, default=0)
    total_tva = models.DecimalField("total TVA", **MONTANT, default=0)
    total_ttc = models.DecimalField("total TTC", **MONTANT, default=0)
    net_a_payer = models.DecimalField("net à payer", **MONTANT, default=0)
    statut = models.CharField("statut", max_length=60, choices=StatutFacture, default="BROUILLON")
    deposee_le = models.DateTimeField("déposée le", null=True, blank=True)
    telechargee = models.BooleanField("téléchargée par le destinataire", default=False)
    numero_mandat = models.CharField("numéro de mandat", max_length=50, blank=True)
    statut_depuis = models.DateTimeField("date du statut courant", null=True, blank=True)
    # Closed long ago (services/archivage.py): only the Archives pages and DP_ARCHIVE searches find it.
    archivee = models.BooleanField("archivée", default=False)
    archivee_le = models.DateTimeField("archivée le", null=True, blank=True)
    # The motif and comment of the history row that gave the current status, copied there by FactureHistorique.save
    # in the writer's transaction: the lists show them without one history lookup per row.
    motif_statut = models.CharField("motif du statut courant", max_length=255, blank=True, default="")
    commentaire_statut = models.TextField("commentaire du statut courant", blank=True, default="")
    # A works piece (travaux.PieceTravaux, set when the piece is created): the invoice spaces tell it apart on the
    # row rather than by joining the pieces.
    est_piece_travaux = models.BooleanField("pièce de travaux", default=False)

    # Références (chorus-pro-features.md row 30)
    service_fournisseur = models.ForeignKey(
        "organisation.Service",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="factures_emises",
        verbose_name="service du fournisseur",
    )
    coordonnee_bancaire = models.ForeignKey(
        "organisation.CoordonneeBancaire",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="factures",
        verbose_name="coordonnées bancaires",
    )
    type_tva = models.CharField("type de TVA", max_length=25, choices=TypeTva, blank=True)
    motif_exoneration = models.CharField("motif d'exonération de TVA", max_length=255, blank=True)
    mode_paiement = models.CharField("mode de paiement", max_length=15, choices=ModePaiement, blank=True)
    numero_facture_origine = models.CharField("numéro de la facture d'origine", max_length=20, blank=True)
    remise_globale = models.DecimalField("remise globale", **MONTANT, default=0)
    motif_remise_globale = models.CharField("motif de la remise globale", max_length=255, blank=True)
    # BT-113: an advance already received; net à payer = total TTC − this amount (+ BT-114).
    montant_paye_avance = models.DecimalField("montant déjà payé", max_digits=19, decimal_places=6, default=0)
    # The other totals of BG-22, as the deposited file states them (computed from the lines for the web form).
    total_lignes_ht = models.DecimalField("somme des montants HT des lignes", **MONTANT, default=0)  # BT-106
    total_remises_ht = models.DecimalField("somme des remises HT du document", **MONTANT, default=0)  # BT-107
    total_frais_ht = models.DecimalField("somme des frais HT du document", **MONTANT, default=0)  # BT-108
    montant_arrondi = models.DecimalField("montant de l'arrondi", **MONTANT, default=0)  # BT-114
    commentaire = models.TextField("commentaire", blank=True)

    # Dépôt
    mode_depot = models.CharField("mode de dépôt", max_length=30, choices=ModeDepot, blank=True)
    format_depot = models.CharField("format de dépôt", max_length=20, choices=FormatDepot, blank=True)
    fichier_pdf = models.FileField("facture (PDF)", upload_to="factures/%Y/%m/", max_length=255, blank=True)
    fichier_xml = models.FileField("facture (XML)", upload_to="factures/%Y/%m/", max_length=255, blank=True)
    # The recipient's délai global de paiement at deposit: the clock keeps the rule it started with.
    delai_paiement_jours = models.PositiveSmallIntegerField("délai global de paiement (jours)", null=True, blank=True)

    # Both parties' postal addresses (BG-5, BG-8) as they were at the deposit: an invoice is a legal document, it keeps
    # the address it was issued with when the structure later moves (facturation.adresses).
    fournisseur_adresse = models.CharField("adresse du fournisseur", max_length=255, blank=True)
    fournisseur_complement_1 = models.CharField("complément d'adresse 1 du fournisseur", max_length=255, blank=True)
    fournisseur_complement_2 = models.CharField("complément d'adresse 2 du fournisseur", max_length=255, blank=True)
    fournisseur_code_postal = models.CharField("code postal du fournisseur", max_length=20, blank=True)
    fournisseur_ville = models.CharField("ville du fournisseur", max_length=100, blank=True)
    fournisseur_pays = models.CharField("pays du fournisseur", max_length=2, blank=True)
    destinataire_adresse = models.CharField("adresse du destinataire", max_length=255, blank=True)
    destinataire_complement_1 = models.CharField("complément d'adresse 1 du destinataire", max_length=255, blank=True)
    destinataire_complement_2 = models.CharField("complément d'adresse 2 du destinataire", max_length=255, blank=True)
    destinataire_code_postal = models.CharField("code postal du destinataire", max_length=20, blank=True)
    destinataire_ville = models.CharField("ville du destinataire", max_length=100, blank=True)
    destinataire_pays = models.CharField("pays du destinataire", max_length=2, blank=True)

    # Validation (A9, A12) and delegation (A1)
    valideur_1 = models.ForeignKey(
        "organisation.Structure", null=True, blank=True, on_delete=models.PROTECT, related_name="factures_valideur_1"
    )
    service_valideur_1 = models.ForeignKey(
        "organisation.Service", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    date_validation_1 = models.DateTimeField("date de validation 1", null=True, blank=True)
    valideur_2 = models.ForeignKey(
        "organisation.Structure", null=True, blank=True, on_delete=models.PROTECT, related_name="factures_valideur_2"
    )
    service_valideur_2 = models.ForeignKey(
        "organisation.Service", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    date_validation_2 = models.DateTimeField("date de validation 2", null=True, blank=True)
    delegation = models.ForeignKey(
        "facturation.DelegationFactures", null=True, blank=True, on_delete=models.SET_NULL, related_name="factures"
    )

    # Supplier follow-up of a rejection (rows 40, 41)
    rejet_acquitte_le = models.DateTimeField("rejet acquitté le", null=True, blank=True)
    rejet_traite_le = models.DateTimeField("rejet traité le", null=True, blank=True)

    cree_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cree_le = models.DateTimeField(auto_now_add=True)

    objects = FacturesVivantes()
    tous = FactureQuerySet.as_manager()

    class Meta:
        verbose_name = "facture"
        # Related lookups (history, works piece, attachment → invoice) still reach an archived invoice.
        base_manager_name = "tous"
        constraints = [
            # Drafts may share or lack a number: the deposit checks it (facturation.acheminement).
            models.UniqueConstraint(
                fields=["fournisseur", "numero"],
                condition=~models.Q(statut="BROUILLON"),
                name="facture_numero_unique_par_fournisseur",
            ),
        ]
        indexes = [
            # The lists' indexes cover the live base only: they stay at the size of the live work.
            # On PostgreSQL these two also carry, as INCLUDE columns, what the works rule (q_hors_circuit_travaux) and
            # a perimeter limited to services read: « Compter les résultats » and the API's `total` count on the index
            # alone (an Index Only Scan). Migration 0011 adds them in SQL: SQLite has no INCLUDE, and Django's
            # `include=` would warn (models.W040) on every command of the embedded default.
            models.Index(
                fields=["destinataire", "statut", "deposee_le"], name="facture_recues_idx", condition=VIVANTE
            ),
            models.Index(fields=["fournisseur", "statut"], name="facture_emises_idx", condition=VIVANTE),
            # a validator's invoices at a status, newest deposit first (the validators' status filter, level by
            # level): twenty index entries for the first page, where (validator, status) alone read and sorted every
            # invoice of the validator at that status (1 805 at 1 M, issue #16)
            models.Index(
                fields=["valideur_1", "statut", "deposee_le", "id"], name="facture_valideur_1_idx", condition=VIVANTE
            ),
            # the second level's indexes hold what it sees (`date_validation_1` set, selectors.validation): the
            # planner, taking that condition and the validator for independent, expected a few rows and sorted all
            # the second validator's invoices rather than read this index in order
            models.Index(
                fields=["valideur_2", "statut", "deposee_le", "id"],
                name="facture_valideur_2_idx",
                condition=VIVANTE & models.Q(date_validation_1__isnull=False),
            ),
            # the invoices awaiting a validation, by the structure that has to answer (the second validator at
            # A_VALIDER_2, else the first), oldest status first: the Synthèse's 20 oldest per structure and the API's
            # rechercher/atraiter/valideur read each structure's first rows here (selectors.validation.ATTENTE)
            models.Index(
                models.Case(
                    models.When(statut=StatutFacture.A_VALIDER_2, then=models.F("valideur_2")),
                    default=models.F("valideur_1"),
                ),
                models.F("statut"),
                models.F("statut_depuis"),
                models.F("id"),
                name="facture_attente_idx",
                condition=VIVANTE & models.Q(statut__in=[StatutFacture.A_VALIDER_1, StatutFacture.A_VALIDER_2]),
            ),
            # the validators' lists in their default order, level by level (facturation.selectors.validation.en_pages)
            models.Index(fields=["valideur_1", "deposee_le", "id"], name="facture_val1_depot_idx", condition=VIVANTE),
            models.Index(
                fields=["valideur_2", "deposee_le", "id"],
                name="facture_val2_depot_idx",
                condition=VIVANTE & models.Q(date_validation_1__isnull=False),
            ),
            # The Archives pages: one structure's archived invoices, newest deposit first.
            models.Index(fields=["fournisseur", "deposee_le"], name="facture_archives_emises_idx", condition=ARCHIVEE),
            models.Index(
                fields=["destinataire", "deposee_le"], name="facture_archives_recues_idx", condition=ARCHIVEE
            ),
            # one per sort and filter of the lists, led by the party whose list it is (issue #16): the first page
            # of a sorted list reads twenty index entries instead of sorting every row
            *(
                models.Index(fields=[partie, champ, "id"], name=f"facture_{nom}_{suffixe}_idx", condition=VIVANTE)
                for partie, nom in (("destinataire", "rec"), ("fournisseur", "emi"))
                for champ, suffixe in (
                    ("deposee_le", "depot"),
                    ("date_facture", "date"),
                    ("total_ttc", "montant"),
                    ("statut_depuis", "stdep"),
                    ("numero", "numero"),
                )
            ),
            models.Index(
                fields=["destinataire", "service_destinataire", "deposee_le", "id"],
                name="facture_rec_svc_idx",
                condition=VIVANTE,
            ),
        ]

    def __str__(self):
        return f"Facture {self.numero}"


class LigneFacture(models.Model):
    facture = models.ForeignKey(Facture, on_delete=models.CASCADE, related_name="lignes")
    numero = models.PositiveIntegerField("numéro de ligne")
    reference = models.CharField("référence", max_length=100, blank=True)
    designation = models.CharField("désignation", max_length=255)
    quantite = models.DecimalField("quantité", **MONTANT)
    unite = models.CharField("unité", max_length=20, blank=True)
    prix_unitaire_ht = models.DecimalField("prix unitaire HT", **MONTANT)
    remise = models.DecimalField("remise", **MONTANT, default=0)
    taux_tva = models.DecimalField("taux de TVA", max_digits=7, decimal_places=4)
    montant_ht = models.DecimalField("montant HT", **MONTANT)

    class Meta:
        verbose_name = "ligne de facture"
        ordering = ["facture", "numero"]
        constraints = [models.UniqueConstraint(fields=["facture", "numero"], name="ligne_facture_numero_unique")]

    def __str__(self):
        return f"Ligne {self.numero} – {self.designation}"


class VentilationTva(models.Model):
    """One row of an invoice's VAT breakdown (BG-23) as deposited: the file's own, or the web form's calculation."""

    facture = models.ForeignKey(Facture, on_delete=models.CASCADE, related_name="ventilations")
    rang = models.PositiveSmallIntegerField("rang")
    categorie = models.CharField("catégorie de TVA", max_length=3, blank=True)  # BT-118
    taux = models.DecimalField("taux de TVA", max_digits=7, decimal_places=4, null=True, blank=True)  # BT-119
    base_ht = models.DecimalField("base HT", **MONTANT)  # BT-116
    montant_tva = models.DecimalField("montant de TVA", **MONTANT)  # BT-117
    # The document-level allowances (BG-20) and charges (BG-21) of this category and rate, inside base_ht.
    remises_ht = models.DecimalField("remises HT", **MONTANT, default=0)
    frais_ht = models.DecimalField("frais HT", **MONTANT, default=0)
    motif_exoneration = models.CharField("motif d'exonération", max_length=255, blank=True)  # BT-120
    code_exoneration = models.CharField("code d'exonération", max_length=30, blank=True)  # BT-121

    class Meta:
        verbose_name = "ventilation de TVA"
        ordering = ["facture", "rang"]

    def __str__(self):
        return f"TVA {self.categorie} {self.taux} % – {self.facture_id}"

    @property
    def base_lignes_ht(self):
        """The lines of this rate before the document's allowances and charges."""
        return self.base_ht + self.remises_ht - self.frais_ht

    @property
    def remise_ht(self):  # the name the web form's calculation (calcul.VentilationCalculee) gives it
        return self.remises_ht


class FactureHistorique(HistoriqueStatutBase):
    facture = models.ForeignKey(Facture, on_delete=models.CASCADE, related_name="historique")

    def save(self, *args, **kwargs):
        nouvelle = self._state.adding
        super().save(*args, **kwargs)
        if nouvelle:
            self._recopier_sur_la_facture()

    def _recopier_sur_la_facture(self):
        # Every writer sets the invoice's status before writing its history row: the row that arrives at the
        # current status explains it. Copied in the writer's transaction, and onto the writer's own instance so
        # that a later save of it does not put the old motif back.
        valeurs = {"motif_statut": self.motif, "commentaire_statut": self.commentaire}
        Facture.objects.filter(pk=self.facture_id, statut=self.vers_statut).update(**valeurs)
        facture = self._state.fields_cache.get("facture")
        if facture is not None and facture.statut == self.vers_statut:
            for champ, valeur in valeurs.items():
                setattr(facture, champ, valeur)


def _chemin_piece_jointe(instance, nom):
    return f"factures/pj/{instance.facture_id}/{nom}"


class PieceJointeFacture(models.Model):
    """A complementary document of an invoice (row 35): name ≤ 50 characters, listed extension, < 10 Mo each."""

    facture = models.ForeignKey(Facture, on_delete=models.CASCADE, related_name="pieces_jointes")
    nom = models.CharField("nom du fichier", max_length=50)
    fichier = models.FileField(upload_to=_chemin_piece_jointe, max_length=255)
    taille = models.PositiveIntegerField("taille (octets)")
    type_mime = models.CharField(max_length=100, blank=True)
    ajoutee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ajoutee_le = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "pièce jointe de facture"
        ordering = ["facture", "ajoutee_le", "pk"]

    def __str__(self):
        return self.nom


class FactureAction(models.Model):
    """A user action that is not a status change (download, acknowledgement…), shown in the invoice's history."""

    facture = models.ForeignKey(Facture, on_delete=models.CASCADE, related_name="actions")
    code = models.CharField(max_length=40, choices=ActionUtilisateur)
    par = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    le = models.DateTimeField(auto_now_add=True)
    detail = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["le", "pk"]

    def __str__(self):
        return f"{self.get_code_display()} – {self.facture_id}"


class DelegationFactures(models.Model):
    """« Gérer délégation des factures reçues » (rows 62, 63): a public structure names a valideur délégué.

    No service listed means the whole structure. A1 invoices deposited while the delegation is active follow it.
    """

    delegant = models.ForeignKey(
        "organisation.Structure", on_delete=models.CASCADE, related_name="delegations_donnees", verbose_name="délégant"
    )
    delegue = models.ForeignKey(
        "organisation.Structure", on_delete=models.PROTECT, related_name="delegations_recues", verbose_name="délégué"
    )
    services = models.ManyToManyField("organisation.Service", blank=True, related_name="delegations")
    droit = models.CharField("droit", max_length=15, choices=DroitDelegation)
    active = models.BooleanField("active", default=True)
    cree_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cree_le = models.DateTimeField(auto_now_add=True)
    terminee_le = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "délégation des factures reçues"
        ordering = ["delegant", "-cree_le"]
        constraints = [
            models.UniqueConstraint(
                fields=["delegant", "delegue"],
                condition=models.Q(active=True),
                name="delegation_active_unique",
            )
        ]

    def __str__(self):
        return f"{self.delegant} → {self.delegue} ({self.get_droit_display()})"


class CompteurFactures(models.Model):
    """How many live, deposited invoices a party has per status (issue #16): the dashboards, the Synthèse and the
    API's unfiltered `total` sum a few of these rows instead of counting up to millions of invoices.

    Kept by the database itself (triggers on facturation_facture, migration 0010), so that no writer can forget it:
    a service, the workflow, a bulk `.update()`, the archiving, a deletion. A row per side and key: « R » the
    recipient's (its service, and whether it downloaded the invoice), « E » the supplier's (no service: a supplier's
    profile covers the whole structure). Drafts and archived invoices are not counted: no space shows them.
    `facturation.compteurs.recompter` rebuilds the table from the invoices (repair, and after a bulk load).
    """

    RECUES = "R"
    EMISES = "E"

    cote = models.CharField("côté", max_length=1, choices=[(RECUES, "reçues"), (EMISES, "émises")])
    # plain ids, not foreign keys: the counters are derived data, and a foreign key would make every deposit lock
    # the structure's row too; 0 for « sans service » (a NULL would not match itself in the upsert's key)
    id_structure = models.BigIntegerField("structure")
    id_service = models.BigIntegerField("service (0 : sans service)", default=0)
    statut = models.CharField("statut", max_length=60)
    est_piece_travaux = models.BooleanField("pièce de travaux", default=False)
    telechargee = models.BooleanField("téléchargée par le destinataire", default=False)
    nombre = models.BigIntegerField("nombre", default=0)

    class Meta:
        verbose_name = "compteur de factures"
        constraints = [
            models.UniqueConstraint(
                fields=["cote", "id_structure", "id_service", "statut", "est_piece_travaux", "telechargee"],
                name="compteur_factures_cle",
            )
        ]

    def __str__(self):
        return f"{self.cote} {self.id_structure}/{self.id_service} {self.statut}: {self.nombre}"


class CompteurValidation(models.Model):
    """How many live invoices with a validator (A9, A12, delegations) stand at each status, per pair of validators
    (issue #16): the « Factures à valider » dashboard and Synthèse, and the API's valideur totals, sum a few of these
    rows instead of counting up to a validator's 100 000 invoices.

    A row per (first validator and its service, second validator and its service, whether the first level is over,
    status): the invoice's whole validator key, so that what a user sees — first level on `valideur_1`, or second on
    `valideur_2` once `date_validation_1` is set (selectors.validation) — is a condition on the row exactly as on the
    invoice, and an invoice seen through both its validators is counted once. A table of its own rather than more
    `cote`s of CompteurFactures: that key has two structures, and the recipient's and supplier's triggers stay as they
    are. Kept by triggers on facturation_facture (migration 0013), rebuilt by `services.compteurs.recompter`. The
    validators' lists show an invoice from its draft (a supplier's draft naming its validator), so drafts are counted
    here; archived invoices are not.
    """

    # plain ids, 0 for none (as CompteurFactures: derived data, and a NULL would not match itself in the upsert's key)
    valideur_1 = models.BigIntegerField("premier valideur", default=0)
    service_valideur_1 = models.BigIntegerField("service du premier valideur", default=0)
    valideur_2 = models.BigIntegerField("second valideur", default=0)
    service_valideur_2 = models.BigIntegerField("service du second valideur", default=0)
    # `date_validation_1` is set: the second validator sees the invoice
    second_ouvert = models.BooleanField("premier niveau passé", default=False)
    statut = models.CharField("statut", max_length=60)
    nombre = models.BigIntegerField("nombre", default=0)

    class Meta:
        verbose_name = "compteur de validation"
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "valideur_1",
                    "service_valideur_1",
                    "valideur_2",
                    "service_valideur_2",
                    "second_ouvert",
                    "statut",
                ],
                name="compteur_validation_cle",
            )
        ]
        # the key's index serves the first level (valideur_1 leads it); this one the second
        indexes = [models.Index(fields=["valideur_2", "statut"], name="compteur_validation_v2_idx")]

    def __str__(self):
        return f"{self.valideur_1}/{self.valideur_2} {self.statut}: {self.nombre}"
